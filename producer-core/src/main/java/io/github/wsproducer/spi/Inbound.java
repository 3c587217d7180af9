package io.github.wsproducer.spi;

import java.nio.ByteBuffer;

/**
 * The hub's side of one client connection: a transport reports here what the client did.
 * Implemented by the hub, returned by {@link Endpoint#open}.
 *
 * <p>Threads: a transport calls these from its I/O threads, one message at a time per connection.
 * They never block and never throw; the hub answers on the connection's {@link Outbound}, possibly
 * before returning.
 */
public interface Inbound {

  /**
   * A text message. In the envelope form it is a protocol message; a bad one is answered with an
   * {@code error} frame, and too many close the connection. The plain form ignores messages.
   */
  void onText(String text);

  /**
   * A binary message, which the protocol does not have: the hub closes the connection with 1003.
   * The payload is valid only during the call.
   */
  void onBinary(ByteBuffer payload);

  /** A pong, the answer to {@link Outbound#ping()}: the client still reads. */
  void onPong();

  /** The connection is gone, whatever the reason. Idempotent. */
  void onClosed();
}
