package io.github.wsproducer.internal;

import io.github.wsproducer.spi.HttpAdmission;
import io.github.wsproducer.spi.HttpRequest;
import io.github.wsproducer.spi.HttpResponse;
import io.github.wsproducer.spi.HttpRoute;
import io.github.wsproducer.spi.TransportOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP requests of an endpoint's routes (the push API, the modules'): each admitted from its
 * head, with its body's bytes held in the body budgets until it is served.
 */
final class Routes {
  private static final Logger log = LoggerFactory.getLogger(Routes.class);
  private static final int UNAUTHORIZED = 401;
  private static final int FORBIDDEN = 403;
  private static final int NOT_FOUND = 404;
  private static final int UNAVAILABLE = 503;
  private static final String REQUEST = "an HTTP request";

  private final List<HttpRoute> routes;
  private final HostPolicy hosts;
  private final TransportOptions options;
  private final Http http;
  private final Rejections rejections;
  private final BodyBudget bodies;

  Routes(
      List<HttpRoute> routes,
      HostPolicy hosts,
      TransportOptions options,
      Http http,
      Rejections rejections) {
    this.routes = routes;
    this.hosts = hosts;
    this.options = options;
    this.http = http;
    this.rejections = rejections;
    this.bodies = new BodyBudget(options.maxMessageSize());
  }

  boolean serves(String path) {
    return route(path) != null;
  }

  private HttpRoute route(String path) {
    for (HttpRoute route : routes) {
      if (route.serves(path)) {
        return route;
      }
    }
    return null;
  }

  /**
   * The host and origin checks of a handshake's, the announced size, the route's checks, then room
   * in the body budgets: all before a byte of the body is read.
   */
  HttpAdmission admit(HttpRequest head) {
    HttpRoute route = route(head.path());
    if (route == null) {
      return new HttpAdmission.Answer(http.error(NOT_FOUND, "not found"));
    }
    String origin = head.header("origin");
    long length = contentLength(head);
    if (!hosts.hostAllowed(head.serverName())) {
      return refuseRequest(
          head,
          "host",
          "host " + Rejections.quote(head.serverName()) + " is not one this server answers to",
          http.error(FORBIDDEN, "host not allowed"));
    }
    if (origin != null
        && !hosts.originAllowed(origin, head.secure(), head.serverName(), head.serverPort())) {
      return refuseRequest(
          head,
          "origin",
          "origin " + Rejections.quote(origin) + " is not allowed",
          http.error(FORBIDDEN, "origin not allowed"));
    }
    if (length > options.maxMessageSize()) {
      return new HttpAdmission.Answer(HttpResponse.tooLarge(options.maxMessageSize()));
    }
    HttpResponse refusal;
    try {
      refusal = route.check(head, http);
    } catch (RuntimeException e) {
      refusal = failed(route, head, e);
    }
    if (refusal != null) {
      if (refusal.status() == UNAUTHORIZED || refusal.status() == FORBIDDEN) {
        return refuseRequest(
            head,
            refusal.status() == UNAUTHORIZED ? "unauthenticated" : "forbidden",
            head.method() + " " + Rejections.quote(head.path()),
            refusal);
      }
      return new HttpAdmission.Answer(refusal);
    }
    long bytes = length < 0 ? options.maxMessageSize() : length; // unknown: the most it may be
    if (!bodies.take(head.address(), bytes)) {
      return refuseRequest(
          head,
          "bodies",
          "request bodies from " + head.address() + " or in all are at their budget",
          http.error(UNAVAILABLE, "too many requests in progress")
              .withHeader(
                  "Retry-After", Integer.toString(ThreadLocalRandom.current().nextInt(1, 6))));
    }
    return new Admitted(route, head, bytes);
  }

  /** 500 for a route that threw, logged with the request (never its headers or body). */
  private HttpResponse failed(HttpRoute route, HttpRequest head, Throwable e) {
    log.error("the HTTP route {} failed on {}", route, head, e);
    return http.error(500, "the server failed to answer");
  }

  /** The body's announced length: -1 when unknown (chunked), 0 without one. */
  private static long contentLength(HttpRequest head) {
    String length = head.header("content-length");
    if (length == null) {
      return head.header("transfer-encoding") == null ? head.body().length : -1;
    }
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private HttpAdmission.Answer refuseRequest(
      HttpRequest head, String kind, String cause, HttpResponse answer) {
    rejections.refused(REQUEST, answer.status(), kind, cause, head.address(), head.remote());
    return new HttpAdmission.Answer(answer);
  }

  /** A request admitted to its route: its body's bytes are held in the budgets until served. */
  private final class Admitted implements HttpAdmission.ReadBody {
    private final HttpRoute route;
    private final HttpRequest head;
    private final long bytes;
    private final AtomicBoolean held = new AtomicBoolean(true);

    Admitted(HttpRoute route, HttpRequest head, long bytes) {
      this.route = route;
      this.head = head;
      this.bytes = bytes;
    }

    @Override
    public long limit() {
      return bytes;
    }

    @Override
    public CompletionStage<HttpResponse> serve(byte[] body) {
      try {
        if (body.length > bytes) {
          return CompletableFuture.completedFuture(HttpResponse.tooLarge(options.maxMessageSize()));
        }
        CompletionStage<HttpResponse> later;
        try {
          later = route.serveAsync(head.withBody(body), http);
        } catch (RuntimeException e) {
          later = CompletableFuture.completedFuture(failed(route, head, e));
        }
        return later.exceptionally(e -> failed(route, head, e));
      } finally {
        close();
      }
    }

    @Override
    public void close() {
      if (held.compareAndSet(true, false)) {
        bodies.giveBack(head.address(), bytes);
      }
    }
  }
}
