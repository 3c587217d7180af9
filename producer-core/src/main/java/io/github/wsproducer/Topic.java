package io.github.wsproducer;

import io.github.wsproducer.protocol.Protocol;
import java.time.Duration;
import java.util.Objects;

/**
 * A named stream of updates, its {@link State}, how many recent updates the hub keeps for clients
 * that resume after a reconnect, and how soon its data counts as stale.
 *
 * <pre>{@code
 * Topic.of("random", State.latest());
 * Topic.of("streams", State.keyed()).withHistory(4096).withStaleAfter(Duration.ofMinutes(1));
 * }</pre>
 *
 * @param name {@code [A-Za-z0-9._-]{1,128}}
 * @param state this topic's own state instance
 * @param history how many recent encoded updates to keep for resume, at least 1
 * @param staleAfter how long the topic may go without a publish or heartbeat before subscribers are
 *     told its data is stale; {@code null} for never
 */
public record Topic(String name, State state, int history, Duration staleAfter) {

  /** History size used by {@link #of(String, State)}. */
  public static final int DEFAULT_HISTORY = 1024;

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
  }

  /** A topic with {@link #DEFAULT_HISTORY} that never goes stale. */
  public static Topic of(String name, State state) {
    return new Topic(name, state, DEFAULT_HISTORY, null);
  }

  /** This topic with another history size. */
  public Topic withHistory(int history) {
    return new Topic(name, state, history, staleAfter);
  }

  /** This topic, announced stale when it goes this long without a publish or heartbeat. */
  public Topic withStaleAfter(Duration staleAfter) {
    return new Topic(name, state, history, Objects.requireNonNull(staleAfter, "staleAfter"));
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
