package io.github.wsproducer.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open connections of one transport, so that a stopping server can close them with 1012 and a
 * reconnect hint ({@link io.github.wsproducer.protocol.CloseCode#SERVICE_RESTART}) and wait for the
 * closing handshakes before the server closes what is left. Thread-safe.
 *
 * @param <C> the transport's connection type, such as its WebSocket session
 */
public final class OpenConnections<C> {
  private static final Logger log = LoggerFactory.getLogger(OpenConnections.class);

  private final Set<C> open = ConcurrentHashMap.newKeySet();
  private final Consumer<C> closeForRestart;
  private volatile boolean closing;

  /**
   * @param closeForRestart starts the closing handshake of one connection with 1012 and {@link
   *     io.github.wsproducer.protocol.CloseCode#reason()}; must not throw
   */
  public OpenConnections(Consumer<C> closeForRestart) {
    this.closeForRestart = Objects.requireNonNull(closeForRestart, "closeForRestart");
  }

  /** A connection opened; once {@link #closeAll} began, it is closed at once. */
  public void add(C connection) {
    open.add(connection);
    if (closing) {
      closeForRestart.accept(connection);
    }
  }

  /** A connection ended. */
  public void remove(C connection) {
    synchronized (open) {
      open.remove(connection);
      open.notifyAll();
    }
  }

  /**
   * Closes every connection, and every later one, for a restart; waits up to {@code wait} for the
   * closing handshakes, so that the close frames reach the clients.
   */
  public void closeAll(Duration wait) {
    closing = true;
    open.forEach(closeForRestart);
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (open) {
      long left;
      while (!open.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(open, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    if (!open.isEmpty()) {
      log.info("{} WebSockets did not finish closing within {}", open.size(), wait);
    }
  }
}
