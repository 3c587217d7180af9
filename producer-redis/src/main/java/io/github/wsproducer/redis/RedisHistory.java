package io.github.wsproducer.redis;

import io.github.wsproducer.Topic;
import io.github.wsproducer.WsProducerException;
import io.github.wsproducer.spi.HistoryStore;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link HistoryStore} in Redis, for a hub that runs on several nodes with {@link RedisFanout}:
 * each topic's updates in a Redis stream, retained by time, so that every node serves the same
 * history, and a node that starts (or restarts) takes up its topics' state, {@code epoch} and
 * {@code seq} from it.
 *
 * <pre>{@code
 * Hub hub = Hub.builder()
 *     .topic(Topic.of("random", State.latest()).withRetention(Duration.ofHours(6)))
 *     .history(RedisHistory.open("redis://redis:6379"))
 *     .build();
 * RedisFanout fanout = RedisFanout.builder("redis://redis:6379", hub).source("random", ...).build();
 * }</pre>
 *
 * <ul>
 *   <li><b>Kept once.</b> Every node appends the updates it applies; a script keeps the first
 *       append of each {@code (epoch, seq)} and ignores the others, so a topic must have the same
 *       positions on every node that shares it, as a topic {@link RedisFanout} replicates has. A
 *       topic each node publishes by itself is {@link Builder#local local}: kept per node, under
 *       the node's name.
 *   <li><b>By time.</b> Stream ids are the updates' times, so a read by time is one {@code XRANGE};
 *       updates older than the topic's retention, or over its bytes, are trimmed as new ones come,
 *       never one after the latest snapshot.
 *   <li><b>Durable</b> means Redis has it: a push is answered once Redis acknowledged its update.
 *       What survives a restart of Redis itself is Redis's persistence (AOF with {@code appendfsync
 *       everysec} or {@code always}); a Redis without it loses the history with its data. Appends
 *       are asynchronous, so {@code kill -9} of a node loses at most the appends still in flight
 *       (milliseconds); the other nodes of a cluster append them too.
 *   <li><b>Faults.</b> While Redis is unreachable, appends are dropped with one warning and pushes
 *       are answered 503; history reads fail with an error. Building the store fails when Redis
 *       cannot be reached.
 * </ul>
 *
 * <p>Keys start with {@code {prefix:topic}}, the hash tag of the topic's {@link RedisFanout} keys:
 * {@code :history}, {@code :history-meta}, {@code :snapshot} and {@code :snapshots}.
 */
public final class RedisHistory implements HistoryStore {
  private static final Logger log = LoggerFactory.getLogger(RedisHistory.class);
  private static final int PAGE = 1000;

  /** A write that failed this long before a {@link #durable()} call may have been its update's. */
  private static final long FAILURE_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final String prefix;
  private final String node;
  private final Set<String> local;
  private final String openKey;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final RedisAsyncCommands<String, String> async;
  private final RedisCommands<String, String> sync;
  private final boolean closedCleanly;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean failing = new AtomicBoolean(); // logged once per outage
  private volatile long failedAt = System.nanoTime() - 2 * FAILURE_MARGIN_NANOS;

