package io.github.wsproducer.jakarta.internal;

import io.github.wsproducer.spi.Outbound;
import io.github.wsproducer.spi.TextFrame;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jakarta WebSocket session as the hub writes to it ({@link Outbound}). Text goes out through the
 * asynchronous remote, one message after the other as the API allows. Pings and closes may block in
 * the API (until the message being written is out, or the container's send timeout), and the hub's
 * threads must not: they run on threads of their own.
 *
 * <p>It also keeps the connection's deadlines, as the containers keep them loosely (Tomcat checks
 * idle sessions every 10 s, and waits long for a closing handshake): a connection with no traffic
 * either way for the idle timeout is closed, and one that does not answer a close within {@value
 * #CLOSE_WAIT_MILLIS} ms is dropped.
 */
final class JakartaOutbound implements Outbound {
  private static final Logger log = LoggerFactory.getLogger(JakartaOutbound.class);
  private static final ByteBuffer NO_PAYLOAD = ByteBuffer.allocate(0);

  /** How long a closing handshake may take before the connection is dropped. */
  static final long CLOSE_WAIT_MILLIS = 2_000;

  private final JakartaThreads threads;
  private final Session session;
  private final RemoteEndpoint.Async remote;
  private final String describe;
  private final long idleNanos;
  private volatile long lastTraffic = System.nanoTime();
  private volatile boolean closed;
  private final AtomicBoolean closing = new AtomicBoolean();

  JakartaOutbound(Session session, String describe, Duration idleTimeout, JakartaThreads threads) {
    this.threads = threads;
    this.session = session;
    this.remote = session.getAsyncRemote();
    this.describe = describe;
    this.idleNanos = idleTimeout.toNanos();
    threads.schedule(this::checkIdle, idleNanos);
  }

  /** Something came from the client. */
  void received() {
    lastTraffic = System.nanoTime();
  }

  /** The container reported the connection closed. */
  void closed() {
    closed = true;
  }

  private void checkIdle() {
    if (closed) {
      return;
    }
    long quiet = System.nanoTime() - lastTraffic;
    if (quiet >= idleNanos) {
      close(CloseReason.CloseCodes.GOING_AWAY.getCode(), "idle");
    } else {
      threads.schedule(this::checkIdle, Math.max(idleNanos / 4, idleNanos - quiet));
    }
  }

  @Override
  public void send(List<TextFrame> frames, SendCallback callback) {
    String[] texts = new String[frames.size()];
    for (int i = 0; i < texts.length; i++) {
      texts[i] = frames.get(i).text();
    }
    new Sender(texts, callback).next();
  }

  /** Sends the texts one after the other: the API takes one message at a time. */
  private final class Sender implements SendHandler {
    private final String[] texts;
    private final SendCallback callback;
    private int sent;

    Sender(String[] texts, SendCallback callback) {
      this.texts = texts;
      this.callback = callback;
    }

    void next() {
      try {
        remote.sendText(texts[sent], this);
      } catch (RuntimeException e) { // closed meanwhile
        callback.failed(e);
      }
    }

    @Override
    public void onResult(SendResult result) {
      lastTraffic = System.nanoTime();
      if (!result.isOK()) {
        callback.failed(result.getException());
      } else if (++sent < texts.length) {
        next();
      } else {
        callback.succeeded();
      }
    }
  }

  @Override
  public void sendBinary(ByteBuffer payload, SendCallback callback) {
    remote.sendBinary(
        payload,
        result -> {
          if (result.isOK()) {
            callback.succeeded();
          } else {
            callback.failed(result.getException());
          }
        });
  }

  @Override
  public void ping() {
    control(
        () -> {
          remote.sendPing(NO_PAYLOAD.duplicate());
          lastTraffic = System.nanoTime();
        });
  }

  /** Starts a closing handshake; drops the connection if it does not end in time. */
  @Override
  public void close(int code, String reason) {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    control(
        () -> session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason)));
    threads.schedule(
        () -> {
          if (!closed) {
            abort();
          }
        },
        TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS));
  }

  /**
   * The API has no way to drop a connection, but the containers have: Tomcat's {@code
   * WsSession.doClose(reason, reason, true)} closes the socket, Jetty's core session aborts.
   * Elsewhere the session is closed with 1001, which ends when the container's close timeout does.
   */
  @Override
  public void abort() {
    CloseReason reason = new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "not reading");
    threads.control(
        () -> {
          try {
            if (!Containers.abort(session, reason)) {
              session.close(reason);
            }
          } catch (IOException | RuntimeException e) {
            log.debug("{}: {}", describe, e.toString());
          }
        });
  }

  private interface Call {
    void run() throws IOException;
  }

  private void control(Call call) {
    threads.control(
        () -> {
          try {
            if (session.isOpen()) {
              call.run();
            }
          } catch (IOException | RuntimeException e) {
            log.debug("{}: {}", describe, e.toString());
          }
        });
  }

  @Override
  public String describe() {
    return describe;
  }
}
