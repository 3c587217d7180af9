package io.github.wsproducer.protocol;

import java.util.Collection;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The constants and rules of wire protocol v1 that a transport or a client needs.
 *
 * <ul>
 *   <li><b>Plain form</b> (no subprotocol): the connection is subscribed to the topic its path
 *       names ({@link #plainTopic}); each text frame is that topic's data.
 *   <li><b>Envelope form</b> ({@link #SUBPROTOCOL}, at path {@code /}): JSON messages with a {@code
 *       type}, {@link ClientMessage} one way and the hub's frames the other.
 * </ul>
 */
public final class Protocol {
  /** The subprotocol of the envelope form. */
  public static final String SUBPROTOCOL = "wsproducer.v1";

  /** The path at which transports serve the browser client, {@code wsproducer.js}. */
  public static final String CLIENT_SCRIPT_PATH = "/wsproducer.js";

  /** The only path of the envelope form. */
  public static final String ENVELOPE_PATH = "/";

  /** The bounds of the reconnect hint sent with {@link CloseCode#SERVICE_RESTART}. */
  public static final int RESTART_HINT_MIN_MILLIS = 1000;

  /** See {@link #RESTART_HINT_MIN_MILLIS}. */
  public static final int RESTART_HINT_MAX_MILLIS = 5000;

  private Protocol() {}

  /** Whether {@code name} is a valid topic name, {@code [A-Za-z0-9._-]{1,128}}. */
  public static boolean isTopicName(String name) {
    // Checked on every handshake and subscription: a loop allocates nothing, a matcher does.
    if (name == null || name.isEmpty() || name.length() > 128) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }

  /**
   * The topic of a plain connection at {@code path}: {@code /} is the default topic, {@code /name}
   * the topic {@code name}.
   *
   * @return the topic, or {@code null} when the path names none of {@code topics} (HTTP 404)
   */
  public static String plainTopic(String path, String defaultTopic, Collection<String> topics) {
    String topic = path.equals("/") ? defaultTopic : path.substring(1);
    return isTopicName(topic) && topics.contains(topic) ? topic : null;
  }

  /**
   * The reason sent with {@link CloseCode#SERVICE_RESTART}: {@code "restart, reconnect in N ms"}, N
   * drawn uniformly between the hint's bounds for each connection, so that a wall of screens does
   * not reconnect all at once.
   */
  public static String restartReason() {
    return "restart, reconnect in "
        + ThreadLocalRandom.current().nextInt(RESTART_HINT_MIN_MILLIS, RESTART_HINT_MAX_MILLIS + 1)
        + " ms";
  }
}
