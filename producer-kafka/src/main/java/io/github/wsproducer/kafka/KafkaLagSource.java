package io.github.wsproducer.kafka;

import io.github.wsproducer.Topic;
import io.github.wsproducer.UpdateSink;
import io.github.wsproducer.UpdateSource;
import io.github.wsproducer.spi.Poller;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Publishes the consumer lag of Kafka consumer groups, a row per group on a keyed topic: the lag
 * per topic and partition, the total, the estimated time lag, and a status judged the way Burrow
 * judges it, over a sliding window of samples, with the rule that decided it.
 *
 * <pre>{@code
 * KafkaLagSource.builder("lag", "kafka:9092").groups("orders", "payments").build();
 * // {"orders": {"status": "WARN", "rule": "the offset moves, but lag grew over 90 s",
 * //             "lag": 1200, "timeLagMs": 8300, "state": "Stable",
 * //             "topics": {"orders": {"lag": 1200, "partitions": {"0": {"offset": 5, "end": 605,
 * //                 "lag": 600, "timeLagMs": 8300, "status": "WARN"}, ...}}}}, ...}
 * }</pre>
 *
 * <p>Each poll asks the cluster three things, whatever the number of groups and partitions: the
 * consumer groups and their states (whether they have members), the groups' committed offsets, and
 * the end offsets of their partitions. A partition's status is:
 *
 * <ul>
 *   <li><b>OK</b> when its lag was zero at some sample of the window, or does not grow;
 *   <li><b>WARN</b> when its offset moves but lag grew at every sample of the window;
 *   <li><b>STALL</b> when its offset did not move over the window while lag stayed or grew, and the
 *       group has members (a consumer that is stuck);
 *   <li><b>STOP</b> the same without members (no consumer runs).
 * </ul>
 *
 * A group's status is its worst partition's, with that partition's rule; a group without committed
 * offsets is {@code ERR}. The time lag of a partition is how long ago its next record was written,
 * estimated from when the end offset passed it in the polls so far (linear between two polls). An
 * unreachable or slow cluster is the topic's error ({@code kafka unreachable}); the last rows stay,
 * marked stale once the topic's {@code staleAfter} passes, and polls go on with backoff.
 */
public final class KafkaLagSource implements UpdateSource {
  private final String topic;
  private final Set<String> groups;
  private final Pattern pattern;
  private final int window;
  private final Duration timeout;
  private final Map<String, Object> properties;
  private final Clock clock;
  private final Poller poller;
  private final Map<String, Map<TopicPartition, LagWindow>> windows = new HashMap<>();
  private Admin admin; // confined to the poll

  private KafkaLagSource(Builder b) {
    this.topic = b.topic;
    this.groups = Set.copyOf(b.groups);
    this.pattern = b.pattern;
    this.window = b.window;
    this.timeout = b.timeout;
    this.properties = Kafka.properties(b.bootstrap, b.properties, b.timeout);
    this.clock = b.clock;
    this.poller =
        new Poller(topic, b.interval, b.maxBackoff, b.scheduler, this::poll, Kafka::describe);
  }

  /**
   * A builder of a source publishing on {@code topic} the lag of groups of the cluster at {@code
   * bootstrap}.
   */
  public static Builder builder(String topic, String bootstrap) {
    return new Builder(topic, bootstrap);
  }

  @Override
  public Set<String> topics() {
    return Set.of(topic);
  }

  @Override
  public void start(UpdateSink sink) {
    poller.start(Objects.requireNonNull(sink, "sink"));
  }

