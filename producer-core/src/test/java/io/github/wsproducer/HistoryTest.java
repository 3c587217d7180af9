package io.github.wsproducer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.wsproducer.spi.Inbound;
import io.github.wsproducer.testkit.ManualClock;
import io.github.wsproducer.testkit.RecordingOutbound;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The {@code history} request, answered from the hub's default store in memory. */
class HistoryTest {
  private static final tools.jackson.databind.json.JsonMapper JSON =
      tools.jackson.databind.json.JsonMapper.builder().build();

  private final ManualClock clock = new ManualClock();
  private Hub hub;

  @AfterEach
  void close() {
    if (hub != null) {
      hub.close();
    }
  }

  private Hub hub(Topic... topics) {
    Hub.Builder builder = Hub.builder().clock(clock);
    for (Topic t : topics) {
      builder.topic(t);
    }
    return hub = builder.build();
  }

  /** Publishes {@code n} = from..to, one a second, and waits until they are all applied. */
  private void publishEverySecond(String topic, int from, int to) {
    for (int i = from; i <= to; i++) {
      clock.advance(Duration.ofSeconds(1));
      long updates = hub.stats().updates();
      hub.publish(topic, Map.of("n", i));
      await()
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(1))
          .until(() -> hub.stats().updates() > updates);
    }
  }

  private JsonNode ask(String request) throws InterruptedException {
    RecordingOutbound client = new RecordingOutbound();
    Inbound in = client.openEnvelope(hub);
    client.next("hello");
    in.onText(request);
    return client.next();
  }

  private static List<Integer> values(JsonNode answer) {
    List<Integer> values = new ArrayList<>();
    answer.path("updates").forEach(u -> values.add(u.path("data").path("n").asInt()));
    return values;
  }

  @Test
  void aPastValueIsKeptAtItsTimeUnlessTheTopicHasThatPastAlready() throws InterruptedException {
    hub(Topic.of("t", State.latest()).withStaleAfter(Duration.ofMinutes(1)));
    long now = clock.millis();
    hub.publishAt("t", Map.of("n", 1), java.time.Instant.ofEpochMilli(now - 120_000));
    hub.publishAt("t", Map.of("n", 2), java.time.Instant.ofEpochMilli(now - 60_000));
    hub.publishAt("t", Map.of("n", 9), java.time.Instant.ofEpochMilli(now - 90_000)); // dropped
    hub.publish("t", Map.of("n", 3));
    await().until(() -> hub.stats().updates() >= 3);
    JsonNode answer = ask("{\"type\":\"history\",\"topic\":\"t\",\"since\":0}");
    assertThat(values(answer)).containsExactly(1, 2, 3);
    List<Long> times = new ArrayList<>();
    answer.path("updates").forEach(u -> times.add(u.path("ts").asLong()));
    assertThat(times).containsExactly(now - 120_000, now - 60_000, now);

    TopicStats stats = hub.topicStats("t");
    assertThat(stats.ok()).as("past values are news, not staleness").isTrue();
    assertThat(stats.freshAt().toEpochMilli()).isEqualTo(now);
  }

  @Test
  void aTimeRangeIsAnsweredOldestFirstWithEachUpdatesPositionAndTime() throws InterruptedException {
    hub(Topic.of("t", State.latest()));
    long start = clock.millis();
    publishEverySecond("t", 1, 10);
    JsonNode answer =
        ask(
            "{\"type\":\"history\",\"topic\":\"t\",\"since\":"
                + (start + 3000)
                + ",\"until\":"
                + (start + 6000)
                + ",\"id\":\"chart-1\"}");
    assertThat(answer.path("type").asString()).isEqualTo("history");
    assertThat(answer.path("id").asString()).isEqualTo("chart-1");
    assertThat(answer.path("downsampled").asBoolean()).isFalse();
    assertThat(values(answer)).containsExactly(3, 4, 5, 6);
    JsonNode first = answer.path("updates").get(0);
    assertThat(first.path("seq").asLong()).isEqualTo(3);
    assertThat(first.path("ts").asLong()).isEqualTo(start + 3000);
    assertThat(first.path("epoch").asLong()).isPositive();

    JsonNode untilNow = ask("{\"type\":\"history\",\"topic\":\"t\",\"since\":0}");
    assertThat(values(untilNow)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    assertThat(untilNow.path("until").asLong()).isEqualTo(clock.millis());
  }

  @Test
  void moreUpdatesThanPointsAreThinnedToTheLastOfEachEvenSliceOfTime() throws InterruptedException {
    hub(Topic.of("t", State.latest()));
    long start = clock.millis();
    publishEverySecond("t", 1, 100);
    JsonNode answer =
        ask(
            "{\"type\":\"history\",\"topic\":\"t\",\"since\":"
                + start
                + ",\"until\":"
                + (start + 100_000)
                + ",\"points\":10}");
    assertThat(answer.path("downsampled").asBoolean()).isTrue();
    assertThat(values(answer)).hasSizeLessThanOrEqualTo(10).contains(100);
    assertThat(values(answer)).isSorted();
  }

  @Test
  void aKeyedTopicsUpdatesInOneSliceAreMergedSoNoKeysChangeIsLost() throws InterruptedException {
    hub(Topic.of("streams", State.keyed()));
    long start = clock.millis();
    clock.advance(Duration.ofSeconds(1));
    hub.publish("streams", Map.of("orders", 1));
    hub.publish("streams", Map.of("payments", 2));
    hub.publish("streams", Map.of("orders", 3));
    await().until(() -> hub.stats().updates() == 3);
    JsonNode answer =
        ask("{\"type\":\"history\",\"topic\":\"streams\",\"since\":" + start + ",\"points\":1}");
    assertThat(answer.path("updates")).hasSize(1);
    JsonNode merged = answer.path("updates").get(0);
    assertThat(merged.path("seq").asLong()).isEqualTo(3);
    assertThat(merged.path("data").path("orders").asInt()).isEqualTo(3);
    assertThat(merged.path("data").path("payments").asInt()).isEqualTo(2);
  }

  @Test
  void theStateAtAPastMomentIsItsSnapshotWithTheUpdatesUpToItFolded() throws InterruptedException {
    hub(Topic.of("streams", State.keyed()), Topic.of("events", State.window(2)));
    long start = clock.millis();
    long[] at = new long[3];
    Object[][] changes = {
      {"orders", 1}, {"payments", 2}, {"orders", null},
    };
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(61)); // a snapshot of the series each
      long before = hub.stats().updates();
      Map<String, Object> change = new java.util.HashMap<>();
      change.put((String) changes[i][0], changes[i][1]);
      hub.publish("streams", change);
      hub.publish("events", Map.of("n", i));
      await().until(() -> hub.stats().updates() == before + 2);
      at[i] = clock.millis();
    }
    JsonNode second =
        ask(
            "{\"type\":\"history\",\"topic\":\"streams\",\"since\":"
                + (at[1] + 1000)
                + ",\"state\":true}");
    assertThat(second.path("state").path("data"))
        .isEqualTo(JSON.readTree("{\"orders\":1,\"payments\":2}"));
    assertThat(second.path("state").path("seq").asLong()).isEqualTo(2);
    assertThat(second.path("updates")).as("the updates after it").hasSize(1);
    JsonNode last =
        ask("{\"type\":\"history\",\"topic\":\"streams\",\"since\":" + at[2] + ",\"state\":true}");
    assertThat(last.path("state").path("data")).isEqualTo(JSON.readTree("{\"payments\":2}"));
    JsonNode events =
        ask("{\"type\":\"history\",\"topic\":\"events\",\"since\":" + at[2] + ",\"state\":true}");
    assertThat(events.path("state").path("data")).isEqualTo(JSON.readTree("[{\"n\":1},{\"n\":2}]"));
    JsonNode before =
        ask("{\"type\":\"history\",\"topic\":\"streams\",\"since\":" + start + ",\"state\":true}");
    assertThat(before.path("state").isNull()).as("nothing kept from that long ago").isTrue();
  }

  @Test
  void theRetentionBoundsWhatIsKept() throws InterruptedException {
    hub(Topic.of("t", State.latest()).withRetention(Duration.ofSeconds(5)));
    publishEverySecond("t", 1, 20);
    JsonNode answer = ask("{\"type\":\"history\",\"topic\":\"t\",\"since\":0}");
    assertThat(values(answer)).containsExactly(15, 16, 17, 18, 19, 20);
  }

  @Test
  void aForbiddenTopicsHistoryIsForbiddenAndBadRequestsAreAnsweredWithErrors()
      throws InterruptedException {
    hub =
        Hub.builder()
            .topic(Topic.of("public", State.latest()))
            .topic(Topic.of("secret", State.latest()))
            .authorizer((who, topic) -> Set.of("public").contains(topic))
            .clock(clock)
            .build();
    hub.publish("secret", Map.of("n", 1));
    RecordingOutbound client = new RecordingOutbound();
    Inbound in = client.openEnvelope(hub);
    client.next("hello");
    in.onText("{\"type\":\"history\",\"topic\":\"secret\",\"since\":0}");
    JsonNode forbidden = client.next("error");
    assertThat(forbidden.path("code").asString()).isEqualTo("forbidden");
    in.onText("{\"type\":\"history\",\"topic\":\"nope\",\"since\":0}");
    assertThat(client.next("error").path("code").asString()).isEqualTo("forbidden");
    in.onText("{\"type\":\"history\",\"topic\":\"public\"}");
    assertThat(client.next("error").path("message").asString()).contains("\"since\"");
    in.onText("{\"type\":\"history\",\"topic\":\"public\",\"since\":5,\"until\":4}");
    assertThat(client.next("error").path("message").asString()).contains("before");
    in.onText("{\"type\":\"history\",\"topic\":\"public\",\"since\":0,\"points\":0}");
    assertThat(client.next("error").path("message").asString()).contains("\"points\"");
    in.onText("{\"type\":\"history\",\"topic\":\"public\",\"since\":0}");
    assertThat(client.next("history").path("updates")).isEmpty();
  }
}
