package io.github.wsproducer.redis;

import io.github.wsproducer.Hub;
import io.github.wsproducer.Topic;
import io.github.wsproducer.UpdateSource;
import io.github.wsproducer.WsProducerException;
import io.github.wsproducer.spi.NamedThreads;
import io.github.wsproducer.spi.Replica;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
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
 * running here, hands their leases back, and disconnects. Threads: {@code wsproducer-redis-read-1}
 * (a {@code StreamReader}) and {@code wsproducer-redis-lease-1} (the {@code Leases}); sources
 * publish through a {@code StreamSink}.
 */
public final class RedisFanout implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisFanout.class);
  static final String UNREACHABLE = StreamReader.UNREACHABLE;

  private final String node;
  private final long leaseMillis;
  private final boolean producing;
  private final ClientResources resources;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> commands;
  private final StatefulRedisConnection<String, String> reading;
  private final Leases leases;
  private final ScheduledExecutorService leaseThread;
  private final Thread reader;
  private final CountDownLatch closed = new CountDownLatch(1);

  private RedisFanout(Builder b) {
    this.node = b.node;
    this.leaseMillis = b.leaseTtl.toMillis();
    this.producing = !b.sources.isEmpty();
    Map<String, TopicKeys> keys = new LinkedHashMap<>();
    for (String topic : b.topics) {
      keys.put(topic, TopicKeys.of(b.prefix, topic));
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
    Replica replica = Replica.of(b.hub);
    this.leases =
        new Leases(
            node,
            leaseMillis,
            keys,
            Map.copyOf(b.sources),
            topic ->
                new StreamSink(
                    topic, keys.get(topic), node, b.maxLength, replica, commands.async(), b.clock),
            commands.sync(),
            b.clock);
    this.leaseThread =
        Executors.newSingleThreadScheduledExecutor(new NamedThreads("wsproducer-redis-lease"));
    this.reader =
        new NamedThreads("wsproducer-redis-read")
            .newThread(new StreamReader(b.hub, keys, reading.sync(), closed, b.clock));
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
    return leases.isProducing(topic);
  }

  private void start() {
    reader.start();
    if (producing) {
      leaseThread.scheduleWithFixedDelay(
          leases::renew, 0, Math.max(50, leaseMillis / 3), TimeUnit.MILLISECONDS);
    }
  }

  /** Stops the sources running here, releases their leases and disconnects. Idempotent. */
  @Override
  public void close() {
    if (closed.getCount() == 0) {
      return;
    }
    closed.countDown();
    leaseThread.shutdownNow();
    try {
      leaseThread.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    leases.releaseAll();
    try {
      reader.join(TimeUnit.SECONDS.toMillis(3));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (reader.isAlive()) {
      log.warn("the Redis reader did not stop within 3 s; disconnecting anyway");
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
    private Clock clock = Clock.systemUTC();

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

    /** The clock for leases, heartbeats and epochs; tests pass a manual one. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
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
