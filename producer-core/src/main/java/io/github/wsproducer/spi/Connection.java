package io.github.wsproducer.spi;

/**
 * The hub's side of one client connection, returned by {@code Hub.openPlain} and {@code
 * Hub.openEnvelope}. The transport reports incoming messages and the end of the connection here.
 * Thread-safe.
 */
public interface Connection {

  /**
   * A text message from the client. In the envelope form it is parsed as a protocol message; a bad
   * one is answered with an {@code error} frame. The plain form ignores client messages.
   */
  void onMessage(String text);

  /** The connection is gone, whatever the reason. Idempotent. */
  void onClose();
}
