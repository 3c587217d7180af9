package io.github.wsproducer.redis;

import io.github.wsproducer.UpdateSink;
import io.github.wsproducer.UpdateSource;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each replicated source on one node of the cluster at a time: the holder of the topic's lease
 * in Redis. {@link #renew()} runs every third of the lease TTL on the lease thread; a node that
 * takes a lease starts a new instance of the source, one that loses it closes it.
 */
final class Leases {
  private static final Logger log = LoggerFactory.getLogger(Leases.class);

  private final String node;
  private final long ttlMillis;
  private final Map<String, TopicKeys> keys;
  private final Map<String, Supplier<? extends UpdateSource>> sources;
  private final Function<String, UpdateSink> sinks;
  private final RedisCommands<String, String> redis;
  private final Clock clock;
  private final Map<String, UpdateSource> running = new ConcurrentHashMap<>();
  private final Map<String, Long> renewedAt = new ConcurrentHashMap<>();

  Leases(
      String node,
      long ttlMillis,
      Map<String, TopicKeys> keys,
      Map<String, Supplier<? extends UpdateSource>> sources,
      Function<String, UpdateSink> sinks,
      RedisCommands<String, String> redis,
      Clock clock) {
    this.node = node;
    this.ttlMillis = ttlMillis;
    this.keys = keys;
    this.sources = sources;
    this.sinks = sinks;
    this.redis = redis;
    this.clock = clock;
  }

  boolean isProducing(String topic) {
    return running.containsKey(topic);
  }

  /** Takes or renews every lease it can, and starts or stops the sources to match. */
  void renew() {
    for (Map.Entry<String, Supplier<? extends UpdateSource>> e : sources.entrySet()) {
      String topic = e.getKey();
      boolean holder;
      try {
        Long held =
            redis.eval(
                Scripts.LEASE,
                ScriptOutputType.INTEGER,
                new String[] {keys.get(topic).lease()},
                node,
                Long.toString(ttlMillis));
        holder = held != null && held == 1;
        if (holder) {
          renewedAt.put(topic, clock.millis());
        }
      } catch (RedisException ex) {
        // Unsure: keep producing only while the last renewal is younger than the lease.
        Long at = renewedAt.get(topic);
        holder = at != null && clock.millis() - at < ttlMillis;
      }
      if (holder && !running.containsKey(topic)) {
        start(topic, e.getValue());
      } else if (!holder && running.containsKey(topic)) {
        stop(topic);
      }
    }
  }

  private void start(String topic, Supplier<? extends UpdateSource> supplier) {
    try {
      UpdateSource source =
          Objects.requireNonNull(supplier.get(), "the source supplier returned null");
      source.start(sinks.apply(topic));
      running.put(topic, source);
      log.info("topic {}: this node ({}) produces it now", topic, node);
    } catch (RuntimeException ex) {
      log.error("topic {}: its source failed to start", topic, ex);
    }
  }

  private void stop(String topic) {
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

  /** Stops the sources running here and hands their leases back. */
  void releaseAll() {
    for (String topic : new ArrayList<>(running.keySet())) {
      stop(topic);
      try {
        redis.eval(
            Scripts.RELEASE,
            ScriptOutputType.INTEGER,
            new String[] {keys.get(topic).lease()},
            node);
      } catch (RedisException e) {
        log.debug("topic {}: lease not released; it expires by itself", topic);
      }
    }
  }
}
