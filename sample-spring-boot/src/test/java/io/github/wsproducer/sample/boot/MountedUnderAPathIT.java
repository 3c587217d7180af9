package io.github.wsproducer.sample.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.wsproducer.testkit.Browser;
import io.github.wsproducer.testkit.WsTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The hub under a path ({@code wsproducer.path}) in an application under a context path: sockets,
 * script and screens move there, and a real browser shows the screen's data.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"server.servlet.context-path=/app", "wsproducer.path=/live"})
class MountedUnderAPathIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort int port;

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void socketsScriptAndScreensAreServedUnderThePath() throws Exception {
    WsTestClient plain =
        WsTestClient.connect(URI.create("ws://127.0.0.1:" + port + "/app/live/"), null, null);
    try {
      assertThat(plain.next().get("variable").isInt()).isTrue();
    } finally {
      plain.close();
    }
    assertThat(get("/app/live/wsproducer.js").statusCode()).isEqualTo(200);
    assertThat(get("/app/wsproducer.js").statusCode())
        .as("outside the path, requests are the application's")
        .isEqualTo(404);
    HttpResponse<String> screen = get("/app/live/screens/streams");
    assertThat(screen.statusCode()).isEqualTo(200);
    assertThat(screen.body()).contains("<base href=\"/app/live/\">");
    assertThat(get("/app/live/wsproducer/screens/screen.js").statusCode()).isEqualTo(200);
  }

  @Test
  void aBrowserShowsTheScreenUnderThePath() throws Exception {
    try (Browser browser = new Browser(1366, 768)) {
      browser.driver.get("http://127.0.0.1:" + port + "/app/live/screens/streams");
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                assertThat(browser.text("#connection")).isEqualTo("live");
                assertThat(browser.text("#title")).isEqualTo("Data streams");
                assertThat(browser.js("return document.querySelectorAll('.tile').length"))
                    .isEqualTo(6L);
                assertThat(browser.text(".tile:nth-child(4) td")).isEqualTo("stream-1");
              });
      browser.screenshot("spring-boot-under-a-path.png");
      assertThat(browser.legibilityProblems()).isEmpty();
    }
  }
}