  Poller.Outcome poll(UpdateSink sink) throws Exception { // one poll; the sizing calls it too
    if (admin == null) {
      admin = Admin.create(properties);
    }
    long now = clock.millis();
    // One request tells every consumer group's state: whether it has members (a group being
    // described one by one costs a round trip and a retry each on Kafka 4).
    Map<String, String> states = new HashMap<>();
    for (GroupListing g :
        Kafka.get(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all(), timeout)) {
      states.put(g.groupId(), g.groupState().map(Object::toString).orElse("Unknown"));
    }
    Set<String> polled = new LinkedHashSet<>(groups);
    if (pattern != null) {
      states.keySet().stream()
          .filter(g -> pattern.matcher(g).matches())
          .sorted()
          .forEach(polled::add);
    }
    Map<String, ListConsumerGroupOffsetsSpec> specs = new LinkedHashMap<>();
    polled.forEach(g -> specs.put(g, new ListConsumerGroupOffsetsSpec()));
    Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new HashMap<>();
    if (!polled.isEmpty()) {
      ListConsumerGroupOffsetsResult offsets = admin.listConsumerGroupOffsets(specs);
      for (String group : polled) { // a group that does not exist fails alone
        Kafka.unlessNotFound(offsets.partitionsToOffsetAndMetadata(group), timeout)
            .ifPresent(o -> committed.put(group, o));
      }
    }
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    committed
        .values()
        .forEach(offsets -> offsets.keySet().forEach(p -> latest.put(p, OffsetSpec.latest())));
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
        latest.isEmpty() ? Map.of() : Kafka.get(admin.listOffsets(latest).all(), timeout);

    Map<String, Object> rows = new TreeMap<>();
    for (String group : polled) {
      String state = states.getOrDefault(group, "Dead");
      rows.put(group, row(group, committed.getOrDefault(group, Map.of()), ends, state, now));
    }
    windows.keySet().retainAll(polled);
    sink.replace(topic, rows);
    return Poller.Outcome.DONE;
  }

  private Map<String, Object> row(
      String group,
      Map<TopicPartition, OffsetAndMetadata> offsets,
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends,
      String state,
      long now) {
    Map<String, Object> row = new LinkedHashMap<>();
    Map<TopicPartition, LagWindow> seen = windows.computeIfAbsent(group, g -> new HashMap<>());
    seen.keySet().retainAll(offsets.keySet());
    if (offsets.isEmpty()) {
      row.put("status", "ERR");
      row.put("rule", "no committed offsets: no such group, or it never committed");
      row.put("state", state);
      return row;
    }
    LagWindow.Verdict worst = null;
    String worstAt = null;
    long lag = 0;
    long timeLag = 0;
    Map<String, Map<String, Object>> topics = new TreeMap<>();
    List<TopicPartition> partitions = new ArrayList<>(offsets.keySet());
    partitions.sort(
        (a, b) ->
            a.topic().equals(b.topic())
                ? a.partition() - b.partition()
                : a.topic().compareTo(b.topic()));
    for (TopicPartition p : partitions) {
      OffsetAndMetadata committed = offsets.get(p);
      ListOffsetsResult.ListOffsetsResultInfo end = ends.get(p);
      if (committed == null || end == null) {
        continue;
      }
      LagWindow w = seen.computeIfAbsent(p, x -> new LagWindow(window));
      w.add(new LagWindow.Sample(committed.offset(), end.offset(), now));
      LagWindow.Verdict verdict = w.judge(!state.equals("Empty") && !state.equals("Dead"));
      long partitionLag = w.last().lag();
      long partitionTimeLag = partitionLag == 0 ? 0 : w.timeLagMillis(committed.offset(), now);
      lag += partitionLag;
      timeLag = Math.max(timeLag, partitionTimeLag);
      if (worst == null || verdict.status().compareTo(worst.status()) > 0) {
        worst = verdict;
        worstAt = p.topic() + "-" + p.partition();
      }
      Map<String, Object> t =
          topics.computeIfAbsent(p.topic(), x -> new LinkedHashMap<>(Map.of("lag", 0L)));
      t.put("lag", (long) t.get("lag") + partitionLag);
      @SuppressWarnings("unchecked")
      Map<String, Object> byPartition =
          (Map<String, Object>) t.computeIfAbsent("partitions", x -> new LinkedHashMap<>());
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("offset", committed.offset());
      one.put("end", end.offset());
      one.put("lag", partitionLag);
      one.put("timeLagMs", partitionTimeLag);
      one.put("status", verdict.status().name());
      byPartition.put(Integer.toString(p.partition()), one);
    }
    row.put("status", worst == null ? "OK" : worst.status().name());
    row.put(
        "rule",
        worst == null
            ? "no partitions"
            : worst.status() == LagWindow.Status.OK ? worst.rule() : worstAt + ": " + worst.rule());
    row.put("lag", lag);
    row.put("timeLagMs", timeLag);
    row.put("state", state);
    row.put("topics", topics);
    return row;
  }

