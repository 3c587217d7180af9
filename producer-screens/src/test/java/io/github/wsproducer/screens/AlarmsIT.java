package io.github.wsproducer.screens;

import static io.github.wsproducer.screens.ScreensFleetIT.call;
import static io.github.wsproducer.screens.ScreensFleetIT.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.wsproducer.Hub;
import io.github.wsproducer.State;
import io.github.wsproducer.TokenAuthenticator;
import io.github.wsproducer.Topic;
import io.github.wsproducer.netty.NettyServer;
import io.github.wsproducer.testkit.ManualClock;
import io.github.wsproducer.testkit.WsTestClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Alarms on a real server: raised by the hub from the values behind tiles with thresholds, whether
 * or not a screen is open; published on their topic; listed and acknowledged by operators over
 * HTTP, with the fleet's refusals.
 */
class AlarmsIT {
  static final Screen OPS =
      Screen.named("ops")
          .tile(Tile.number("Lag", "totals", "lag").warnAbove(500).criticalAbove(2000))
          .tile(Tile.table("Streams", "streams", "lag").warnAbove(100))
          .tile(Tile.status("Ingest", "totals", "ingest"))
          .tile(Tile.timeSeries("Errors", "totals", "errors").perSecond().criticalAbove(2))
          .tile(Tile.number("Free", "totals", "free").warnBelow(10))
          .tile(Tile.alarms("Alarms"));

  static Hub.Builder hub(ManualClock clock) {
    return Hub.builder()
        .clock(clock)
        .topic(Screens.topic())
        .source(
            Screens.of(OPS)
                .withFleet(TokenAuthenticator.of(Map.of("ops", ScreensFleetIT.OPERATOR))))
        .topic(Topic.of("totals", State.latest()))
        .topic(Topic.of("streams", State.keyed()));
  }

  /** The alarms as an operator lists them. */
  static List<JsonNode> alarms(NettyServer server) throws Exception {
    var answer = operator(server, "GET", "/alarms");
    assertThat(answer.status()).isEqualTo(200);
    List<JsonNode> list = new ArrayList<>();
    WsTestClient.JSON.readTree(answer.body()).forEach(list::add);
    return list;
  }

  static JsonNode only(NettyServer server) throws Exception {
    List<JsonNode> list = alarms(server);
    assertThat(list).hasSize(1);
    return list.get(0);
  }

  /** Lets the values that are back clear their alarms, and waits for {@code left} to remain. */
  static void settle(ManualClock clock, NettyServer server, int left) {
    clock.advance(Alarms.CLEAR);
    await().atMost(Duration.ofSeconds(5)).until(() -> alarms(server).size() == left);
  }

  static void publish(Hub hub, String topic, Object value) {
    long before = hub.stats().updates();
    hub.publish(topic, value);
    await().until(() -> hub.stats().updates() > before);
  }

