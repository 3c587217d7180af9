package io.github.wsproducer;

/**
 * Where an {@link UpdateSource} hands its values. The {@link Hub} is the usual sink.
 *
 * <p>Thread-safe and non-blocking: a source may publish from any thread, at any rate. Values are
 * converted to JSON on the calling thread, so a value that cannot be serialized fails right here
 * with an {@link IllegalArgumentException}; everything after that happens asynchronously.
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
}
