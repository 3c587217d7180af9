package io.github.wsproducer.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.wsproducer.Hub;
import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import io.github.wsproducer.netty.NettyServer;
import io.github.wsproducer.protocol.Protocol;
import io.github.wsproducer.testkit.ManualClock;
import io.github.wsproducer.testkit.WsTestClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The meters move as a real server on Netty serves real WebSocket clients. */
class HubMetricsIT {
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private Hub hub;
  private NettyServer server;

  @BeforeEach
  void start() throws Exception {
    hub =
        Hub.builder()
            .topic(Topic.of("random", State.latest()))
            .topic(Topic.of("orders", State.latest()))
            .topic(Topic.of("ticks", State.latest()).withStaleAfter(Duration.ofMillis(500)))
            .build();
    server = NettyServer.builder(hub).port(0).start();
    new HubMetrics(hub, Tags.of("hub", "test")).bindTo(registry);
  }

  @AfterEach
  void stop() {
    server.close();
    hub.close();
  }

  private double gauge(String name, String... tags) {
    return registry.get(name).tags("hub", "test").tags(tags).gauge().value();
  }

  private double counter(String name, String... tags) {
    return registry.get(name).tags("hub", "test").tags(tags).functionCounter().count();
  }

  @Test
  void connectionsSubscribersFramesAndDeliveryTimeMove() throws Exception {
    URI root = URI.create("ws://127.0.0.1:" + server.port() + "/");
    WsTestClient envelope = WsTestClient.envelope(root);
    WsTestClient plain = WsTestClient.connect(root.resolve("/random"), null, null);
    try {
      envelope.send("{\"type\":\"subscribe\",\"topic\":\"random\"}");
      envelope.next("snapshot");
      await()
          .untilAsserted(
              () -> {
                assertThat(gauge("wsproducer.connections", "form", "envelope")).isEqualTo(1);
                assertThat(gauge("wsproducer.connections", "form", "plain")).isEqualTo(1);
                assertThat(gauge("wsproducer.topic.subscribers", "topic", "random")).isEqualTo(2);
              });
      assertThat(gauge("wsproducer.topic.subscribers", "topic", "orders")).isZero();
      double framesBefore = counter("wsproducer.frames.sent");

      for (int i = 1; i <= 5; i++) {
        hub.publish("random", Map.of("variable", i));
      }
      for (int i = 1; i <= 5; i++) {
        assertThat(envelope.next("update").get("data").get("variable").asInt()).isEqualTo(i);
        assertThat(plain.next().get("variable").asInt()).isEqualTo(i);
      }

      assertThat(counter("wsproducer.published")).isEqualTo(5);
      assertThat(counter("wsproducer.updates")).isEqualTo(5);
      await()
          .untilAsserted(
              () -> {
                // (the snapshot's write may end after the client read it, so at least)
                assertThat(counter("wsproducer.frames.sent"))
                    .isGreaterThanOrEqualTo(framesBefore + 10);
                assertThat(registry.get("wsproducer.delivery").timer().count()).isEqualTo(10);
              });
      assertThat(counter("wsproducer.payload.sent"))
          .isGreaterThan(10 * "{\"variable\":1}".length());
      assertThat(registry.get("wsproducer.delivery").timer().max(TimeUnit.NANOSECONDS))
          .isPositive();
      assertThat(counter("wsproducer.frames.dropped")).isZero();
    } finally {
      envelope.close();
      plain.close();
    }
    await()
        .untilAsserted(
            () -> assertThat(gauge("wsproducer.topic.subscribers", "topic", "random")).isZero());
  }

  @Test
  void refusedHandshakesAreCountedByReason() throws Exception {
    URI root = URI.create("ws://127.0.0.1:" + server.port() + "/");
    assertThatThrownBy(() -> WsTestClient.connect(root.resolve("/nope"), null, null))
        .isInstanceOf(WsTestClient.Refused.class);
    assertThatThrownBy(
            () -> WsTestClient.connect(root, Protocol.SUBPROTOCOL, "https://evil.example"))
        .isInstanceOf(WsTestClient.Refused.class);
    assertThatThrownBy(
            () -> WsTestClient.connect(root, Protocol.SUBPROTOCOL, "https://evil.example"))
        .isInstanceOf(WsTestClient.Refused.class);

    assertThat(counter("wsproducer.handshakes.rejected", "reason", "not-found")).isEqualTo(1);
    assertThat(counter("wsproducer.handshakes.rejected", "reason", "origin")).isEqualTo(2);
    assertThat(counter("wsproducer.handshakes.rejected", "reason", "unauthenticated")).isZero();
    assertThat(gauge("wsproducer.connections", "form", "envelope")).isZero();
  }

  @Test
  void aTopicsAgeIsReadOnTheHubsClock() {
    ManualClock clock = new ManualClock();
    MeterRegistry meters = new SimpleMeterRegistry();
    try (Hub manual = Hub.builder().topic(Topic.of("t", State.latest())).clock(clock).build()) {
      new HubMetrics(manual, Tags.empty()).bindTo(meters);
      manual.publish("t", Map.of("n", 1));
      await().until(() -> manual.stats().updates() == 1);
      assertThat(age(meters)).isZero();
      clock.advance(Duration.ofMinutes(12));
      assertThat(age(meters)).isEqualTo(Duration.ofMinutes(12).toMillis());
    }
  }

  private static double age(MeterRegistry meters) {
    return meters
        .get("wsproducer.topic.age")
        .tags("topic", "t")
        .timeGauge()
        .value(TimeUnit.MILLISECONDS);
  }

  @Test
  void stalenessAndSourceErrorsShowPerTopic() {
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(gauge("wsproducer.topic.stale", "topic", "ticks")).isEqualTo(1));
    assertThat(
            registry
                .get("wsproducer.topic.age")
                .tags("topic", "ticks")
                .timeGauge()
                .value(TimeUnit.MILLISECONDS))
        .isGreaterThanOrEqualTo(500);
    assertThat(gauge("wsproducer.topic.stale", "topic", "orders")).isZero();

    hub.reportError("orders", "the database is unreachable");
    await()
        .untilAsserted(
            () -> assertThat(gauge("wsproducer.topic.error", "topic", "orders")).isEqualTo(1));
    assertThat(counter("wsproducer.source.errors", "topic", "orders")).isEqualTo(1);
    assertThat(counter("wsproducer.source.errors", "topic", "ticks")).isZero();

    hub.publish("ticks", Map.of("at", 1));
    hub.publish("orders", Map.of("open", 3));
    await()
        .untilAsserted(
            () -> {
              assertThat(gauge("wsproducer.topic.stale", "topic", "ticks")).isZero();
              assertThat(gauge("wsproducer.topic.error", "topic", "orders")).isZero();
            });
    assertThat(counter("wsproducer.source.errors", "topic", "orders")).isEqualTo(1);
  }

  @Test
  void aHubNotBuiltByTheBuilderIsRefusedAtOnce() {
    assertThatThrownBy(() -> new HubMetrics(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
