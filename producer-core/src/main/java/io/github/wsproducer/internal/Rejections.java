package io.github.wsproducer.internal;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs refused handshakes or HTTP requests: the first of each cause (an origin, a topic) at once,
 * then at most once a minute with the number refused meanwhile, so that a scanner or a
 * misconfigured wall cannot flood the log. What a client sent is quoted cut short and without
 * control characters.
 */
final class Rejections {
  /** A logger name of its own, so that operators can route or silence these lines. */
  static final String LOGGER = "io.github.wsproducer.handshake";

  private static final Logger log = LoggerFactory.getLogger(LOGGER);
  private static final long WINDOW_MILLIS = 60_000;
  private static final int MAX_CAUSES = 1024;
  private static final int MAX_QUOTED = 100;

  /** When a cause was last logged, and how many were refused since without a line. */
  private static final class Window {
    boolean logged;
    long loggedAt;
    int since;
  }

  private final Map<String, Window> causes = new ConcurrentHashMap<>();
  private final Clock clock;
  private final String what;

  /** Refusals of {@code what}, such as {@code "a WebSocket handshake"}. */
  Rejections(Clock clock, String what) {
    this.clock = clock;
    this.what = what;
  }

  /**
   * Records one refusal.
   *
   * @param status the HTTP status sent
   * @param cause what was refused, e.g. {@code origin "http://evil.example"}
   * @param remote the client's address
   */
  void refused(int status, String cause, String remote) {
    long now = clock.millis();
    if (causes.size() >= MAX_CAUSES && !causes.containsKey(cause)) {
      causes.clear(); // many distinct causes: forget the old ones rather than grow
    }
    Window w = causes.computeIfAbsent(cause, c -> new Window());
    int before;
    synchronized (w) {
      if (w.logged && now - w.loggedAt < WINDOW_MILLIS) {
        w.since++;
        return;
      }
      before = w.since;
      w.logged = true;
      w.loggedAt = now;
      w.since = 0;
    }
    if (before == 0) {
      log.warn("refused {} from {} with {}: {}", what, remote, status, cause);
    } else {
      log.warn(
          "refused {} from {} with {}: {} ({} more since the last line)",
          what,
          remote,
          status,
          cause,
          before);
    }
  }

  /** A client's text as it may appear in the log. */
  static String quote(String text) {
    StringBuilder b = new StringBuilder("\"");
    int end = Math.min(text.length(), MAX_QUOTED);
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      b.append(Character.isISOControl(c) || c == '"' ? '?' : c);
    }
    return b.append(text.length() > MAX_QUOTED ? "...\"" : "\"").toString();
  }
}
