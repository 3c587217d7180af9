package io.github.wsproducer.spi;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One client's socket as the hub writes to it. Implemented by a transport, called by the hub.
 *
 * <p>Threads: the hub calls these methods from its own threads (topic work, the timer) and from the
 * thread that completed the previous send. None may block, throw, or call back into the hub before
 * returning (a {@link SendCallback} may complete on the calling thread, which the hub allows). The
 * hub never has more than one {@link #send} outstanding per connection; what comes meanwhile waits
 * in the hub's queue, up to the connection's byte cap.
 */
public interface Outbound {

  /** Completion of one {@link #send}. Exactly one method is called, once, on any thread. */
  interface SendCallback {
    /** The frames were written. */
    void succeeded();

    /** The frames could not be written; the hub then treats the connection as gone. */
    void failed(Throwable cause);
  }

  /**
   * Writes text frames, in order and asynchronously, in as few socket writes as the transport can.
   *
   * <p>The frames are shared with other connections: a transport sends their {@link
   * TextFrame#payload() payload} or {@link TextFrame#wire() wire} views and must not keep the list
   * after returning.
   */
  void send(List<TextFrame> frames, SendCallback callback);

  /**
   * Writes one binary message, asynchronously and after what was sent before. The hub never does:
   * its protocol is text. An endpoint that echoes what it receives does, such as the conformance
   * endpoint of the transport kit; a transport without it fails the send.
   */
  default void sendBinary(ByteBuffer payload, SendCallback callback) {
    callback.failed(new UnsupportedOperationException("binary messages"));
  }

  /**
   * Sends a protocol-level ping; the client's pong goes to {@link Inbound#onPong()}. Browsers
   * answer it by themselves.
   */
  void ping();

  /** Starts a graceful close with a WebSocket close code and a short reason. */
  void close(int code, String reason);

  /**
   * Drops the connection at once, without a closing handshake. Called some time after {@link
   * #close} when the peer does not read (a slow consumer), so that its memory is released.
   */
  void abort();

  /** A short description for logs, such as the remote address. */
  String describe();
}
