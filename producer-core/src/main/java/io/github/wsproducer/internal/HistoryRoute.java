package io.github.wsproducer.internal;

import io.github.wsproducer.Identity;
import io.github.wsproducer.spi.HttpContext;
import io.github.wsproducer.spi.HttpRequest;
import io.github.wsproducer.spi.HttpResponse;
import io.github.wsproducer.spi.HttpRoute;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /topics/{topic}/history?since=...&until=...}: a topic's updates in a time range as
 * NDJSON, one update per line with its time, epoch and seq, authorized as reading the topic is.
 * Times are ISO-8601 instants ({@code 2026-12-07T03:10:00Z}) or milliseconds since the Unix epoch;
 * {@code since} defaults to the oldest kept, {@code until} to now. At most {@value
 * HistoryReads#MAX_EXPORT} updates or about 4 MiB an answer, ending where the time moves on: a
 * longer range ends with a {@code Link} to the rest.
 */
final class HistoryRoute implements HttpRoute {
  private static final String PREFIX = "/topics/";
  private static final String SUFFIX = "/history";

  private final Topics topics;
  private final Access access;
  private final HistoryReads reads;

  HistoryRoute(Topics topics, Access access, HistoryReads reads) {
    this.topics = topics;
    this.access = access;
    this.reads = reads;
  }

  /** The topic of a history path, or {@code null}. */
  static String topicOf(String path) {
    return path.startsWith(PREFIX) && path.endsWith(SUFFIX)
        ? path.substring(PREFIX.length(), path.length() - SUFFIX.length())
        : null;
  }

  @Override
  public boolean serves(String path) {
    return topicOf(path) != null;
  }

  /** Method, credential and topic, as a socket's subscribe is checked: forbidden before unknown. */
  @Override
  public HttpResponse check(HttpRequest head, HttpContext http) {
    if (!head.method().equals("GET")) {
      return http.onlyMethod("GET");
    }
    Identity who = null;
    if (access.authenticator() != null) {
      who = http.authenticate(access.authenticator(), head);
      if (who == null) {
        return http.unauthorized();
      }
    }
    String topic = topicOf(head.path());
    if (!access.mayRead(who, topic)) {
      return http.error(403, "not allowed to read topic " + Rejections.quote(topic));
    }
    if (topics.get(topic) == null) {
      return http.error(404, "no topic " + Rejections.quote(topic));
    }
    return null;
  }

  @Override
  public HttpResponse serve(HttpRequest request, HttpContext http) {
    return serveAsync(request, http).toCompletableFuture().join();
  }

  @Override
  public CompletionStage<HttpResponse> serveAsync(HttpRequest request, HttpContext http) {
    Map<String, String> query = query(request.query());
    long since;
    long until;
    try {
      since = time(query, "since", 0);
      until = time(query, "until", Long.MAX_VALUE);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(http.error(400, e.getMessage()));
    }
    if (until < since) {
      return CompletableFuture.completedFuture(http.error(400, "until is before since"));
    }
    return reads.export(topics.get(topicOf(request.path())), since, until, request.path());
  }

  private static long time(Map<String, String> query, String name, long otherwise) {
    String value = query.get(name);
    if (value == null || value.isEmpty()) {
      return otherwise;
    }
    try {
      return value.chars().allMatch(Character::isDigit)
          ? Long.parseLong(value)
          : Instant.parse(value).toEpochMilli();
    } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException(
          name
              + " is not a time: \""
              + (value.length() > 40 ? value.substring(0, 40) + "..." : value)
              + "\"; give an ISO-8601 instant such as 2026-12-07T03:10:00Z, or milliseconds"
              + " since the Unix epoch");
    }
  }

  private static Map<String, String> query(String query) {
    Map<String, String> parameters = new HashMap<>();
    if (query != null) {
      for (String pair : query.split("&")) {
        int equals = pair.indexOf('=');
        if (equals > 0) {
          try {
            parameters.putIfAbsent(
                URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
          } catch (IllegalArgumentException e) {
            // a malformed escape: the parameter is left out, and reads as absent
          }
        }
      }
    }
    return parameters;
  }
}