  @Test
  void aThresholdCrossingRaisesAnAlarmWhichOperatorsAcknowledgeAndWhichIsNewWhenItComesBack()
      throws Exception {
    ManualClock clock = new ManualClock();
    try (Hub hub = hub(clock).build();
        NettyServer server = NettyServer.builder(hub).port(0).start()) {
      WsTestClient watcher =
          WsTestClient.envelope(URI.create("ws" + server.uri().toString().substring(4)));
      watcher.send("{\"type\":\"subscribe\",\"topic\":\"" + Alarms.TOPIC + "\"}");
      publish(hub, "totals", Map.of("lag", 100, "ingest", "ok", "errors", 0, "free", 50));
      assertThat(alarms(server)).isEmpty();

      publish(hub, "totals", Map.of("lag", 600, "ingest", "ok", "errors", 0, "free", 50));
      JsonNode warn = only(server);
      assertThat(warn.path("level").asString()).isEqualTo("warn");
      assertThat(warn.path("screen").asString()).isEqualTo("ops");
      assertThat(warn.path("tile").asInt()).isZero();
      assertThat(warn.path("title").asString()).isEqualTo("Lag");
      assertThat(warn.path("topic").asString()).isEqualTo("totals");
      assertThat(warn.path("value").asInt()).isEqualTo(600);
      assertThat(warn.path("since").asLong()).isEqualTo(clock.millis());
      String id = warn.path("id").asString();
      publish(hub, "totals", Map.of("lag", 700, "ingest", "ok", "errors", 0, "free", 50));
      assertThat(only(server).path("value").asInt())
          .as("the value that raised it: a value at the same level is no news")
          .isEqualTo(600);

      clock.advance(Duration.ofMinutes(4));
      publish(hub, "totals", Map.of("lag", 2500, "ingest", "ok", "errors", 0, "free", 50));
      JsonNode critical = only(server);
      assertThat(critical.path("id").asString()).as("the same alarm, worse").isEqualTo(id);
      assertThat(critical.path("level").asString()).isEqualTo("critical");
      assertThat(critical.path("since").asLong()).isEqualTo(warn.path("since").asLong());

      // Refused as the fleet's endpoints refuse.
      assertThat(call(server, "POST", "/alarms/" + id + "/ack").status()).isEqualTo(401);
      assertThat(
              call(server, "POST", "/alarms/" + id + "/ack", "Authorization", "Bearer nope")
                  .status())
          .isEqualTo(401);
      assertThat(call(server, "GET", "/alarms").status()).isEqualTo(401);
      assertThat(operator(server, "GET", "/alarms/" + id + "/ack").status()).isEqualTo(405);
      var unknown = operator(server, "POST", "/alarms/0-0-0/ack");
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(unknown.body()).contains("no alarm 0-0-0");
      assertThat(only(server).has("ackedBy")).isFalse();

      var ack = operator(server, "POST", "/alarms/" + id + "/ack");
      assertThat(ack.status()).isEqualTo(202);
      JsonNode acked = only(server);
      assertThat(acked.path("ackedBy").asString()).isEqualTo("ops");
      assertThat(acked.path("level").asString()).as("still shown").isEqualTo("critical");

      // The topic carries the same, keyed by id.
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> {
                JsonNode update = watcher.next();
                return update.path("data").path(id).path("ackedBy").asString("").equals("ops");
              });

      // Back, but only just: the alarm stays until the value has been back for 30 s.
      publish(hub, "totals", Map.of("lag", 100, "ingest", "ok", "errors", 0, "free", 50));
      clock.advance(Alarms.CLEAR.minusSeconds(1));
      publish(hub, "totals", Map.of("lag", 2100, "ingest", "ok", "errors", 0, "free", 50));
      publish(hub, "totals", Map.of("lag", 100, "ingest", "ok", "errors", 0, "free", 50));
      clock.advance(Alarms.CLEAR.minusSeconds(1));
      JsonNode hovering = only(server);
      assertThat(hovering.path("id").asString()).as("hovering: the same alarm").isEqualTo(id);
      assertThat(hovering.path("backSince").asLong()).isEqualTo(clock.millis() - 29_000);
      // Cleared, then back: a new alarm, not acknowledged.
      settle(clock, server, 0);
      clock.advance(Duration.ofSeconds(1));
      publish(hub, "totals", Map.of("lag", 3000, "ingest", "ok", "errors", 0, "free", 50));
      JsonNode again = only(server);
      assertThat(again.path("id").asString()).isNotEqualTo(id);
      assertThat(again.has("ackedBy")).isFalse();
      assertThat(operator(server, "POST", "/alarms/" + id + "/ack").status())
          .as("the old one is gone")
          .isEqualTo(404);
    }
  }

  @Test
  void tablesRaiseOnePerKeyStatusWordsRatesAndFloorsRaiseTheirs() throws Exception {
    ManualClock clock = new ManualClock();
    try (Hub hub = hub(clock).build();
        NettyServer server = NettyServer.builder(hub).port(0).start()) {
      publish(hub, "streams", Map.of("a", Map.of("lag", 50), "b", Map.of("lag", 150)));
      JsonNode b = only(server);
      assertThat(b.path("key").asString()).isEqualTo("b");
      assertThat(b.path("tile").asInt()).isEqualTo(1);

      publish(hub, "streams", Map.of("b", Map.of("lag", 10), "c", Map.of("lag", 900)));
      settle(clock, server, 1);
      assertThat(only(server).path("key").asString()).isEqualTo("c");
      publish(hub, "streams", Map.of("c", Map.of("lag", 0)));
      settle(clock, server, 0);

      // A table of many keys over its threshold: the alarms kept are bounded.
      Map<String, Object> many = new java.util.HashMap<>();
      for (int i = 0; i < Alarms.MAX_ALARMS + 200; i++) {
        many.put("k" + i, Map.of("lag", 500));
      }
      publish(hub, "streams", many);
      assertThat(alarms(server)).hasSize(Alarms.MAX_ALARMS);
      Map<String, Object> calm = new java.util.HashMap<>();
      many.keySet().forEach(k -> calm.put(k, Map.of("lag", 0)));
      publish(hub, "streams", calm);
      settle(clock, server, 0);

      publish(hub, "totals", Map.of("lag", 0, "ingest", "STALL", "errors", 100, "free", 50));
      JsonNode stall = only(server);
      assertThat(stall.path("title").asString()).isEqualTo("Ingest");
      assertThat(stall.path("level").asString()).isEqualTo("critical");

      // 100 errors, then 110 a second later: 10 a second, over 2.
      clock.advance(Duration.ofSeconds(1));
      publish(hub, "totals", Map.of("lag", 0, "ingest", "ok", "errors", 110, "free", 5));
      List<JsonNode> two = alarms(server);
      assertThat(two).extracting(a -> a.path("title").asString()).contains("Errors", "Free");
      assertThat(two)
          .filteredOn(a -> a.path("title").asString().equals("Errors"))
          .singleElement()
          .satisfies(a -> assertThat(a.path("value").asDouble()).isEqualTo(10.0));
    }
  }
}
