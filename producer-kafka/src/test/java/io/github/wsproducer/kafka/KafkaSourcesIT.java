package io.github.wsproducer.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.wsproducer.spi.DeclaredTopic;
import io.github.wsproducer.testkit.Declarations;
import io.github.wsproducer.testkit.KafkaBroker;
import io.github.wsproducer.testkit.RecordingSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The Kafka sources against a real broker in KRaft mode, which the last test kills and restarts.
 */
class KafkaSourcesIT {
  @TempDir static Path dir;
  static KafkaBroker broker;

  private final List<AutoCloseable> open = new ArrayList<>();

  static KafkaProducer<String, String> producer; // reconnects by itself after a restart

  @BeforeAll
  static void broker() throws Exception {
    broker = new KafkaBroker(dir);
    producer = broker.producer();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (producer != null) {
      producer.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @AfterEach
  void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    if (!broker.isRunning()) { // a test that killed it failed before starting it again
      broker.start();
    }
  }

  private <T extends AutoCloseable> T opened(T c) {
    open.add(c);
    return c;
  }

  private void produce(String topic, int from, int to) throws Exception {
    long base = System.currentTimeMillis();
    for (int i = from; i <= to; i++) { // a millisecond apart: the order across partitions
      producer.send(
          new ProducerRecord<>(
              topic,
              null,
              base + i - from,
              "k" + (i % 5),
              "{\"n\":" + i + ",\"pipeline\":\"p" + (i % 3) + "\"}"));
    }
    producer.flush();
  }

  /**
   * A consumer in {@code group} that reads and commits {@code count} records, then stays or leaves.
   */
  private KafkaConsumer<String, String> consume(String group, String topic, int count) {
    KafkaConsumer<String, String> c =
        new KafkaConsumer<>(
            Map.of(
                "bootstrap.servers",
                broker.bootstrap(),
                "group.id",
                group,
                "auto.offset.reset",
                "earliest",
                "enable.auto.commit",
                "false",
                "max.poll.records",
                1),
            new StringDeserializer(),
            new StringDeserializer());
    c.subscribe(List.of(topic));
    int read = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (read < count && System.nanoTime() < deadline) {
      read += c.poll(Duration.ofMillis(200)).count();
      c.commitSync();
    }
    assertThat(read).isEqualTo(count);
    return c;
  }

  @Test
  void lagAndAStatusPerGroupJudgedOverItsWindow() throws Exception {
    String topic = KafkaBroker.uniqueName("orders");
    broker.createTopic(topic, 1);
    produce(topic, 1, 20);
    consume("ok-" + topic, topic, 20).close(); // all read: lag 0
    consume("stop-" + topic, topic, 5).close(); // read 5, then left: no members
    KafkaConsumer<String, String> stuck =
        consume("stall-" + topic, topic, 5); // stays, reads no more
    AtomicBoolean polling = new AtomicBoolean(true);
    Thread member = // keeps the stuck consumer in its group without reading on
        new Thread(
            () -> {
              stuck.pause(stuck.assignment());
              while (polling.get()) {
                stuck.poll(Duration.ofMillis(100));
                stuck.pause(stuck.assignment());
              }
              stuck.close();
            });
    member.start();
    open.add(
        () -> {
          polling.set(false);
          member.join(10_000);
        });

    KafkaLagSource source =
        opened(
            KafkaLagSource.builder("lag", broker.bootstrap())
                .groups("ok-" + topic, "stop-" + topic, "stall-" + topic, "nobody-" + topic)
                .window(3)
                .interval(Duration.ofMillis(300))
                .build());
    RecordingSink sink = new RecordingSink();
    source.start(sink);
    JsonNode first = sink.next();
    assertThat(first.path("ok-" + topic).path("status").asString()).isEqualTo("OK");
    assertThat(first.path("ok-" + topic).path("lag").asLong()).isZero();
    assertThat(first.path("stop-" + topic).path("lag").asLong()).isEqualTo(15);
    assertThat(
            first
                .path("stop-" + topic)
                .path("topics")
                .path(topic)
                .path("partitions")
                .path("0")
                .path("offset")
                .asLong())
        .isEqualTo(5);
    assertThat(first.path("nobody-" + topic).path("status").asString()).isEqualTo("ERR");

    // While records keep coming and two groups do not move, their window fills.
    JsonNode judged = null;
    for (int round = 0; round < 40; round++) {
      produce(topic, 100 + round, 100 + round);
      JsonNode rows = sink.next();
      if (rows.path("stall-" + topic).path("status").asString().equals("STALL")
          && rows.path("stop-" + topic).path("status").asString().equals("STOP")) {
        judged = rows;
        break;
      }
    }
    assertThat(judged).as("STALL and STOP within 40 polls").isNotNull();
    assertThat(judged.path("stall-" + topic).path("rule").asString())
        .startsWith(topic + "-0: the offset has not moved for");
    assertThat(judged.path("stall-" + topic).path("state").asString()).isEqualTo("Stable");
    assertThat(judged.path("stop-" + topic).path("state").asString()).isEqualTo("Empty");
    assertThat(judged.path("stop-" + topic).path("rule").asString())
        .startsWith(topic + "-0: no consumer, and the offset has not moved for");
    assertThat(judged.path("stop-" + topic).path("timeLagMs").asLong()).isPositive();
    assertThat(judged.path("ok-" + topic).path("status").asString()).isEqualTo("OK");
  }

  @Test
  void aDeclaredLagTopicNamingAGroupTheClusterLacksStopsTheStartNamingItsLine() throws Exception {
    String topic = KafkaBroker.uniqueName("declared");
    broker.createTopic(topic, 1);
    produce(topic, 1, 2);
    consume("known-" + topic, topic, 2).close();
    String json = "{\"kafka-lag\":[\"known-%s\",\"%s\"],\"bootstrap\":\"%s\"}";
    DeclaredTopic declared =
        DeclaredTopic.of(
            Declarations.settings(
                "lag", json.formatted(topic, "known-" + topic, broker.bootstrap())));
    declared.source().close();
    assertThatThrownBy(
            () ->
                DeclaredTopic.of(
                    Declarations.settings(
                        "lag", json.formatted(topic, "typo-" + topic, broker.bootstrap()))))
        .hasMessage(
            "screens.yaml, line 2: topic lag: kafka-lag: the cluster has no consumer group typo-"
                + topic
                + " (a group is known once it committed an offset)");
  }

  @Test
  void aTopicsLatestRecordsThenEachNewOneOnce() throws Exception {
    String topic = KafkaBroker.uniqueName("events");
    broker.createTopic(topic, 2);
    produce(topic, 1, 80);
    KafkaTopicSource source =
        opened(KafkaTopicSource.builder("events", broker.bootstrap(), topic).last(50).build());
    RecordingSink sink = new RecordingSink();
    source.start(sink);
    List<Integer> seen = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      seen.add(sink.next().path("n").asInt());
    }
    assertThat(seen).hasSize(50).doesNotHaveDuplicates().allMatch(n -> n > 30);
    produce(topic, 81, 85);
    for (int i = 81; i <= 85; i++) {
      seen.add(sink.next().path("n").asInt());
    }
    assertThat(seen).contains(81, 82, 83, 84, 85).doesNotHaveDuplicates();
    await().during(Duration.ofMillis(500)).until(() -> sink.published.isEmpty());

    // A record that is not JSON is skipped and said; the next good one goes on.
    try (KafkaProducer<String, String> p = broker.producer()) {
      p.send(new ProducerRecord<>(topic, 0, "x", "not json")).get();
      p.send(new ProducerRecord<>(topic, 0, "x", "{\"n\":86}")).get();
    }
    assertThat(sink.nextError())
        .startsWith("kafka error: a record is not JSON (" + topic + "-0 at ");
    assertThat(sink.next().path("n").asInt()).isEqualTo(86);
  }

