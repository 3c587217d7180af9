package io.github.wsproducer;

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

  private CloseCodes() {}
}
