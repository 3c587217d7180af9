package io.github.wsproducer.kafka;

import io.github.wsproducer.Topic;
import io.github.wsproducer.UpdateSink;
import io.github.wsproducer.UpdateSource;
import io.github.wsproducer.spi.Backoff;
import io.github.wsproducer.spi.NamedThreads;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tails a Kafka topic of JSON records into a hub topic: each record's value as an event (for a
 * {@code State.window(n)} topic), or, with {@link Builder#key}, under a key (for a {@code
 * State.keyed()} topic). It starts with the latest {@link Builder#last} records, in the order they
 * were written, then follows the topic.
 *
 * <pre>{@code
 * KafkaTopicSource.builder("deploys", "kafka:9092", "deploy-events").last(50).build();
 * }</pre>
 *
 * <ul>
 *   <li><b>No duplicates.</b> It reads every partition itself ({@code assign}, no group rebalances)
 *       and remembers its position in each: after the cluster was unreachable, or a partition moved
 *       to another broker, it reads on from there, so no record is published twice. It commits no
 *       offsets, and needs no group, unless given one with {@link Builder#commitTo}: then it starts
 *       where the group left off and commits what it published.
 *   <li><b>Faults.</b> While the cluster does not answer, the topic shows {@code kafka unreachable}
 *       (checked every 5 s); the last events stay. A record that is not JSON is skipped, logged
 *       with its partition and offset, and shown as the topic's error until the next good record.
 *   <li>Threads: one, {@code wsproducer-kafka-<topic>-1}; {@link #close()} returns within about 5
 *       s. A fetch holds at most 8 MiB ({@code fetch.max.bytes}; {@link Builder#property} may
 *       change it).
 * </ul>
 */
public final class KafkaTopicSource implements UpdateSource {
  private static final Logger log = LoggerFactory.getLogger(KafkaTopicSource.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration POLL = Duration.ofMillis(500);
  private static final long HEALTH_MILLIS = 5_000;

  private final String topic;
  private final String kafkaTopic;
  private final int last;
  private final JsonPointer key;
  private final String group;
  private final Duration timeout;
  private final Duration maxBackoff;
  private final Map<String, Object> properties;
  private final Thread thread;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Map<TopicPartition, Long> positions = new HashMap<>(); // confined to the thread
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile UpdateSink sink;

  private KafkaTopicSource(Builder b) {
    this.topic = b.topic;
    this.kafkaTopic = b.kafkaTopic;
    this.last = b.last;
    this.key = b.key;
    this.group = b.group;
    this.timeout = b.timeout;
    this.maxBackoff = b.maxBackoff;
    Map<String, Object> p = Kafka.properties(b.bootstrap, b.properties, b.timeout);
    p.putIfAbsent("fetch.max.bytes", 8 << 20); // a fetch never holds more than 8 MiB of heap
    p.put("enable.auto.commit", "false");
    p.put("auto.offset.reset", "none");
    if (group != null) {
      p.put("group.id", group);
    }
    this.properties = p;
    this.thread = new NamedThreads("wsproducer-kafka-" + topic).newThread(this::run);
  }

  /**
   * A builder of a source publishing on {@code topic} the records of {@code kafkaTopic} in the
   * cluster at {@code bootstrap}.
   */
  public static Builder builder(String topic, String bootstrap, String kafkaTopic) {
    return new Builder(topic, bootstrap, kafkaTopic);
  }

  @Override
  public Set<String> topics() {
    return Set.of(topic);
  }

  @Override
  public void start(UpdateSink sink) {
    this.sink = Objects.requireNonNull(sink, "sink");
    thread.start();
  }

  private void run() {
    Backoff backoff = new Backoff(Duration.ofMillis(500), maxBackoff);
    while (closed.getCount() > 0) {
      try (KafkaConsumer<byte[], byte[]> c =
          new KafkaConsumer<>(
              properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        consumer = c;
        if (closed.getCount() == 0) {
          return;
        }
        follow(c, backoff);
      } catch (WakeupException e) {
        return; // closed
      } catch (Kafka.Failure | KafkaException e) {
        if (closed.getCount() == 0) {
          return;
        }
        Kafka.Failure failure = e instanceof Kafka.Failure f ? f : Kafka.failure(e);
        log.warn("topic {}: {}; reading again with backoff", topic, failure.getMessage(), e);
        sink.reportError(topic, failure.getMessage());
        backoff.pause(closed);
      } catch (InterruptedException e) {
        return;
      } finally {
        consumer = null;
      }
    }
  }

  private void follow(KafkaConsumer<byte[], byte[]> c, Backoff backoff)
      throws Kafka.Failure, InterruptedException {
    List<PartitionInfo> infos = c.partitionsFor(kafkaTopic, timeout);
    if (infos == null || infos.isEmpty()) {
      throw new Kafka.Failure("kafka error: no topic " + kafkaTopic, null);
    }
    List<TopicPartition> partitions = new ArrayList<>();
    infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
    c.assign(partitions);
    if (positions.isEmpty()) {
      startAtTheLatest(c, partitions);
    } else {
      positions.forEach(c::seek);
    }
    backoff.reset();
    sink.heartbeat(topic);
    long checkedAt = System.nanoTime();
    while (closed.getCount() > 0) {
      publish(c.poll(POLL));
      if (System.nanoTime() - checkedAt > TimeUnit.MILLISECONDS.toNanos(HEALTH_MILLIS)) {
        c.endOffsets(partitions, timeout); // throws while the cluster does not answer
        sink.heartbeat(topic);
        checkedAt = System.nanoTime();
      }
    }
  }

  /** Seeks to the group's offsets, or reads the latest {@code last} records and publishes them. */
  private void startAtTheLatest(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> partitions) {
    Map<TopicPartition, Long> ends = c.endOffsets(partitions, timeout);
    if (group != null) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          c.committed(Set.copyOf(partitions), timeout);
      boolean any = committed.values().stream().anyMatch(Objects::nonNull);
      if (any) {
        for (TopicPartition p : partitions) {
          OffsetAndMetadata o = committed.get(p);
          long at = o == null ? ends.get(p) : o.offset();
          c.seek(p, at);
          positions.put(p, at);
        }
        return;
      }
    }
    Map<TopicPartition, Long> begins = c.beginningOffsets(partitions, timeout);
    List<ConsumerRecord<byte[], byte[]>> backlog = new ArrayList<>();
    Map<TopicPartition, Long> wanted = new HashMap<>();
    for (TopicPartition p : partitions) {
      long from = Math.max(begins.get(p), ends.get(p) - last);
      c.seek(p, from);
      positions.put(p, from);
      if (ends.get(p) > from) {
        wanted.put(p, ends.get(p));
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!wanted.isEmpty() && System.nanoTime() < deadline && closed.getCount() > 0) {
      for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
        backlog.add(r);
      }
      wanted.keySet().removeIf(p -> c.position(p, timeout) >= wanted.get(p));
    }
    backlog.sort(Comparator.comparingLong(ConsumerRecord::timestamp));
    publish(backlog.subList(Math.max(0, backlog.size() - last), backlog.size()), backlog);
  }

  private void publish(Iterable<ConsumerRecord<byte[], byte[]>> records) {
    publish(records, records);
  }

  /** Publishes {@code shown} and moves the positions past every record of {@code read}. */
  private void publish(
      Iterable<ConsumerRecord<byte[], byte[]>> shown,
      Iterable<ConsumerRecord<byte[], byte[]>> read) {
    Map<TopicPartition, OffsetAndMetadata> commit = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : shown) {
      JsonNode value;
      try {
        value = r.value() == null ? null : JSON.readTree(r.value());
      } catch (JacksonException e) {
        log.warn(
            "topic {}: the record at {}-{} offset {} is not JSON; skipped",
            topic,
            r.topic(),
            r.partition(),
            r.offset());
        sink.reportError(
            topic,
            "kafka error: a record is not JSON ("
                + r.topic()
                + "-"
                + r.partition()
                + " at "
                + r.offset()
                + ")");
        continue;
      }
      if (key == null) {
        if (value != null) {
          sink.publish(topic, value);
        }
      } else {
        String name = keyOf(r, value);
        if (name != null) {
          Map<String, Object> change = new HashMap<>();
          change.put(name, value); // a null value (a tombstone) removes the key
          sink.publish(topic, change);
        }
      }
    }
    for (ConsumerRecord<byte[], byte[]> r : read) {
      TopicPartition p = new TopicPartition(r.topic(), r.partition());
      positions.put(p, r.offset() + 1);
      commit.put(p, new OffsetAndMetadata(r.offset() + 1));
    }
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (group != null && !commit.isEmpty() && c != null) {
      c.commitSync(commit, timeout);
    }
  }

  private String keyOf(ConsumerRecord<byte[], byte[]> r, JsonNode value) {
    if (key.matches()) { // the record's own key
      return r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    }
    JsonNode k = value == null ? null : value.at(key);
    return k == null || !k.isValueNode() || k.isNull() ? null : k.asString();
  }

  /** Stops reading and closes the consumer, within about 5 s. */
  @Override
  public void close() {
    closed.countDown();
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "KafkaTopicSource[" + topic + " from " + kafkaTopic + "]";
  }

  /** Configures a {@link KafkaTopicSource}. */
  public static final class Builder {
    private final String topic;
    private final String bootstrap;
    private final String kafkaTopic;
    private int last = 50;
    private JsonPointer key;
    private String group;
    private Duration timeout = Duration.ofSeconds(10);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private final Map<String, String> properties = new LinkedHashMap<>();

    private Builder(String topic, String bootstrap, String kafkaTopic) {
      this.topic = Topic.requireValidName(topic);
      this.bootstrap = Kafka.requireBootstrap(bootstrap);
      this.kafkaTopic = Objects.requireNonNull(kafkaTopic, "kafkaTopic");
      if (!kafkaTopic.matches("[a-zA-Z0-9._-]{1,249}")) {
        throw new IllegalArgumentException("not a Kafka topic name: \"" + kafkaTopic + "\"");
      }
    }

    /** How many of the latest records to start with. Default 50. */
    public Builder last(int records) {
      if (records < 0 || records > 100_000) {
        throw new IllegalArgumentException("last must be from 0 to 100000, was " + records);
      }
      this.last = records;
      return this;
    }

    /**
     * Publishes each record under a key: the value at this JSON Pointer in it ({@code /pipeline}),
     * or, with {@code ""}, the record's own key. A record whose value is null removes its key.
     */
    public Builder key(String pointer) {
      Objects.requireNonNull(pointer, "key");
      try {
        this.key = JsonPointer.compile(pointer);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "key must be a JSON Pointer such as /pipeline, or \"\" for the record's key, was \""
                + pointer
                + "\"");
      }
      return this;
    }

    /**
     * Starts where this consumer group left off, and commits the offsets of what was published to
     * it. Without it, nothing is committed and no group is used.
     */
    public Builder commitTo(String group) {
      if (Objects.requireNonNull(group, "group").isBlank()) {
        throw new IllegalArgumentException("a group name must not be empty");
      }
      this.group = group;
      return this;
    }

    /** How long each request to the cluster may take. Default 10 s. */
    public Builder timeout(Duration timeout) {
      this.timeout = Kafka.positive("timeout", timeout);
      return this;
    }

    /** The longest wait before reading again while the cluster fails. Default 30 s. */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = Kafka.positive("maxBackoff", maxBackoff);
      return this;
    }

    /**
     * A property of the consumer, such as {@code security.protocol} or {@code sasl.jaas.config}.
     */
    public Builder property(String name, String value) {
      properties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** A new source. */
    public KafkaTopicSource build() {
      return new KafkaTopicSource(this);
    }
  }
}
