package io.github.wsproducer;

/** The one unchecked exception this library throws for failures at run time. */
public class WsProducerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** With a message. */
  public WsProducerException(String message) {
    super(message);
  }

  /** With a message and a cause. */
  public WsProducerException(String message, Throwable cause) {
    super(message, cause);
  }
}
