package io.github.wsproducer.spi;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One client connection as the hub sees it, implemented by a transport adapter.
 *
 * <p>The hub never has more than one {@link #send} outstanding per connection; it queues what comes
 * meanwhile, up to the connection's byte cap. No method may block: they are called from hub
 * threads, never under a lock.
 */
public interface Transport {

  /** Callback of one {@link #send}. Exactly one of the methods is called, once. */
  interface SendCallback {
    /** The frames were written. */
    void succeeded();

    /** The frames could not be written; the hub then treats the connection as gone. */
    void failed(Throwable cause);
  }

  /**
   * Writes text frames, in order and asynchronously, in as few socket writes as the transport can;
   * the callback completes once all of them are written, possibly on the calling thread.
   *
   * <p>Each buffer holds the UTF-8 bytes of one text frame. The buffers are read-only views of
   * bytes shared with other connections; the transport may consume them but must not keep the list
   * after returning.
   */
  void send(List<ByteBuffer> frames, SendCallback callback);

  /** Sends a protocol-level ping if the transport has one; used for plain connections. */
  void ping();

  /** Starts a graceful close with a WebSocket close code and a short reason. */
  void close(int code, String reason);

  /**
   * Drops the connection at once, without a handshake. Called after {@link #close} when the peer
   * does not read (a slow consumer), so the connection's memory is released promptly.
   */
  void abort();

  /** A short description for logs, such as the remote address. */
  String describe();
}
