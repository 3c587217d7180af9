package io.github.wsproducer;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named stream of updates, its {@link State}, and how many recent updates the hub keeps for
 * clients that resume after a reconnect.
 *
 * <pre>{@code
 * Topic.of("random", State.latest());
 * Topic.of("streams.orders", State.keyed()).withHistory(4096);
 * }</pre>
 *
 * @param name {@code [A-Za-z0-9._-]{1,128}}
 * @param state this topic's own state instance
 * @param history how many recent encoded updates to keep for resume, at least 1
 */
public record Topic(String name, State state, int history) {

  /** History size used by {@link #of(String, State)}. */
  public static final int DEFAULT_HISTORY = 1024;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  /** Validates every component. */
  public Topic {
    requireValidName(name);
    Objects.requireNonNull(state, "state");
    if (history < 1) {
      throw new IllegalArgumentException("history must be at least 1, was " + history);
    }
  }

  /** A topic with {@link #DEFAULT_HISTORY}. */
  public static Topic of(String name, State state) {
    return new Topic(name, state, DEFAULT_HISTORY);
  }

  /** This topic with another history size. */
  public Topic withHistory(int history) {
    return new Topic(name, state, history);
  }

  /** Whether {@code name} is a valid topic name. */
  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
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
