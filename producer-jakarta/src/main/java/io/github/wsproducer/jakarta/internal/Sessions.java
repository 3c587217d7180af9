package io.github.wsproducer.jakarta.internal;

import io.github.wsproducer.protocol.CloseCode;
import io.github.wsproducer.protocol.Protocol;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The open sessions of one filter, so that a stopping context can close them with a hint. */
public final class Sessions {
  private static final Logger log = LoggerFactory.getLogger(Sessions.class);

  private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
  private volatile boolean closing;

  public Sessions() {}

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
   * Closes every session, and every later one, with {@link CloseCode#SERVICE_RESTART} and a
   * jittered reconnect hint; waits up to {@code wait} for the closing handshakes.
   */
  public void closeAll(Duration wait) {
    closing = true;
    log.debug("closing {} WebSockets for a restart", sessions.size());
    sessions.forEach(Sessions::closeForRestart);
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
    try {
      session.close(
          new CloseReason(
              CloseReason.CloseCodes.getCloseCode(CloseCode.SERVICE_RESTART.code()),
              Protocol.restartReason()));
    } catch (IOException | RuntimeException e) {
      log.debug("closing {} for a restart failed: {}", session.getId(), e.toString());
    }
  }
}
