package io.github.wsproducer;

import io.github.wsproducer.protocol.Protocol;
import java.time.Duration;
import java.util.Objects;

/**
 * A named stream of updates, its {@link State}, how many recent updates the hub keeps for clients
 * that resume after a reconnect, how long it keeps its updates by time (for charts, export and
 * replay; {@code docs/history.md}), and how soon its data counts as stale.
 *
 * <pre>{@code
 * Topic.of("random", State.latest());
 * Topic.of("streams", State.keyed()).withHistory(4096).withStaleAfter(Duration.ofMinutes(1));
 * Topic.of("throughput", State.latest()).withRetention(Duration.ofHours(24), 64 << 20);
 * }</pre>
 *
 * @param name {@code [A-Za-z0-9._-]{1,128}}
 * @param state this topic's own state instance
 * @param history how many recent encoded updates to keep for resume, at least 1
 * @param staleAfter how long the topic may go without a publish or heartbeat before subscribers are
 *     told its data is stale; {@code null} for never
 * @param retention how long the hub's {@link io.github.wsproducer.spi.HistoryStore} keeps this
 *     topic's updates, positive
 * @param retentionBytes the most the store keeps of them, by {@link
 *     io.github.wsproducer.spi.HistoryStore.Entry#bytes()}, positive; the older go first
 * @param shape what a push to the topic must be ({@link Hub.Builder#push}); {@code null} for any
 *     JSON value
 */
public record Topic(
    String name,
    State state,
    int history,
    Duration staleAfter,
    Duration retention,
    long retentionBytes,
    Shape shape) {

  /** History size used by {@link #of(String, State)}. */
  public static final int DEFAULT_HISTORY = 1024;

  /** Retention used by {@link #of(String, State)}: an hour. */
  public static final Duration DEFAULT_RETENTION = Duration.ofHours(1);

  /** Retention bytes used by {@link #of(String, State)}: 1 MiB. */
  public static final long DEFAULT_RETENTION_BYTES = 1 << 20;

  /** Validates every component. */
  public Topic {
    requireValidName(name);
    Objects.requireNonNull(state, "state");
    if (history < 1) {
      throw new IllegalArgumentException("history must be at least 1, was " + history);
    }
    if (staleAfter != null && (staleAfter.isNegative() || staleAfter.isZero())) {
      throw new IllegalArgumentException("staleAfter must be positive, was " + staleAfter);
    }
    Objects.requireNonNull(retention, "retention");
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("retention must be positive, was " + retention);
    }
    if (retentionBytes < 1) {
      throw new IllegalArgumentException("retentionBytes must be positive, was " + retentionBytes);
    }
  }

  /** A topic with {@link #DEFAULT_HISTORY} that never goes stale. */
  public static Topic of(String name, State state) {
    return new Topic(
        name, state, DEFAULT_HISTORY, null, DEFAULT_RETENTION, DEFAULT_RETENTION_BYTES, null);
  }

  /** This topic with another history size. */
  public Topic withHistory(int history) {
    return new Topic(name, state, history, staleAfter, retention, retentionBytes, shape);
  }

  /** This topic, announced stale when it goes this long without a publish or heartbeat. */
  public Topic withStaleAfter(Duration staleAfter) {
    Objects.requireNonNull(staleAfter, "staleAfter");
    return new Topic(name, state, history, staleAfter, retention, retentionBytes, shape);
  }

  /** This topic, its updates kept for {@code retention} within its retention bytes. */
  public Topic withRetention(Duration retention) {
    return new Topic(name, state, history, staleAfter, retention, retentionBytes, shape);
  }

  /** This topic, its updates kept for {@code retention} and at most {@code maxBytes}. */
  public Topic withRetention(Duration retention, long maxBytes) {
    return new Topic(name, state, history, staleAfter, retention, maxBytes, shape);
  }

  /**
   * This topic, taking only pushes of this shape: a push that does not fit is answered 422, naming
   * the field and what was expected, and is not published.
   */
  public Topic withShape(Shape shape) {
    return new Topic(
        name,
        state,
        history,
        staleAfter,
        retention,
        retentionBytes,
        Objects.requireNonNull(shape, "shape"));
  }

  /** Whether {@code name} is a valid topic name. */
  public static boolean isValidName(String name) {
    return Protocol.isTopicName(name);
  }

  /**
   * Returns {@code name} if it is a valid topic name.
   *
   * @throws IllegalArgumentException naming the rule and the value otherwise
   */
  public static String requireValidName(String name) {
    Objects.requireNonNull(name, "topic name");
    if (!isValidName(name)) {
      throw new IllegalArgumentException(
          "topic name must match [A-Za-z0-9._-]{1,128}, was \"" + abbreviate(name) + "\"");
    }
    return name;
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
