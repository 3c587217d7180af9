package io.github.wsproducer.sample.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wsproducer.testkit.WsTestClient;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Starting and stopping the sample: what a wrong property says, and how clients see a stop. */
@ExtendWith(OutputCaptureExtension.class)
class StartupIT {
  private static final AtomicInteger DATABASES = new AtomicInteger();

  /** Runs the sample on a free port and a database of its own, with {@code args} besides. */
  private static ConfigurableApplicationContext run(String... args) {
    List<String> all = new ArrayList<>();
    all.add("--server.port=0");
    all.add("--spring.datasource.url=jdbc:h2:mem:startup" + DATABASES.incrementAndGet());
    all.addAll(List.of(args));
    return new SpringApplicationBuilder(SampleApplication.class).run(all.toArray(String[]::new));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--wsproducer.idle-timeout=-5s | 'wsproducer.idle-timeout' | -5s",
        "--wsproducer.idle-timeout=soon | wsproducer.idle-timeout | soon",
        "--wsproducer.max-message-size=10B | 'wsproducer.max-message-size' | 10B",
        "--wsproducer.allowed-origins=evil.example | 'wsproducer.allowed-origins' | evil.example",
        "--wsproducer.idle-timout=5s | wsproducer.idle-timout | left unbound",
        "--wsproducer.default-topic=nope | 'wsproducer.default-topic' | no such topic",
        "--wsproducer.screens=classpath:nope.yaml | 'wsproducer.screens' | no such file",
        "--wsproducer.topics.streams.table=stream_status | 'wsproducer.topics.streams'"
            + " | exactly one of query and table",
        "--wsproducer.topics.totals.stale-after=0s | 'wsproducer.topics.totals.stale-after' | 0s",
        "--wsproducer.path=live/ | 'wsproducer.path' | live/",
        "--wsproducer.path=/a/../b | 'wsproducer.path' | /a/../b",
        "--wsproducer.topics[bad name].query=SELECT 1 | 'wsproducer.topics.bad name' | must match",
      })
  void aWrongPropertyFailsStartupNamingItAndItsValue(
      String arg, String property, String value, CapturedOutput output) {
    assertThatThrownBy(() -> run(arg).close()).isInstanceOf(Exception.class);
    assertThat(output.getAll())
        .contains("APPLICATION FAILED TO START")
        .contains(property)
        .contains(value);
  }

  @Test
  void listeningOnTheNetworkWhileAdmittingPagesFromDiskIsRefused(CapturedOutput output) {
    assertThatThrownBy(() -> run("--server.address=0.0.0.0").close())
        .hasStackTraceContaining("remove \"null\" from wsproducer.allowed-origins");
  }

  @Test
  void onShutdownClientsAreToldToComeBack() throws Exception {
    ConfigurableApplicationContext app = run();
    int port = ((WebServerApplicationContext) app).getWebServer().getPort();
    WsTestClient client = WsTestClient.envelope(URI.create("ws://127.0.0.1:" + port + "/"));
    client.send("{\"type\":\"subscribe\",\"topic\":\"random\"}");
    client.next("snapshot");
    app.close();
    WsTestClient.Close close = client.awaitClose();
    assertThat(close.code()).isEqualTo(1012);
    assertThat(close.reason()).matches("restart, reconnect in \\d+ ms");
  }

  @Test
  void withoutTheHubThePagesStillServe() throws Exception {
    try (ConfigurableApplicationContext app = run("--wsproducer.enabled=false")) {
      assertThat(app.getBeanNamesForType(io.github.wsproducer.Hub.class)).isEmpty();
      int port = ((WebServerApplicationContext) app).getWebServer().getPort();
      HttpURLConnection welcome =
          (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
      assertThat(welcome.getResponseCode()).isEqualTo(200);
      HttpURLConnection script =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + port + "/wsproducer.js").toURL().openConnection();
      assertThat(script.getResponseCode()).isEqualTo(404);
    }
  }
}
