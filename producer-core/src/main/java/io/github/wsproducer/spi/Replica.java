package io.github.wsproducer.spi;

import io.github.wsproducer.Hub;

/**
 * A hub as a replication module sees it (such as one that shares topics between nodes through a
 * Redis stream): values arrive with their positions already assigned by a replicated log, and are
 * serialized with the hub's own JSON mapper on the way into the log.
 *
 * <p>Thread-safe; no method blocks.
 */
public interface Replica {

  /**
   * The replica side of a hub built by {@link Hub#builder()}.
   *
   * @throws IllegalArgumentException if the hub is another implementation
   */
  static Replica of(Hub hub) {
    return HubSpi.of(hub).replica();
  }

  /**
   * Serializes a value published on a topic with the hub's JSON mapper, on the caller's thread.
   *
   * @throws IllegalArgumentException naming the topic and the type if it cannot be serialized
   */
  String encode(String topic, Object value);

  /**
   * Applies a value at a position assigned by the log, instead of one the hub assigns.
   *
   * <p>Positions must arrive in order. A position already applied is ignored. One that does not
   * follow on from the last (another epoch, or a gap) makes the hub adopt it and send every
   * subscriber a snapshot with {@code reset}. Every position becomes one update, so that {@code
   * seq} is the same on every node: when the state reports no change, the update's {@code data} is
   * {@code null}.
   *
   * @param json the value as {@link #encode} made it
   * @param whole whether the value is the topic's whole value ({@code UpdateSink.replace}) rather
   *     than a change
   * @throws IllegalArgumentException if the topic is unknown or the text is not JSON
   */
  void apply(String topic, long epoch, long seq, String json, boolean whole);
}
