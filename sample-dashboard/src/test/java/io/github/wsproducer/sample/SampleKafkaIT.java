package io.github.wsproducer.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsproducer.kafka.KafkaLagSource;
import io.github.wsproducer.testkit.KafkaBroker;
import io.github.wsproducer.testkit.RecordingSink;
import io.github.wsproducer.testkit.WsTestClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The sample's pipelines through a real Kafka broker, and the sample without one. */
class SampleKafkaIT {
  @TempDir static Path dir;
  static KafkaBroker broker;

  @BeforeAll
  static void broker() throws Exception {
    broker = new KafkaBroker(dir);
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  private static Options options(String kafka) {
    return new Options(
        "localhost",
        0,
        List.of(),
        List.of(),
        null,
        null,
        null,
        null,
        kafka,
        "jetty",
        null,
        null,
        null,
        null,
        null,
        false);
  }

  private static WsTestClient lag(SampleServer sample) throws Exception {
    WsTestClient screen =
        WsTestClient.envelope(URI.create("ws://localhost:" + sample.port() + "/"));
    screen.send("{\"type\":\"subscribe\",\"topic\":\"" + KafkaPipelines.TOPIC + "\"}");
    return screen;
  }

  @Test
  void withKafkaTheWallShowsEachPipelinesLagAndStatusFromKafka() throws Exception {
    try (SampleServer sample = SampleServer.start(options(broker.bootstrap()))) {
      WsTestClient screen = lag(sample);
      Set<String> groups = new HashSet<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (groups.size() < 3 && System.nanoTime() < deadline) {
        JsonNode m = screen.next();
        if (m.has("data") && m.path("data").isObject()) {
          m.path("data")
              .properties()
              .forEach(
                  e -> {
                    if (e.getValue().path("status").asString().equals("OK")
                        && e.getValue().path("state").asString().equals("Stable")) {
                      groups.add(e.getKey());
                    }
                  });
        }
      }
      assertThat(groups)
          .containsExactlyInAnyOrder(
              "wsproducer-sample-orders", "wsproducer-sample-payments", "wsproducer-sample-clicks");
    }
  }

  @Test
  void aPipelineFallsBehindNowAndThenAndItsStatusMoves() throws Exception {
    try (KafkaPipelines pipelines = new KafkaPipelines(broker.bootstrap(), Duration.ofSeconds(8))) {
      pipelines.start();
      KafkaLagSource lag =
          KafkaLagSource.builder("lag", broker.bootstrap())
              .groups(
                  KafkaPipelines.group("orders"),
                  KafkaPipelines.group("payments"),
                  KafkaPipelines.group("clicks"))
              .window(3)
              .interval(Duration.ofMillis(400))
              .build();
      RecordingSink sink = new RecordingSink();
      lag.start(sink);
      try {
        Set<String> statuses = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!statuses.contains("behind") && System.nanoTime() < deadline) {
          JsonNode rows = sink.published.poll(5, TimeUnit.SECONDS);
          if (rows != null) {
            rows.forEach(
                row -> {
                  String s = row.path("status").asString();
                  if (s.equals("WARN") || s.equals("STALL")) {
                    statuses.add("behind");
                  }
                });
          }
        }
        assertThat(statuses).as("a pipeline fell behind within 90 s").contains("behind");
      } finally {
        lag.close();
      }
    }
  }

  @Test
  void withoutKafkaTheLagTopicSaysHowToSeeIt() throws Exception {
    try (SampleServer sample = SampleServer.start(options(null))) {
      WsTestClient screen = lag(sample);
      String error = null;
      for (int i = 0; i < 5 && error == null; i++) {
        JsonNode m = screen.next();
        if (m.path("type").asString().equals("status")) {
          error = m.path("error").asString();
        }
      }
      assertThat(error).isEqualTo(KafkaPipelines.WITHOUT);
    }
  }
}
