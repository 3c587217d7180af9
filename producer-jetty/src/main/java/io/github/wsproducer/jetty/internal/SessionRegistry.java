package io.github.wsproducer.jetty.internal;

import io.github.wsproducer.protocol.CloseCode;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The open sessions of one handler, so that a stopping server can close them with a hint. */
public final class SessionRegistry {
  private static final Logger log = LoggerFactory.getLogger(SessionRegistry.class);

  private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
  private volatile boolean closing;

  public SessionRegistry() {}

  void add(Session session) {
    sessions.add(session);
    if (closing) {
      closeForRestart(session);
    }
  }

  void remove(Session session) {
    synchronized (sessions) {
      sessions.remove(session);
      sessions.notifyAll();
    }
  }

  /**
   * Closes every session, and every later one, with {@link CloseCode#SERVICE_RESTART}; waits up to
   * {@code wait} for the closing handshakes so that the close frames reach the clients.
   */
  public void closeAll(Duration wait) {
    closing = true;
    sessions.forEach(SessionRegistry::closeForRestart);
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (sessions) {
      long left;
      while (!sessions.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(sessions, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    if (!sessions.isEmpty()) {
      log.info("{} WebSockets did not finish closing within {}", sessions.size(), wait);
    }
  }

  private static void closeForRestart(Session session) {
    CloseCode restart = CloseCode.SERVICE_RESTART;
    session.close(restart.code(), restart.reason(), Callback.NOOP);
  }
}
