package io.github.wsproducer.protocol;

/** The {@code code} of an {@code error} frame: why a client message could not be used. */
public enum ErrorCode {
  /** The message is not valid JSON. */
  MALFORMED("malformed"),
  /** Valid JSON, but not an object, or a field is missing or of the wrong type. */
  INVALID("invalid"),
  /** The {@code type} is not one the server knows. */
  UNKNOWN_TYPE("unknown-type"),
  /** No topic of that name. */
  UNKNOWN_TOPIC("unknown-topic"),
  /**
   * The client's identity may not read the topic ({@link io.github.wsproducer.TopicAuthorizer}).
   */
  FORBIDDEN("forbidden"),
  /** The topic's state could not be read: a server-side failure, logged there. */
  UNAVAILABLE("unavailable");

  private final String wire;

  ErrorCode(String wire) {
    this.wire = wire;
  }

  /** The code as it appears on the wire. */
  public String wire() {
    return wire;
  }
}
