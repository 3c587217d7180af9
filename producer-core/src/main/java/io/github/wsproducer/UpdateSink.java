package io.github.wsproducer;

import java.time.Clock;
import java.time.Instant;

/**
 * Where an {@link UpdateSource} hands its values and reports its health. The {@link Hub} is the
 * usual sink.
 *
 * <p>Thread-safe and non-blocking: a source may call it from any thread. Values are converted to
 * JSON on the calling thread, so a value that cannot be serialized fails right here with an {@link
 * IllegalArgumentException}; everything after that happens asynchronously.
 *
 * <p>Backlog: {@code publish} never blocks and never drops. Each topic applies its values one at a
 * time, in order, on the hub's threads; values published faster than that wait in the topic's
 * queue, which is not bounded: a source that publishes faster than the hub can fold and fan out,
 * for long, or a slow {@link State}, grows memory. Publish what changed at the rate screens need (a
 * {@code latest} topic shows only the last value anyway). Slow clients never hold a topic back:
 * their queues are bounded separately.
 *
 * <p>Freshness: a topic with {@link Topic#staleAfter()} is announced stale to its subscribers when
 * neither {@link #publish} nor {@link #heartbeat} was called for that long. {@link #reportError}
 * announces that the source cannot produce the topic's data; the next publish or heartbeat
 * announces that data flows again.
 */
public interface UpdateSink {

  /**
   * Publishes a value on a topic.
   *
   * @param topic a topic the hub was built with
   * @param value anything Jackson can serialize: a record, a map, a {@code JsonNode}, a number;
   *     {@code null} is JSON null
   * @throws IllegalArgumentException if the topic is unknown or the value is not serializable
   */
  void publish(String topic, Object value);

  /**
   * Publishes the topic's whole new value, as a source that reads everything at once (a poll of a
   * status query) has it. For a {@link State#keyed()} topic, keys the value lacks are removed and
   * sent as removals, so screens show exactly this value; for {@link State#latest()} and {@link
   * State#window(int)} it is the same as {@link #publish}. See {@link State#replace}.
   *
   * @param topic a topic the hub was built with
   * @param value anything Jackson can serialize
   *     <p>By default the same as {@link #publish}; a sink that forwards to another sink (as a
   *     replicating one does) must forward this as such.
   * @throws IllegalArgumentException if the topic is unknown or the value is not serializable
   */
  default void replace(String topic, Object value) {
    publish(topic, value);
  }

  /**
   * Publishes a value the topic had at a past moment, such as a point of a series read from a
   * time-series database, so that charts show it at its time: it is sent and kept in the topic's
   * history with time {@code at}. A value from before the topic's newest update is dropped: the
   * topic has that past already. Publish such values oldest first, before the current one.
   *
   * <p>By default the same as {@link #publish}, at the time it is called; a sink that forwards to
   * another sink must forward this as such.
   *
   * @throws IllegalArgumentException if the topic is unknown or the value is not serializable
   */
  default void publishAt(String topic, Object value, Instant at) {
    publish(topic, value);
  }

  /**
   * Says that the topic's data was checked and is still current, though nothing changed: a polling
   * source calls this after a poll that found no change. Clears a reported error.
   *
   * @throws IllegalArgumentException if the topic is unknown
   */
  default void heartbeat(String topic) {}

  /**
   * Says that the source cannot produce the topic's data right now, in words for the people
   * watching ("database unreachable"). Subscribers keep the last data and are told of the error
   * until the next {@link #publish} or {@link #heartbeat}.
   *
   * @throws IllegalArgumentException if the topic is unknown
   */
  default void reportError(String topic, String message) {}

  /**
   * Whether any client subscribes to the topic now. A source may pause expensive work while nobody
   * watches.
   */
  default boolean isWatched(String topic) {
    return true;
  }

  /**
   * The clock of the hub this sink feeds ({@link Hub.Builder#clock}): a source that stamps or ages
   * what it publishes reads this one, so that under a test's clock its times move with the hub's.
   */
  default Clock clock() {
    return Clock.systemUTC();
  }
}
