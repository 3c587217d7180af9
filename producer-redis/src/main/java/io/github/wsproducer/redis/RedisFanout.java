package io.github.wsproducer.redis;

import io.github.wsproducer.Hub;
import io.github.wsproducer.Topic;
import io.github.wsproducer.UpdateSink;
import io.github.wsproducer.UpdateSource;
import io.github.wsproducer.WsProducerException;
import io.github.wsproducer.internal.Backoff;
import io.github.wsproducer.internal.NamedThreads;
import io.github.wsproducer.spi.Replica;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this node one of several that serve the same topics: every value of a replicated topic goes
 * through one Redis stream per topic, and every node feeds its local {@link Hub} from the streams.
 * Clients may connect to any node and resume on another.
 *
 * <ul>
 *   <li><b>Same seq everywhere.</b> The stream id of an update is its seq ({@code <seq>-0}), so
 *       every node shows the same {@code epoch} and {@code seq} ({@link Replica#apply}). Streams
 *       are capped ({@link Builder#maxLength(long)}); a node that comes back after its position was
 *       trimmed announces the gap with a snapshot and {@code reset}.
 *   <li><b>One producer per topic.</b> A source given with {@link Builder#source(String, Supplier)}
 *       runs on exactly one node at a time, the holder of the topic's lease in Redis. The holder
 *       renews it every third of the lease TTL; when it dies, another node takes over within about
 *       one TTL and starts a new instance of the source. Only the holder can write (the scripts
 *       check the lease), so a deposed node cannot add entries.
 *   <li><b>Faults.</b> While Redis is unreachable, every replicated topic reports "Redis
 *       unreachable" as its status; clients stay connected. Nodes reconnect by themselves and read
 *       on from where they were; a Redis that lost its data starts a new epoch, which every client
 *       sees as a snapshot with {@code reset}.
 * </ul>
 *
 * <p>Status reports of the producing source ({@code heartbeat}, {@code reportError}) travel through
 * the stream too, so every node shows the same freshness. {@code isWatched} is always true for a
 * replicated source: a node does not know who watches elsewhere.
 *
 * <pre>{@code
 * Hub hub = Hub.builder().topic(Topic.of("random", State.latest())).build();
 * RedisFanout fanout =
 *     RedisFanout.builder("redis://127.0.0.1:6379", hub)
 *         .source("random", () -> RandomWalkSource.builder("random").build())
 *         .build();
 * }</pre>
 *
 * <p>Lifecycle: {@link Builder#build()} connects and starts; {@link #close()} stops the sources
 * running here, hands their leases back, and disconnects. Threads: {@code wsproducer-redis-read}
 * and {@code wsproducer-redis-lease}.
 */
public final class RedisFanout implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisFanout.class);
  static final String UNREACHABLE = "Redis unreachable";
  private static final long BLOCK_MILLIS = 500;
  private static final long EPOCH_CHECK_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final Hub hub;
  private final Replica replica;
  private final String node;
  private final long maxLength;
  private final long leaseMillis;
  private final Map<String, Keys> keys = new LinkedHashMap<>();
  private final Map<String, Supplier<? extends UpdateSource>> sources;
  private final ClientResources resources;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> commands;
  private final StatefulRedisConnection<String, String> reading;
  private final ScheduledExecutorService leases;
  private final Thread reader;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Map<String, UpdateSource> running = new ConcurrentHashMap<>();
  private final Map<String, Long> renewedAt = new ConcurrentHashMap<>();

  /** The Redis keys of one topic; one hash tag, so one cluster slot. */
  private record Keys(String stream, String epoch, String lease) {
    static Keys of(String prefix, String topic) {
      String tag = "{" + prefix + ":" + topic + "}";
      return new Keys(tag + ":stream", tag + ":epoch", tag + ":lease");
    }

    String[] all() {
      return new String[] {stream, epoch, lease};
    }
  }

  private RedisFanout(Builder b) {
    this.hub = b.hub;
    this.replica = Replica.of(b.hub);
    this.node = b.node;
    this.maxLength = b.maxLength;
    this.leaseMillis = b.leaseTtl.toMillis();
    this.sources = Map.copyOf(b.sources);
    for (String topic : b.topics) {
      keys.put(topic, Keys.of(b.prefix, topic));
    }
    this.resources =
        ClientResources.builder()
            .reconnectDelay(
                Delay.fullJitter(
                    Duration.ofMillis(50), Duration.ofMillis(500), 50, TimeUnit.MILLISECONDS))
            .build();
    RedisURI uri = RedisURI.create(b.uri);
    uri.setTimeout(Duration.ofSeconds(2));
    this.client = RedisClient.create(resources, uri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2)))
            .build());
    try {
      this.commands = client.connect();
      this.reading = client.connect();
    } catch (RedisException e) {
      client.shutdown();
      resources.shutdown();
      throw new WsProducerException(
          "cannot connect to Redis at " + b.uri + ": " + e.getMessage(), e);
    }
    this.leases =
        Executors.newSingleThreadScheduledExecutor(new NamedThreads("wsproducer-redis-lease"));
    this.reader = new NamedThreads("wsproducer-redis-read").newThread(this::read);
  }

  /**
   * A builder for a node that replicates topics of {@code hub} through the Redis at {@code uri}.
   */
  public static Builder builder(String uri, Hub hub) {
    return new Builder(uri, hub);
  }

  /** This node's id, as written into leases. */
  public String node() {
    return node;
  }

  /** Whether this node runs the source of {@code topic} now. */
  public boolean isProducing(String topic) {
    return running.containsKey(topic);
  }

  private void start() {
    reader.start();
    if (!sources.isEmpty()) {
      leases.scheduleWithFixedDelay(
          this::holdLeases, 0, Math.max(50, leaseMillis / 3), TimeUnit.MILLISECONDS);
    }
  }

  // ---- reading: every node feeds its hub from the streams ----

  private void read() {
    Map<String, String> positions = new LinkedHashMap<>();
    Map<String, String> epochs = new ConcurrentHashMap<>();
    keys.keySet().forEach(topic -> positions.put(topic, "0-0"));
    RedisCommands<String, String> redis = reading.sync();
    boolean down = false;
    long epochsCheckedAt = 0;
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
    while (closed.getCount() > 0) {
      try {
        if (down || System.nanoTime() - epochsCheckedAt > EPOCH_CHECK_NANOS) {
          restartOnNewEpochs(redis, positions, epochs);
          epochsCheckedAt = System.nanoTime();
        }
        List<StreamMessage<String, String>> messages =
            redis.xread(XReadArgs.Builder.block(BLOCK_MILLIS).count(1000), offsets(positions));
        if (down) {
          down = false;
          log.info("Redis is reachable again; reading on");
          keys.keySet().forEach(hub::heartbeat);
        }
        for (StreamMessage<String, String> m : messages) {
          String topic = topicOf(m.getStream());
          positions.put(topic, m.getId());
          epochs.put(topic, m.getBody().get("e"));
          apply(topic, m);
        }
      } catch (RedisException | IllegalStateException e) {
        if (closed.getCount() == 0) {
          return;
        }
        if (!down) {
          down = true;
          log.warn("Redis unreachable; topics report it until it returns: {}", e.toString());
          keys.keySet().forEach(topic -> hub.reportError(topic, UNREACHABLE));
        }
        await(backoff.next());
        continue;
      }
      backoff.reset();
    }
  }

  /** A Redis that lost its data numbers from 1 again under a new epoch: read from the start. */
  private void restartOnNewEpochs(
      RedisCommands<String, String> redis,
      Map<String, String> positions,
      Map<String, String> epochs) {
    for (Map.Entry<String, Keys> e : keys.entrySet()) {
      String known = epochs.get(e.getKey());
      if (known != null && !known.equals(redis.get(e.getValue().epoch()))) {
        log.info(
            "topic {}: Redis started a new epoch; reading its stream from the start", e.getKey());
        positions.put(e.getKey(), "0-0");
        epochs.remove(e.getKey());
      }
    }
  }

  @SuppressWarnings("unchecked")
  private XReadArgs.StreamOffset<String>[] offsets(Map<String, String> positions) {
    List<XReadArgs.StreamOffset<String>> offsets = new ArrayList<>();
    positions.forEach(
        (topic, id) -> offsets.add(XReadArgs.StreamOffset.from(keys.get(topic).stream(), id)));
    return offsets.toArray(XReadArgs.StreamOffset[]::new);
  }

  private String topicOf(String stream) {
    for (Map.Entry<String, Keys> e : keys.entrySet()) {
      if (e.getValue().stream().equals(stream)) {
        return e.getKey();
      }
    }
    throw new IllegalStateException("a message from an unknown stream " + stream);
  }

  private void apply(String topic, StreamMessage<String, String> m) {
    String id = m.getId();
    int dash = id.indexOf('-');
    long seq = Long.parseLong(id.substring(0, dash));
    Map<String, String> body = m.getBody();
    try {
      if (id.endsWith("-0")) {
        replica.apply(
            topic, Long.parseLong(body.get("e")), seq, body.get("v"), "1".equals(body.get("w")));
      } else if ("error".equals(body.get("s"))) {
        hub.reportError(topic, body.get("m"));
      } else {
        hub.heartbeat(topic);
      }
    } catch (RuntimeException e) {
      log.error("topic {}: entry {} of its stream could not be applied", topic, id, e);
    }
  }

  // ---- producing: one node per topic runs its source ----

  private void holdLeases() {
    for (Map.Entry<String, Supplier<? extends UpdateSource>> e : sources.entrySet()) {
      String topic = e.getKey();
      boolean holder;
      try {
        Long held =
            commands
                .sync()
                .eval(
                    Scripts.LEASE,
                    ScriptOutputType.INTEGER,
                    new String[] {keys.get(topic).lease()},
                    node,
                    Long.toString(leaseMillis));
        holder = held != null && held == 1;
        if (holder) {
          renewedAt.put(topic, System.nanoTime());
        }
      } catch (RedisException ex) {
        // Unsure: keep producing only while the last renewal is younger than the lease.
        Long at = renewedAt.get(topic);
        holder = at != null && System.nanoTime() - at < TimeUnit.MILLISECONDS.toNanos(leaseMillis);
      }
      if (holder && !running.containsKey(topic)) {
        startSource(topic, e.getValue());
      } else if (!holder && running.containsKey(topic)) {
        stopSource(topic);
      }
    }
  }

  private void startSource(String topic, Supplier<? extends UpdateSource> supplier) {
    try {
      UpdateSource source =
          Objects.requireNonNull(supplier.get(), "the source supplier returned null");
      source.start(new Sink(topic));
      running.put(topic, source);
      log.info("topic {}: this node ({}) produces it now", topic, node);
    } catch (RuntimeException ex) {
      log.error("topic {}: its source failed to start", topic, ex);
    }
  }

  private void stopSource(String topic) {
    UpdateSource source = running.remove(topic);
    if (source != null) {
      log.info("topic {}: this node ({}) no longer produces it", topic, node);
      try {
        source.close();
      } catch (RuntimeException ex) {
        log.error("topic {}: its source failed to close", topic, ex);
      }
    }
  }

  /** What a source running here publishes to: the topic's stream, if this node holds the lease. */
  private final class Sink implements UpdateSink {
    private final String topic;
    private final Keys k;
    private volatile long heartbeatAt;
    private volatile String lastError;

    Sink(String topic) {
      this.topic = topic;
      this.k = keys.get(topic);
    }

    private void requireOwnTopic(String t) {
      if (!topic.equals(t)) {
        throw new IllegalArgumentException(
            "the replicated source of \"" + topic + "\" cannot publish on \"" + t + "\"");
      }
    }

    @Override
    public void publish(String t, Object value) {
      send(t, value, false);
    }

    @Override
    public void replace(String t, Object value) {
      send(t, value, true);
    }

    private void send(String t, Object value, boolean whole) {
      requireOwnTopic(t);
      String json = replica.encode(t, value);
      lastError = null;
      heartbeatAt = System.nanoTime();
      write(
          Scripts.PUBLISH,
          json,
          Long.toString(maxLength),
          Long.toString(System.currentTimeMillis()),
          whole ? "1" : "0");
    }

    @Override
    public void heartbeat(String t) {
      requireOwnTopic(t);
      long now = System.nanoTime();
      if (lastError == null && now - heartbeatAt < TimeUnit.SECONDS.toNanos(1)) {
        return; // the stream hears from this topic often enough
      }
      lastError = null;
      heartbeatAt = now;
      write(Scripts.STATUS, "heartbeat", "", Long.toString(maxLength));
    }

    @Override
    public void reportError(String t, String message) {
      requireOwnTopic(t);
      if (!message.equals(lastError)) {
        lastError = message;
        write(Scripts.STATUS, "error", message, Long.toString(maxLength));
      }
    }

    @Override
    public boolean isWatched(String t) {
      return true;
    }

    private void write(String script, String... args) {
      String[] all = new String[args.length + 1];
      all[0] = node;
      System.arraycopy(args, 0, all, 1, args.length);
      try {
        commands
            .async()
            .eval(script, ScriptOutputType.INTEGER, k.all(), all)
            .whenComplete(
                (ok, failure) -> {
                  if (failure != null) {
                    log.debug("topic {}: not written to Redis: {}", topic, failure.toString());
                  }
                });
      } catch (RedisException e) {
        log.debug("topic {}: not written to Redis: {}", topic, e.toString());
      }
    }
  }

  private void await(Duration d) {
    try {
      closed.await(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed.countDown();
    }
  }

  /** Stops the sources running here, releases their leases and disconnects. Idempotent. */
  @Override
  public void close() {
    if (closed.getCount() == 0) {
      return;
    }
    closed.countDown();
    leases.shutdownNow();
    try {
      leases.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (String topic : new ArrayList<>(running.keySet())) {
      stopSource(topic);
      try {
        commands
            .sync()
            .eval(
                Scripts.RELEASE,
                ScriptOutputType.INTEGER,
                new String[] {keys.get(topic).lease()},
                node);
      } catch (RedisException e) {
        log.debug("topic {}: lease not released; it expires by itself", topic);
      }
    }
    try {
      reader.join(TimeUnit.SECONDS.toMillis(3));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    commands.close();
    reading.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  /** Configures a {@link RedisFanout}. */
  public static final class Builder {
    private final String uri;
    private final Hub hub;
    private final Set<String> topics = new LinkedHashSet<>();
    private final Map<String, Supplier<? extends UpdateSource>> sources = new LinkedHashMap<>();
    private String prefix = "wsproducer";
    private String node = "node-" + UUID.randomUUID().toString().substring(0, 8);
    private long maxLength = 10_000;
    private Duration leaseTtl = Duration.ofSeconds(3);

    private Builder(String uri, Hub hub) {
      this.uri = Objects.requireNonNull(uri, "uri");
      if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
        throw new IllegalArgumentException(
            "uri must start with redis:// or rediss://, was \"" + uri + "\"");
      }
      this.hub = Objects.requireNonNull(hub, "hub");
    }

    /** Replicates a topic of the hub whose values come from other nodes' sources. */
    public Builder topic(String topic) {
      Topic.requireValidName(topic);
      if (hub.topics().stream().noneMatch(t -> t.name().equals(topic))) {
        throw new IllegalArgumentException("the hub has no topic \"" + topic + "\"");
      }
      topics.add(topic);
      return this;
    }

    /**
     * Replicates a topic and produces it with a source from {@code supplier}, on one node of the
     * cluster at a time. The supplier is called each time this node takes the lead.
     */
    public Builder source(String topic, Supplier<? extends UpdateSource> supplier) {
      topic(topic);
      sources.put(topic, Objects.requireNonNull(supplier, "supplier"));
      return this;
    }

    /**
     * Keys start with {@code {prefix:topic}}; nodes of one cluster share it. Default wsproducer.
     */
    public Builder prefix(String prefix) {
      this.prefix = Topic.requireValidName(prefix);
      return this;
    }

    /** This node's id in leases and logs. Default a random one. */
    public Builder node(String node) {
      this.node = Objects.requireNonNull(node, "node");
      return this;
    }

    /** Entries kept per stream (approximately, trimmed by Redis). Default 10,000. */
    public Builder maxLength(long entries) {
      if (entries < 100) {
        throw new IllegalArgumentException("maxLength must be at least 100, was " + entries);
      }
      this.maxLength = entries;
      return this;
    }

    /** How long a producing node's lease outlives its last renewal. Default 3 s. */
    public Builder leaseTtl(Duration ttl) {
      Objects.requireNonNull(ttl, "leaseTtl");
      if (ttl.toMillis() < 300) {
        throw new IllegalArgumentException("leaseTtl must be at least 300 ms, was " + ttl);
      }
      this.leaseTtl = ttl;
      return this;
    }

    /**
     * Connects and starts reading and, for topics with a source, competing for their leases.
     *
     * @throws IllegalStateException if no topic was given
     * @throws WsProducerException if Redis cannot be reached
     */
    public RedisFanout build() {
      if (topics.isEmpty()) {
        throw new IllegalStateException("a RedisFanout needs at least one topic");
      }
      RedisFanout fanout = new RedisFanout(this);
      fanout.start();
      return fanout;
    }
  }
}