  @Test
  void keyedByAFieldAndCommittingToAGroupWhenAsked() throws Exception {
    String topic = KafkaBroker.uniqueName("status");
    broker.createTopic(topic, 1);
    produce(topic, 1, 6);
    String group = "wall-" + topic;
    KafkaTopicSource source =
        opened(
            KafkaTopicSource.builder("pipelines", broker.bootstrap(), topic)
                .key("/pipeline")
                .commitTo(group)
                .build());
    RecordingSink sink = new RecordingSink();
    source.start(sink);
    for (int i = 1; i <= 6; i++) {
      JsonNode change = sink.next();
      assertThat(change.path("p" + (i % 3)).path("n").asInt()).isEqualTo(i);
    }
    try (var admin = broker.admin()) {
      await()
          .untilAsserted(
              () -> {
                Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                assertThat(committed.get(new TopicPartition(topic, 0)).offset()).isEqualTo(6);
              });
    }
  }

  @Test
  void aBrokerKilledAndStartedAgainIsShownAndNothingIsPublishedTwice() throws Exception {
    String topic = KafkaBroker.uniqueName("outage");
    broker.createTopic(topic, 1);
    produce(topic, 1, 3);
    consume("g-" + topic, topic, 3).close();
    KafkaTopicSource tail =
        opened(
            KafkaTopicSource.builder("tail", broker.bootstrap(), topic)
                .timeout(Duration.ofSeconds(2))
                .maxBackoff(Duration.ofSeconds(1))
                .build());
    RecordingSink tailed = new RecordingSink();
    tail.start(tailed);
    KafkaLagSource lag =
        opened(
            KafkaLagSource.builder("lag", broker.bootstrap())
                .groups("g-" + topic)
                .interval(Duration.ofMillis(300))
                .timeout(Duration.ofSeconds(2))
                .maxBackoff(Duration.ofSeconds(1))
                .build());
    RecordingSink lagged = new RecordingSink();
    lag.start(lagged);
    for (int i = 1; i <= 3; i++) {
      assertThat(tailed.next().path("n").asInt()).isEqualTo(i);
    }
    lagged.next();

    broker.kill();
    assertThat(lagged.errors.poll(30, TimeUnit.SECONDS)).startsWith("kafka unreachable");
    assertThat(tailed.errors.poll(30, TimeUnit.SECONDS)).startsWith("kafka unreachable");

    broker.start();
    produce(topic, 4, 6);
    for (int i = 4; i <= 6; i++) {
      assertThat(tailed.next().path("n").asInt()).as("each once, in order").isEqualTo(i);
    }
    await().during(Duration.ofSeconds(1)).until(() -> tailed.published.isEmpty());
    lagged.published.clear();
    assertThat(lagged.next().path("g-" + topic).path("lag").asLong()).isEqualTo(3);

    // Both close in bounded time, also while the broker is away.
    broker.kill();
    long closing = System.nanoTime();
    tail.close();
    lag.close();
    assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(20));
  } // the broker starts again after each test that stopped it
}