  private RedisHistory(Builder b) {
    this.prefix = b.prefix;
    this.node = b.node;
    this.local = Set.copyOf(b.local);
    this.openKey = prefix + ":history-open:" + node;
    RedisURI uri = RedisURI.create(b.uri);
    uri.setTimeout(Duration.ofSeconds(2));
    this.client = RedisClient.create(uri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .requestQueueSize(65_536) // a slow Redis costs failed appends, not the heap
            .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2)))
            .build());
    try {
      this.connection = client.connect();
      this.async = connection.async();
      this.sync = connection.sync();
      // Set while open and deleted by close(): still set at the next open means a crash.
      this.closedCleanly = sync.setGet(openKey, "open") == null;
    } catch (RedisException e) {
      client.shutdown();
      throw new WsProducerException(
          "cannot connect to Redis at " + b.uri + " for history: " + e.getMessage(), e);
    }
    if (!closedCleanly) {
      log.warn(
          "the history of node {} in Redis was not closed cleanly (the process was killed or"
              + " crashed): appends in flight then were lost; each restored topic starts a new"
              + " epoch with its next update",
          node);
    }
  }

  /** A store in the Redis at {@code uri} with the default options. */
  public static RedisHistory open(String uri) {
    return builder(uri).open();
  }

  /** A builder of a store in the Redis at {@code uri} ({@code redis://} or {@code rediss://}). */
  public static Builder builder(String uri) {
    return new Builder(uri);
  }

  @Override
  public TopicHistory topic(String topic, Duration retention, long maxBytes) {
    String tag =
        "{" + prefix + ":" + topic + "}" + (local.contains(topic) ? ":node:" + node + ":" : ":");
    return new TopicInRedis(tag, retention.toMillis(), maxBytes);
  }

  /**
   * Completes once Redis has acknowledged everything appended before: the connection answers in
   * order, so a {@code PING} sent now completes after them. Fails if a write failed meanwhile
   * (conservatively: any failure in the last second fails it, so an update Redis did keep may be
   * answered 503, but none it lost is answered 202).
   */
  @Override
  public CompletionStage<Void> durable() {
    long calledAt = System.nanoTime();
    if (closed.get()) {
      return CompletableFuture.failedFuture(new IllegalStateException("the history is closed"));
    }
    CompletableFuture<Void> durable = new CompletableFuture<>();
    try {
      async
          .ping()
          .whenComplete(
              (pong, failure) -> {
                if (failure != null) {
                  durable.completeExceptionally(failure);
                } else if (failedAt - (calledAt - FAILURE_MARGIN_NANOS) > 0) {
                  durable.completeExceptionally(
                      new WsProducerException("Redis failed a history write"));
                } else {
                  durable.complete(null);
                }
              });
    } catch (RedisException e) {
      durable.completeExceptionally(e);
    }
    return durable;
  }

  @Override
  public boolean closedCleanly() {
    return closedCleanly;
  }

  /** Waits for the writes in flight, marks the node's history closed cleanly and disconnects. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      sync.del(openKey); // after the writes before it: the connection answers in order
    } catch (RedisException e) {
      log.warn("the history could not be marked closed in Redis: {}", e.toString());
    }
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  @Override
  public String toString() {
    return "RedisHistory[" + prefix + ", node " + node + "]";
  }

  private void write(String script, String[] keys, String... args) {
    try {
      async
          .eval(script, ScriptOutputType.INTEGER, keys, args)
          .whenComplete(
              (kept, failure) -> {
                if (failure != null) {
                  failed(failure);
                } else if (failing.compareAndSet(true, false)) {
                  log.info("history is written to Redis again");
                }
              });
    } catch (RedisException e) {
      failed(e);
    }
  }

  /** A write that failed: what {@link #durable} checks, said once per outage. */
  private void failed(Throwable failure) {
    failedAt = System.nanoTime();
    if (!closed.get() && failing.compareAndSet(false, true)) {
      log.warn("history not written to Redis until it returns: {}", failure.toString());
    }
  }

  /** A topic's keys, and its updates and snapshots as entries. */
  private final class TopicInRedis implements TopicHistory {
    private final String updates;
    private final String[] appendKeys;
    private final String[] snapshotKeys;
    private final String snapshot;
    private final String series;
    private final String retentionMillis;
    private final String maxBytes;

    TopicInRedis(String tag, long retentionMillis, long maxBytes) {
      this.updates = tag + "history";
      this.snapshot = tag + "snapshot";
      this.series = tag + "snapshots";
      String meta = tag + "history-meta";
      this.appendKeys = new String[] {updates, meta, series};
      this.snapshotKeys = new String[] {snapshot, series, meta};
      this.retentionMillis = Long.toString(retentionMillis);
      this.maxBytes = Long.toString(maxBytes);
    }

    @Override
    public void append(Entry update) {
      write(
          HistoryScripts.APPEND,
          appendKeys,
          Long.toString(update.epoch()),
          Long.toString(update.seq()),
          Long.toString(update.ts()),
          update.data(),
          retentionMillis,
          maxBytes);
    }

    @Override
    public void saveSnapshot(Entry snapshot) {
      write(
          HistoryScripts.SNAPSHOT,
          snapshotKeys,
          Long.toString(snapshot.epoch()),
          Long.toString(snapshot.seq()),
          Long.toString(snapshot.ts()),
          snapshot.data(),
          Long.toString(SNAPSHOT_SERIES.toMillis()));
    }

    @Override
    public Entry latestSnapshot() {
      Map<String, String> kept = sync.hgetall(snapshot);
      return kept.isEmpty()
          ? null
          : new Entry(
              Long.parseLong(kept.get("e")),
              Long.parseLong(kept.get("s")),
              Long.parseLong(kept.get("t")),
              kept.get("d"));
    }

    @Override
    public Entry snapshotAt(long ts) {
      Entry latest = latestSnapshot();
      if (latest != null && latest.ts() <= ts) {
        return latest;
      }
      List<StreamMessage<String, String>> at =
          sync.xrevrange(series, Range.create("-", Long.toString(ts)), Limit.from(1));
      if (at.isEmpty()) {
        return null;
      }
      Map<String, String> kept = at.get(0).getBody();
      return new Entry(
          Long.parseLong(kept.get("e")),
          Long.parseLong(kept.get("s")),
          Long.parseLong(kept.get("t")),
          kept.get("d"));
    }

    @Override
    public List<Entry> last(int count) {
      List<Entry> entries = new ArrayList<>();
      for (StreamMessage<String, String> m :
          sync.xrevrange(updates, Range.create("-", "+"), Limit.from(count))) {
        entries.add(entry(m));
      }
      Collections.reverse(entries);
      return entries;
    }

    @Override
    public void scan(long since, long until, Predicate<Entry> visitor) {
      String from = Math.max(0, since) + "-0";
      String to = until + "-" + Long.toUnsignedString(-1L);
      while (true) {
        List<StreamMessage<String, String>> page =
            sync.xrange(updates, Range.create(from, to), Limit.from(PAGE));
        for (StreamMessage<String, String> m : page) {
          if (!visitor.test(entry(m))) {
            return;
          }
        }
        if (page.size() < PAGE) {
          return;
        }
        String last = page.get(page.size() - 1).getId();
        int dash = last.indexOf('-');
        from = last.substring(0, dash) + "-" + (Long.parseLong(last.substring(dash + 1)) + 1);
      }
    }

    private Entry entry(StreamMessage<String, String> m) {
      Map<String, String> body = m.getBody();
      String id = m.getId();
      return new Entry(
          Long.parseLong(body.get("e")),
          Long.parseLong(body.get("s")),
          Long.parseLong(id.substring(0, id.indexOf('-'))),
          body.get("d"));
    }
  }

  /** The options of a {@link RedisHistory}. */
  public static final class Builder {
    private final String uri;
    private String prefix = "wsproducer";
    private String node = "node";
    private final Set<String> local = new LinkedHashSet<>();

    private Builder(String uri) {
      this.uri = Objects.requireNonNull(uri, "uri");
      if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
        throw new IllegalArgumentException(
            "uri must start with redis:// or rediss://, was \"" + uri + "\"");
      }
    }

    /**
     * Keys start with {@code {prefix:topic}}: the nodes of one cluster share it, and it is the
     * prefix of their {@link RedisFanout}. Default wsproducer.
     */
    public Builder prefix(String prefix) {
      this.prefix = Topic.requireValidName(prefix);
      return this;
    }

    /**
     * This node's name, stable across its restarts: its {@link #local} topics are kept under it,
     * and whether it was last closed cleanly. Nodes that share a prefix need names of their own
     * when they have local topics. Default {@code node}.
     */
    public Builder node(String node) {
      this.node = Topic.requireValidName(node);
      return this;
    }

    /**
     * Topics this node publishes by itself rather than through {@link RedisFanout}, so with
     * positions of its own: kept per node, under its {@link #node} name.
     */
    public Builder local(String... topics) {
      for (String topic : topics) {
        local.add(Topic.requireValidName(topic));
      }
      return this;
    }

    /**
     * Connects.
     *
     * @throws WsProducerException if Redis cannot be reached
     */
    public RedisHistory open() {
      return new RedisHistory(this);
    }
  }
}
