package io.github.wsproducer.redis;

import io.github.wsproducer.UpdateSink;
import io.github.wsproducer.spi.Replica;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a source running on this node publishes to: its topic's stream, through scripts that let
 * only the lease holder write. Writes are asynchronous; a failed one is logged, and the reader
 * reports Redis as unreachable to the screens.
 */
final class StreamSink implements UpdateSink {
  private static final Logger log = LoggerFactory.getLogger(StreamSink.class);

  /** The stream hears of an unchanged topic at most this often. */
  private static final long HEARTBEAT_MILLIS = 1000;

  private final String topic;
  private final TopicKeys keys;
  private final String node;
  private final String maxLength;
  private final Replica replica;
  private final RedisAsyncCommands<String, String> redis;
  private final Clock clock;
  private volatile long heartbeatAt = Long.MIN_VALUE;
  private volatile String lastError;

  StreamSink(
      String topic,
      TopicKeys keys,
      String node,
      long maxLength,
      Replica replica,
      RedisAsyncCommands<String, String> redis,
      Clock clock) {
    this.topic = topic;
    this.keys = keys;
    this.node = node;
    this.maxLength = Long.toString(maxLength);
    this.replica = replica;
    this.redis = redis;
    this.clock = clock;
  }

  private void requireOwnTopic(String t) {
    if (!topic.equals(t)) {
      throw new IllegalArgumentException(
          "the replicated source of \"" + topic + "\" cannot publish on \"" + t + "\"");
    }
  }

  @Override
  public void publish(String t, Object value) {
    append(t, value, false);
  }

  @Override
  public void replace(String t, Object value) {
    append(t, value, true);
  }

  private void append(String t, Object value, boolean whole) {
    requireOwnTopic(t);
    String json = replica.encode(t, value);
    long now = clock.millis();
    lastError = null;
    heartbeatAt = now;
    write(Scripts.PUBLISH, json, maxLength, Long.toString(now), whole ? "1" : "0");
  }

  @Override
  public void heartbeat(String t) {
    requireOwnTopic(t);
    long now = clock.millis();
    if (lastError == null && now - heartbeatAt < HEARTBEAT_MILLIS) {
      return; // the stream hears from this topic often enough
    }
    lastError = null;
    heartbeatAt = now;
    write(Scripts.STATUS, "heartbeat", "", maxLength);
  }

  @Override
  public void reportError(String t, String message) {
    requireOwnTopic(t);
    if (!message.equals(lastError)) {
      lastError = message;
      write(Scripts.STATUS, "error", message, maxLength);
    }
  }

  /** Always: a node does not know who watches elsewhere. */
  @Override
  public boolean isWatched(String t) {
    return true;
  }

  private void write(String script, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = node;
    System.arraycopy(args, 0, all, 1, args.length);
    try {
      redis
          .eval(script, ScriptOutputType.INTEGER, keys.all(), all)
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
