package io.github.wsproducer.sample.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsproducer.testkit.WsTestClient;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The sample on Spring Boot's Jetty instead of Tomcat. Jetty closes WebSockets before it stops the
 * servlet context, so here the clients' 1012 comes from the starter's lifecycle alone.
 */
class OnJettyIT {

  @Configuration(proxyBeanMethods = false)
  static class OnJetty {
    @Bean
    JettyServletWebServerFactory jetty() {
      return new JettyServletWebServerFactory();
    }
  }

  @Test
  void theHubServesOnJettyAndTellsClientsToComeBackWhenItStops() throws Exception {
    ConfigurableApplicationContext app =
        new SpringApplicationBuilder(SampleApplication.class, OnJetty.class)
            .run("--server.port=0", "--spring.datasource.url=jdbc:h2:mem:onjetty");
    int port = ((WebServerApplicationContext) app).getWebServer().getPort();
    assertThat(((WebServerApplicationContext) app).getWebServer().getClass().getSimpleName())
        .startsWith("Jetty");
    WsTestClient page =
        WsTestClient.connect(URI.create("ws://127.0.0.1:" + port + "/"), null, "null");
    WsTestClient screen = WsTestClient.envelope(URI.create("ws://127.0.0.1:" + port + "/"));
    assertThat(page.next().get("variable").isInt()).isTrue();
    screen.send("{\"type\":\"subscribe\",\"topic\":\"streams\"}");
    assertThat(screen.next("snapshot").get("data").has("stream-1")).isTrue();

    app.close();
    for (WsTestClient client : new WsTestClient[] {page, screen}) {
      WsTestClient.Close close = client.awaitClose();
      assertThat(close.code()).isEqualTo(1012);
      assertThat(close.reason()).matches("restart, reconnect in \\d+ ms");
    }
  }
}