  /**
   * The groups given to this source that the cluster does not know, asked once with a short-lived
   * client.
   *
   * @throws Kafka.Failure if the cluster does not answer within {@code wait}
   */
  Set<String> unknownGroups(Duration wait) throws Kafka.Failure, InterruptedException {
    Map<String, Object> p = new HashMap<>(properties);
    p.put("request.timeout.ms", (int) wait.toMillis());
    p.put("default.api.timeout.ms", (int) wait.toMillis());
    Admin probe;
    try {
      probe = Admin.create(p);
    } catch (KafkaException e) { // a bootstrap that does not resolve
      throw Kafka.failure(e);
    }
    try (probe) {
      Set<String> unknown = new TreeSet<>(groups);
      for (GroupListing g :
          Kafka.get(probe.listGroups(ListGroupsOptions.forConsumerGroups()).all(), wait)) {
        unknown.remove(g.groupId());
      }
      return unknown;
    }
  }

  /** Stops polling and closes the admin client, within about the timeout. */
  @Override
  public void close() {
    poller.close();
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
  }

  @Override
  public String toString() {
    return "KafkaLagSource[" + topic + "]";
  }

  /** Configures a {@link KafkaLagSource}. */
  public static final class Builder {
    private final String topic;
    private final String bootstrap;
    private final Set<String> groups = new LinkedHashSet<>();
    private Pattern pattern;
    private int window = 10;
    private Duration interval = Duration.ofSeconds(10);
    private Duration timeout = Duration.ofSeconds(10);
    private Duration maxBackoff = Duration.ofMinutes(1);
    private final Map<String, String> properties = new LinkedHashMap<>();
    private ScheduledExecutorService scheduler;
    private Clock clock = Clock.systemUTC();

    private Builder(String topic, String bootstrap) {
      this.topic = Topic.requireValidName(topic);
      this.bootstrap = Kafka.requireBootstrap(bootstrap);
    }

    /** Groups whose lag to publish. */
    public Builder groups(String... groups) {
      for (String g : groups) {
        if (Objects.requireNonNull(g, "group").isBlank()) {
          throw new IllegalArgumentException("a group name must not be empty");
        }
        this.groups.add(g);
      }
      return this;
    }

    /**
     * Also every consumer group whose name matches this regular expression, as they come and go.
     */
    public Builder groupPattern(String regex) {
      try {
        this.pattern = Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "groupPattern is no regular expression: " + e.getDescription());
      }
      return this;
    }

    /** How many samples (polls) a status is judged over. Default 10, as Burrow's window. */
    public Builder window(int samples) {
      if (samples < 2 || samples > 1000) {
        throw new IllegalArgumentException("window must be from 2 to 1000 samples, was " + samples);
      }
      this.window = samples;
      return this;
    }

    /** Time between polls. Default 10 s; a window of 10 then spans 90 s. */
    public Builder interval(Duration interval) {
      this.interval = Kafka.positive("interval", interval);
      return this;
    }

    /** How long each of a poll's requests may take. Default 10 s. */
    public Builder timeout(Duration timeout) {
      this.timeout = Kafka.positive("timeout", timeout);
      return this;
    }

    /** The longest wait between polls while the cluster fails. Default 1 min. */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = Kafka.positive("maxBackoff", maxBackoff);
      return this;
    }

    /**
     * A property of the admin client, such as {@code security.protocol} or {@code
     * sasl.jaas.config}.
     */
    public Builder property(String name, String value) {
      properties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Polls on this scheduler instead of a thread of the source's own; the caller owns it. */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The clock of the samples; tests pass a manual one. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * A new source.
     *
     * @throws IllegalStateException if neither groups nor a pattern were given
     */
    public KafkaLagSource build() {
      if (groups.isEmpty() && pattern == null) {
        throw new IllegalStateException("a KafkaLagSource needs groups or a groupPattern");
      }
      return new KafkaLagSource(this);
    }
  }
}
