package io.github.wsproducer.protocol;

/**
 * The WebSocket close codes the library sends, each with the reason text that goes with it. {@code
 * docs/protocol.md} says what a client should do on each.
 */
public enum CloseCode {
  /** The client sent a binary frame; the protocol has only text. */
  UNSUPPORTED_DATA(1003, "binary messages are not supported"),
  /** Too many invalid messages, or subscribes and unsubscribes, within a minute. */
  POLICY_VIOLATION(1008, "too many invalid messages or subscription changes"),
  /** The client's identity expired ({@link io.github.wsproducer.Identity#expires()}). */
  AUTHENTICATION_EXPIRED(1008, "authentication expired"),
  /** A client message larger than the server accepts. */
  MESSAGE_TOO_BIG(1009, "message too big"),
  /**
   * The server is stopping; the reason carries a jittered reconnect hint ({@link
   * Protocol#restartReason()}), not this enum's {@link #reason()}.
   */
  SERVICE_RESTART(1012, "restart"),
  /** The client did not read its frames within the write timeout. */
  SLOW_CONSUMER(4001, "slow consumer"),
  /** The client did not answer a ping within the pong timeout. */
  UNRESPONSIVE(4002, "no pong");

  private final int code;
  private final String reason;

  CloseCode(int code, String reason) {
    this.code = code;
    this.reason = reason;
  }

  /** The numeric code sent in the close frame. */
  public int code() {
    return code;
  }

  /** The reason text sent with it. */
  public String reason() {
    return code == 1012 ? Protocol.restartReason() : reason;
  }
}
