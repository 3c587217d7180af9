package io.github.wsproducer;

import java.util.concurrent.ThreadLocalRandom;

/** The WebSocket close codes this library uses; {@code docs/protocol.md} has the full table. */
public final class CloseCodes {
  /** The server is stopping; the reason carries a jittered reconnect hint. */
  public static final int SERVICE_RESTART = 1012;

  /** Repeated malformed or invalid messages. */
  public static final int POLICY_VIOLATION = 1008;

  /** A message larger than the server accepts. */
  public static final int MESSAGE_TOO_BIG = 1009;

  /** The client did not read its frames within the write timeout. */
  public static final int SLOW_CONSUMER = 4001;

  /**
   * The reason sent with {@link #SERVICE_RESTART}: {@code "restart, reconnect in N ms"}, N drawn
   * uniformly from 1000 to 5000 so that a wall of screens does not reconnect all at once.
   */
  public static String restartReason() {
    return "restart, reconnect in " + ThreadLocalRandom.current().nextInt(1000, 5001) + " ms";
  }

  private CloseCodes() {}
}
