package io.github.wsproducer.internal;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a hub's refused handshakes and HTTP requests and its connections closed for abuse, so that
 * no flood can flood the log: a line per kind of refusal and client address at most once a minute,
 * with the number refused meanwhile, and at most {@value #MAX_LINES_PER_MINUTE} lines a minute in
 * all; the refusals left out are counted into the next line of their kind and address. The key is
 * the kind (an origin, a topic, a malformed message), not the text, which a client can vary at
 * will. What a client sent is quoted cut short and without control characters.
 */
final class Rejections {
  /** A logger name of its own, so that operators can route or silence these lines. */
  static final String LOGGER = "io.github.wsproducer.handshake";

  /** The most lines a hub writes a minute, whatever the number of clients. */
  static final int MAX_LINES_PER_MINUTE = 60;

  private static final Logger log = LoggerFactory.getLogger(LOGGER);
  private static final long WINDOW_MILLIS = 60_000;
  private static final int MAX_KEYS = 4096;
  private static final int MAX_QUOTED = 100;

  /** When a kind was last logged for an address, and how many were refused since without a line. */
  private static final class Window {
    boolean logged;
    long loggedAt;
    int since;
  }

  private final Map<String, Window> keys = new ConcurrentHashMap<>();
  private final RateLimit lines = new RateLimit(MAX_LINES_PER_MINUTE, WINDOW_MILLIS); // guarded
  private final Clock clock;

  Rejections(Clock clock) {
    this.clock = clock;
  }

  /**
   * Records one refusal.
   *
   * @param what what was refused, such as {@code "a WebSocket handshake"}
   * @param status the HTTP status sent, or the close code
   * @param kind what kind of refusal it is, e.g. {@code "origin"}: lines are limited by it
   * @param cause what was refused, e.g. {@code origin "http://evil.example"}
   * @param address the client's address: lines are limited by it
   * @param remote the client's address and port, for the line
   */
  void refused(String what, int status, String kind, String cause, String address, String remote) {
    long now = clock.millis();
    String key = what + ' ' + kind + ' ' + address;
    Window w = keys.get(key);
    if (w == null) {
      if (keys.size() >= MAX_KEYS) {
        keys.clear(); // clients by the thousand: forget the old ones rather than grow
      }
      w = keys.computeIfAbsent(key, k -> new Window());
    }
    int before;
    synchronized (w) {
      if (w.logged && now - w.loggedAt < WINDOW_MILLIS) {
        w.since++;
        return;
      }
      synchronized (lines) {
        if (!lines.allow(now)) {
          w.since++; // told with the next line of this key
          return;
        }
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
          "refused {} from {} with {}: {} ({} more of this kind from {} since the last line)",
          what,
          remote,
          status,
          cause,
          before,
          address);
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
