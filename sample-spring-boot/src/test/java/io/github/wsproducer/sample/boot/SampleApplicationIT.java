package io.github.wsproducer.sample.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.wsproducer.protocol.Protocol;
import io.github.wsproducer.testkit.WsTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** The sample on a random port, with real WebSocket clients, Actuator and its H2. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "wsproducer.topics.streams.stale-after=5s")
class SampleApplicationIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;

  private URI http(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private URI ws(String path) {
    return URI.create("ws://127.0.0.1:" + port + path);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(http(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The value of one sample in the Prometheus scrape, or -1 if it is absent. */
  private double scraped(String sample) throws Exception {
    String body = get("/actuator/prometheus").body();
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " ([0-9.E+-]+)$").matcher(body);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  @Test
  void theOriginalPagesPlainSocketGetsTheCounterAndTheMetersMove() throws Exception {
    double framesBefore = scraped("wsproducer_frames_sent_total");
    assertThat(framesBefore).isGreaterThanOrEqualTo(0);

    WsTestClient plain = WsTestClient.connect(ws("/"), null, "null"); // a page opened from disk
    WsTestClient envelope = WsTestClient.envelope(ws("/"));
    try {
      int first = plain.next().get("variable").asInt();
      int second = plain.next().get("variable").asInt();
      assertThat(second - first).isBetween(1, 10);

      envelope.send("{\"type\":\"subscribe\",\"topic\":\"streams\"}");
      JsonNode snapshot = envelope.next("snapshot");
      assertThat(snapshot.get("data").has("stream-1")).isTrue();
      JsonNode update = envelope.next();
      while (!update.get("type").asString().equals("update")) { // a status may come first
        update = envelope.next();
      }
      assertThat(update.get("topic").asString()).isEqualTo("streams");

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                assertThat(scraped("wsproducer_connections{form=\"plain\"}")).isEqualTo(1);
                assertThat(scraped("wsproducer_connections{form=\"envelope\"}")).isEqualTo(1);
                assertThat(scraped("wsproducer_topic_subscribers{topic=\"streams\"}")).isEqualTo(1);
                assertThat(scraped("wsproducer_topic_subscribers{topic=\"random\"}")).isEqualTo(1);
                assertThat(scraped("wsproducer_frames_sent_total")).isGreaterThan(framesBefore + 3);
                assertThat(scraped("wsproducer_payload_sent_bytes_total")).isPositive();
                assertThat(scraped("wsproducer_delivery_seconds_count")).isPositive();
              });
    } finally {
      plain.close();
      envelope.close();
    }
  }

  @Test
  void aRefusedHandshakeIsCountedByReason() throws Exception {
    double before = scraped("wsproducer_handshakes_rejected_total{reason=\"origin\"}");
    try {
      WsTestClient.connect(ws("/"), Protocol.SUBPROTOCOL, "https://evil.example");
    } catch (WsTestClient.Refused refused) {
      assertThat(refused.status()).isEqualTo(403);
    }
    assertThat(scraped("wsproducer_handshakes_rejected_total{reason=\"origin\"}"))
        .isEqualTo(before + 1);
  }

  @Test
  void healthGoesDownWhileTheQueryFailsAndUpOnceItWorks() throws Exception {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(get("/actuator/health").statusCode()).isEqualTo(200));
    JsonNode up = WsTestClient.JSON.readTree(get("/actuator/health").body());
    assertThat(up.at("/components/wsproducer/status").asString()).isEqualTo("UP");
    assertThat(up.at("/components/wsproducer/details/topics/streams/status").asString())
        .isEqualTo("ok");

    jdbc.execute("ALTER TABLE stream_status RENAME TO stream_status_away");
    try {
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () -> {
                HttpResponse<String> health = get("/actuator/health");
                assertThat(health.statusCode()).isEqualTo(503);
                JsonNode down = WsTestClient.JSON.readTree(health.body());
                assertThat(down.at("/components/wsproducer/status").asString()).isEqualTo("DOWN");
                assertThat(
                        down.at("/components/wsproducer/details/topics/streams/status").asString())
                    .isEqualTo("error");
                assertThat(
                        down.at("/components/wsproducer/details/topics/streams/error").asString())
                    .startsWith("database");
                assertThat(
                        down.at("/components/wsproducer/details/topics/random/status").asString())
                    .isEqualTo("ok");
              });
      assertThat(scraped("wsproducer_topic_error{topic=\"streams\"}")).isEqualTo(1);
      assertThat(scraped("wsproducer_source_errors_total{topic=\"streams\"}")).isPositive();
    } finally {
      jdbc.execute("ALTER TABLE stream_status_away RENAME TO stream_status");
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              HttpResponse<String> health = get("/actuator/health");
              assertThat(health.statusCode()).isEqualTo(200);
              assertThat(
                      WsTestClient.JSON
                          .readTree(health.body())
                          .at("/components/wsproducer/status")
                          .asString())
                  .isEqualTo("UP");
            });
    assertThat(scraped("wsproducer_topic_error{topic=\"streams\"}")).isZero();
  }

  @Test
  void theWelcomePageTheScreenAndTheClientScriptAreServed() throws Exception {
    HttpResponse<String> welcome = get("/");
    assertThat(welcome.statusCode()).isEqualTo(200);
    assertThat(welcome.body()).contains("/index.js");
    HttpResponse<String> screen = get("/screens/streams");
    assertThat(screen.statusCode()).isEqualTo(200);
    assertThat(screen.body()).contains("<base href=\"/\">", "src=\"wsproducer/screens/screen.js\"");
    HttpResponse<String> script = get("/wsproducer.js");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/javascript");
  }
}
