package io.github.wsproducer;

import tools.jackson.databind.JsonNode;

/**
 * Folds the values published on a topic into "the current state" of that topic.
 *
 * <p>The hub calls a state from one thread at a time per topic, in publish order, never under a
 * lock; an exception thrown here is logged with the topic name and the value is dropped, the hub
 * keeps serving. Each topic needs its own {@code State} instance.
 *
 * <p>Three kinds ship with the library; write your own by implementing the three methods:
 *
 * <ul>
 *   <li>{@link #latest()}: the snapshot is the last value; each update is the new value.
 *   <li>{@link #keyed()}: the snapshot is a JSON object; each value is an object of changed keys (a
 *       {@code null} field removes that key), and the update carries just those keys. A whole value
 *       ({@link UpdateSink#replace}) also removes the keys it lacks, sent as {@code null}.
 *   <li>{@link #window(int)}: the snapshot is an array of the last N values; each update is one new
 *       value.
 * </ul>
 */
public interface State {

  /** A short name of this kind of state, announced to clients in {@code hello}. */
  String kind();

  /**
   * Folds a published value into the state.
   *
   * @return the data of the update to send to subscribers, or {@code null} to send nothing (for
   *     example when the value changed nothing)
   * @throws IllegalArgumentException if the value does not fit this kind of state
   */
  JsonNode apply(JsonNode value);

  /**
   * Folds a value that is the topic's whole new content, as a poll that reads everything finds it
   * ({@link UpdateSink#replace}): what the value lacks is gone. By default the same as {@link
   * #apply}, which is right for kinds whose value is always whole (latest) or always one event
   * (window); {@link #keyed()} removes the keys the value lacks.
   *
   * @return the data of the update, or {@code null} to send nothing
   * @throws IllegalArgumentException if the value does not fit this kind of state
   */
  default JsonNode replace(JsonNode value) {
    return apply(value);
  }

  /**
   * Sets a new state instance to a snapshot that {@link #snapshot} made, when a hub restarts from
   * its {@link io.github.wsproducer.spi.HistoryStore}; the updates after it are then folded with
   * {@link #apply}, as clients fold them. By default {@link #replace}, which is right when the
   * snapshot is the whole value (latest, keyed); a window takes each of its values.
   *
   * @throws IllegalArgumentException if the snapshot does not fit this kind of state
   */
  default void restore(JsonNode snapshot) {
    replace(snapshot);
  }

  /**
   * Serializes the current state: the {@code data} of a snapshot. The hub encodes the returned node
   * before calling {@link #apply} again, so returning internal structure is fine.
   */
  JsonNode snapshot();

  /**
   * The {@link io.github.wsproducer.protocol.Checksum} of the current state, which each update
   * carries so that clients can check what they folded; {@code -1} for none. Keyed and window
   * states keep theirs as they fold; a kind of your own has none, as clients cannot fold it.
   */
  default long checksum() {
    return -1;
  }

  /**
   * The most values this state keeps, announced in {@code hello} so that clients keep as many: a
   * window's size; 0 when that does not apply.
   */
  default int capacity() {
    return 0;
  }

  /** A state whose snapshot is the latest value; JSON {@code null} before the first value. */
  static State latest() {
    return new LatestState();
  }

  /** A state holding a JSON object merged from partial objects. */
  static State keyed() {
    return new KeyedState();
  }

  /**
   * A state holding the last {@code size} values.
   *
   * @throws IllegalArgumentException if {@code size} is not positive
   */
  static State window(int size) {
    return new WindowState(size);
  }
}
