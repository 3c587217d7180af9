package io.github.wsproducer;

/**
 * Where an {@link UpdateSource} hands its values and reports its health. The {@link Hub} is the
 * usual sink.
 *
 * <p>Thread-safe and non-blocking: a source may call it from any thread, at any rate. Values are
 * converted to JSON on the calling thread, so a value that cannot be serialized fails right here
 * with an {@link IllegalArgumentException}; everything after that happens asynchronously.
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
   * @param value anything Jackson can serialize: a record, a map, a {@code JsonNode}, a number
   * @throws IllegalArgumentException if the topic is unknown or the value is not serializable
   */
  void publish(String topic, Object value);

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
}
