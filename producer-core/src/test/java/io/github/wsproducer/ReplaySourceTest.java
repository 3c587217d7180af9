package io.github.wsproducer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wsproducer.spi.Inbound;
import io.github.wsproducer.testkit.RecordingOutbound;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Recordings played into a real hub: in order, at speed, in a loop, and a bad line reported. */
class ReplaySourceTest {
  @TempDir Path recordings;
  private Hub hub;

  @AfterEach
  void close() {
    if (hub != null) {
      hub.close();
    }
  }

  private static String line(long ts, String data) {
    return "{\"epoch\":1,\"seq\":1,\"ts\":" + ts + ",\"data\":" + data + "}\n";
  }

  private RecordingOutbound subscribed(String topic) throws InterruptedException {
    RecordingOutbound client = new RecordingOutbound();
    Inbound in = client.openEnvelope(hub);
    client.next("hello");
    in.onText("{\"type\":\"subscribe\",\"topic\":\"" + topic + "\"}");
    client.next("snapshot");
    return client;
  }

  @Test
  void recordingsPlayInTheirOrderAtTheirSpeedAndStartOverTogether() throws Exception {
    // Ten seconds of recording at a thousand times its speed; the totals start a second later.
    StringBuilder counter = new StringBuilder();
    for (int n = 1; n <= 10; n++) {
      counter.append(line(1_000_000L + n * 1000, "{\"n\":" + n + "}"));
    }
    Files.writeString(recordings.resolve("counter.ndjson"), counter);
    Files.writeString(
        recordings.resolve("streams.ndjson"),
        line(1_001_500, "{\"orders\":{\"lag\":5},\"payments\":{\"lag\":7}}")
            + "\n"
            + line(1_005_500, "{\"orders\":null}"));
    hub =
        Hub.builder()
            .topic(Topic.of("counter", State.latest()))
            .topic(Topic.of("streams", State.keyed()))
            .source(ReplaySource.builder(recordings).speed(1000).loop(true).build())
            .build();
    RecordingOutbound counterClient = subscribed("counter");
    RecordingOutbound streams = subscribed("streams");
    List<Integer> played = new ArrayList<>();
    while (played.size() < 15) {
      played.add(counterClient.next("update").path("data").path("n").asInt());
    }
    int first = played.get(0);
    for (int i = 1; i < played.size(); i++) {
      assertThat(played.get(i)).isEqualTo(played.get(i - 1) % 10 + 1); // 1..10, then over
    }
    assertThat(first).isBetween(1, 10);
    JsonNode change = streams.next("update");
    assertThat(change.path("data").has("orders") || change.path("data").has("payments")).isTrue();
  }

  @Test
  void aLineThatIsNoUpdateStopsItsRecordingNamingFileAndLine() throws Exception {
    Path file =
        Files.writeString(
            recordings.resolve("t.ndjson"), line(1, "{\"n\":1}") + "{\"n\":2}\n" + line(3, "3"));
    hub =
        Hub.builder()
            .topic(Topic.of("t", State.latest()))
            .source(ReplaySource.builder(file).build())
            .build();
    RecordingOutbound client = new RecordingOutbound();
    Inbound in = client.openEnvelope(hub);
    client.next("hello");
    in.onText("{\"type\":\"subscribe\",\"topic\":\"t\"}");
    JsonNode status = client.next();
    while (!status.path("type").asString().equals("status")) { // after the snapshot, an update
      status = client.next();
    }
    assertThat(status.path("error").asString())
        .contains(file.toString())
        .contains("line 2 is not an update");
    assertThat(hub.topicStats("t").errors()).isEqualTo(1);
  }

  @Test
  void aDirectoryWithoutRecordingsOrABadSpeedIsRefusedAtOnce() throws Exception {
    assertThatThrownBy(() -> ReplaySource.builder(recordings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no recording");
    assertThatThrownBy(() -> ReplaySource.builder(recordings.resolve("nope")))
        .hasMessageContaining("no recording at");
    Path file = Files.writeString(recordings.resolve("t.ndjson"), line(1, "1"));
    assertThatThrownBy(() -> ReplaySource.builder(file).speed(0))
        .hasMessageContaining("speed must be positive");
  }
}
