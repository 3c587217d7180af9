package io.github.wsproducer.redis;

import io.github.wsproducer.Hub;
import io.github.wsproducer.spi.Backoff;
import io.github.wsproducer.spi.Replica;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the local hub from the topics' streams, on its own thread: updates at the stream's
 * positions, and the producing source's heartbeats and errors. While Redis is unreachable every
 * topic reports it; when Redis lost its data (a new epoch), it reads the streams from the start.
 */
final class StreamReader implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(StreamReader.class);
  static final String UNREACHABLE = "Redis unreachable";
  private static final long BLOCK_MILLIS = 500;
  private static final long EPOCH_CHECK_MILLIS = 2000;

  private final Hub hub;
  private final Replica replica;
  private final Map<String, TopicKeys> keys;
  private final RedisCommands<String, String> redis;
  private final CountDownLatch closed;
  private final Clock clock;

  StreamReader(
      Hub hub,
      Map<String, TopicKeys> keys,
      RedisCommands<String, String> redis,
      CountDownLatch closed,
      Clock clock) {
    this.hub = hub;
    this.replica = Replica.of(hub);
    this.keys = keys;
    this.redis = redis;
    this.closed = closed;
    this.clock = clock;
  }

  @Override
  public void run() {
    Map<String, String> positions = new LinkedHashMap<>();
    Map<String, String> epochs = new HashMap<>();
    keys.keySet().forEach(topic -> positions.put(topic, "0-0"));
    boolean down = false;
    long epochsCheckedAt = Long.MIN_VALUE;
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
    while (closed.getCount() > 0) {
      try {
        if (down || clock.millis() - epochsCheckedAt > EPOCH_CHECK_MILLIS) {
          restartOnNewEpochs(positions, epochs);
          epochsCheckedAt = clock.millis();
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
        backoff.reset();
      } catch (RedisException | IllegalStateException e) {
        if (closed.getCount() == 0) {
          return;
        }
        if (!down) {
          down = true;
          log.warn("Redis unreachable; topics report it until it returns: {}", e.toString());
          keys.keySet().forEach(topic -> hub.reportError(topic, UNREACHABLE));
        }
        backoff.pause(closed);
      }
    }
  }

  /** A Redis that lost its data numbers from 1 again under a new epoch: read from the start. */
  private void restartOnNewEpochs(Map<String, String> positions, Map<String, String> epochs) {
    for (Map.Entry<String, TopicKeys> e : keys.entrySet()) {
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
    for (Map.Entry<String, TopicKeys> e : keys.entrySet()) {
      if (e.getValue().stream().equals(stream)) {
        return e.getKey();
      }
    }
    throw new IllegalStateException("a message from an unknown stream " + stream);
  }

  private void apply(String topic, StreamMessage<String, String> m) {
    String id = m.getId();
    long seq = Long.parseLong(id.substring(0, id.indexOf('-')));
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
}
