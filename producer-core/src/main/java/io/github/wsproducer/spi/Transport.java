package io.github.wsproducer.spi;

/**
 * One client connection as the hub sees it, implemented by a transport adapter.
 *
 * <p>The hub never has more than one {@link #send} outstanding per connection; it queues the rest
 * itself, up to the connection's byte cap. No method may block: they are called from hub threads,
 * never under a lock.
 */
public interface Transport {

  /** Callback of one {@link #send}. Exactly one of the methods is called, once. */
  interface SendCallback {
    /** The frame was written. */
    void succeeded();

    /** The frame could not be written; the hub then treats the connection as gone. */
    void failed(Throwable cause);
  }

  /** Writes one text frame asynchronously; may complete the callback on the calling thread. */
  void send(String text, SendCallback callback);

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
