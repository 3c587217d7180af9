package io.github.wsproducer.internal;

import io.github.wsproducer.Identity;
import io.github.wsproducer.Topic;
import io.github.wsproducer.protocol.Protocol;
import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.spi.Handshake;
import io.github.wsproducer.spi.HttpAdmission;
import io.github.wsproducer.spi.HttpRequest;
import io.github.wsproducer.spi.HttpResponse;
import io.github.wsproducer.spi.HttpRoute;
import io.github.wsproducer.spi.Inbound;
import io.github.wsproducer.spi.Outbound;
import io.github.wsproducer.spi.TransportOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link Endpoint} of a hub with one transport's options. */
final class HubEndpoint implements Endpoint {
  private static final Logger log = LoggerFactory.getLogger(HubEndpoint.class);
  private static final int UNAUTHORIZED = 401;
  private static final int FORBIDDEN = 403;
  private static final int NOT_FOUND = 404;
  private static final int UNAVAILABLE = 503;
  private static final String HANDSHAKE = "a WebSocket handshake";
  private static final String REQUEST = "an HTTP request";

  private final HubImpl hub;
  private final Connections connections;
  private final Access access;
  private final Counters counters;
  private final List<HttpRoute> routes;
  private final String defaultTopic;
  private final TransportOptions options;
  private final List<String> topics;
  // The plain form's paths, by Protocol.plainTopic's rule, resolved once: a handshake for a topic
  // then makes no string of its own.
  private final Map<String, String> topicByPath = new HashMap<>();
  private final Rejections rejections;
  private final Http http;
  private final BodyBudget bodies;

  HubEndpoint(HubImpl hub, TransportOptions options) {
    this.hub = hub;
    this.connections = hub.connections();
    this.access = hub.access();
    this.counters = hub.counters();
    this.routes = hub.routes();
    this.defaultTopic = hub.defaultTopic();
    this.options = options;
    this.topics = hub.topics().stream().map(Topic::name).toList();
    for (String name : topics) {
      topicByPath.put("/" + name, Protocol.plainTopic("/" + name, null, topics));
    }
    String root = Protocol.plainTopic("/", defaultTopic, topics);
    if (root != null) {
      topicByPath.put("/", root);
    }
    this.rejections = hub.rejections();
    this.http = new Http(access, hub.codec());
    this.bodies = new BodyBudget(options.maxMessageSize());
  }

  @Override
  public TransportOptions options() {
    return options;
  }

  @Override
  public Handshake.Decision decide(Handshake h) {
    if (!hostAllowed(h.serverName())) {
      return refuse(
          h,
          FORBIDDEN,
          "host",
          "host not allowed",
          "host " + Rejections.quote(h.serverName()) + " is not one this server answers to");
    }
    String origin = h.origin();
    if (origin != null && !originAllowed(origin, h.secure(), h.serverName(), h.serverPort())) {
      return refuse(
          h,
          FORBIDDEN,
          "origin",
          "origin not allowed",
          "origin " + Rejections.quote(origin) + " is not allowed");
    }
    if (connections.count() >= options.maxConnections()) {
      return busy(h, "the server has " + options.maxConnections() + " connections");
    }
    if (connections.from(h.address()) >= options.maxConnectionsPerAddress()) {
      return busy(
          h,
          "address "
              + Rejections.quote(h.address())
              + " has "
              + options.maxConnectionsPerAddress()
              + " connections");
    }
    Identity identity = null;
    if (access.authenticator() != null) {
      identity = access.identify(access.authenticator(), RequestView.of(h));
      if (identity == null) {
        return refuse(
            h, UNAUTHORIZED, "unauthenticated", "authentication required", "no valid credentials");
      }
    }
    if (h.subprotocols().contains(Protocol.SUBPROTOCOL)) {
      if (!h.path().equals(Protocol.ENVELOPE_PATH)) {
        return refuse(
            h,
            NOT_FOUND,
            "not-found",
            "the " + Protocol.SUBPROTOCOL + " form is served at " + Protocol.ENVELOPE_PATH,
            "the " + Protocol.SUBPROTOCOL + " form asked at path " + Rejections.quote(h.path()));
      }
      return new Handshake.Accept(Protocol.SUBPROTOCOL, null, h.address(), identity);
    }
    // The authorizer is asked first, so that a client learns nothing of topics it may not read,
    // not even whether they exist.
    String topic = topicByPath.get(h.path()); // or null: no such topic
    String asked = topic;
    if (asked == null) {
      asked = h.path().equals("/") ? defaultTopic : h.path().substring(1);
    }
    if (asked != null && !access.mayRead(identity, asked)) {
      return refuse(
          h,
          FORBIDDEN,
          "forbidden",
          "not allowed to read this topic",
          (identity == null ? "a client" : Rejections.quote(identity.name()))
              + " may not read topic "
              + Rejections.quote(asked));
    }
    if (topic == null) {
      return refuse(
          h,
          NOT_FOUND,
          "not-found",
          "no such topic",
          "no topic " + Rejections.quote(h.path().substring(1)) + "; the hub has " + topics);
    }
    return new Handshake.Accept(null, topic, h.address(), identity);
  }

  /**
   * Refuses a handshake: {@code reason} counts it in {@link io.github.wsproducer.HubStats}, {@code
   * answer} goes to the client, {@code cause} to the log.
   */
  private Handshake.Refuse refuse(
      Handshake h, int status, String reason, String answer, String cause) {
    counters.rejected(reason);
    rejections.refused(HANDSHAKE, status, reason, cause, h.address(), h.remote());
    return new Handshake.Refuse(status, answer, null);
  }

  /** 503 with a jittered {@code Retry-After}, so that refused screens do not return together. */
  private Handshake.Refuse busy(Handshake h, String cause) {
    counters.rejected("capacity");
    rejections.refused(HANDSHAKE, UNAVAILABLE, "capacity", cause, h.address(), h.remote());
    return new Handshake.Refuse(
        UNAVAILABLE,
        "too many connections",
        Duration.ofSeconds(ThreadLocalRandom.current().nextInt(10, 31)));
  }

  /**
   * Whether a request addressed to {@code host} is for this server. IP addresses and localhost are:
   * no page on another origin can be addressed so. A name is only if configured or this machine's
   * own: a DNS-rebinding page resolves its own name to this server, and would otherwise pass the
   * same-origin check below.
   */
  private boolean hostAllowed(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    if (name.startsWith("[") || name.contains(":") || isDigitsAndDots(name)) {
      return true; // an IP address
    }
    return name.equals("localhost")
        || options.allowedHosts().contains(name)
        || OwnNames.NAMES.contains(name);
  }

  /** An IPv4 address, near enough; without a regular expression, compiled on every call. */
  private static boolean isDigitsAndDots(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if ((c < '0' || c > '9') && c != '.') {
        return false;
      }
    }
    return !name.isEmpty();
  }

  /** This machine's names, looked up once and only if a request needs them. */
  private static final class OwnNames {
    static final Set<String> NAMES = lookUp();

    private static Set<String> lookUp() {
      try {
        InetAddress local = InetAddress.getLocalHost();
        return Set.copyOf( // the two are often the same
            List.of(
                local.getHostName().toLowerCase(Locale.ROOT),
                local.getCanonicalHostName().toLowerCase(Locale.ROOT)));
      } catch (IOException | RuntimeException e) {
        return Set.of();
      }
    }
  }

  /** An allowed origin, or the server's own: the scheme, host and port it was addressed as. */
  private boolean originAllowed(String origin, boolean secure, String serverName, int serverPort) {
    if (options.allowedOrigins().contains(origin)) {
      return true;
    }
    String own = (secure ? "https" : "http") + "://" + serverName + ":" + serverPort;
    return normalize(own).equals(normalize(origin));
  }

  /** {@code scheme://host:port} in lower case with the default port made explicit. */
  private static String normalize(String origin) {
    try {
      URI uri = new URI(origin);
      String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
      int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
      return scheme + "://" + String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT) + ":" + port;
    } catch (URISyntaxException e) {
      return origin;
    }
  }

  @Override
  public boolean serves(String path) {
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
   * The host and origin checks of {@link #decide}, the announced size, the route's checks, then
   * room in the body budgets: all before a byte of the body is read.
   */
  @Override
  public HttpAdmission admit(HttpRequest head) {
    HttpRoute route = route(head.path());
    if (route == null) {
      return new HttpAdmission.Answer(http.error(NOT_FOUND, "not found"));
    }
    String origin = head.header("origin");
    long length = contentLength(head);
    if (!hostAllowed(head.serverName())) {
      return refuseRequest(
          head,
          "host",
          "host " + Rejections.quote(head.serverName()) + " is not one this server answers to",
          http.error(FORBIDDEN, "host not allowed"));
    }
    if (origin != null
        && !originAllowed(origin, head.secure(), head.serverName(), head.serverPort())) {
      return refuseRequest(
          head,
          "origin",
          "origin " + Rejections.quote(origin) + " is not allowed",
          http.error(FORBIDDEN, "origin not allowed"));
    }
    if (length > options.maxMessageSize()) {
      return new HttpAdmission.Answer(HttpResponse.tooLarge(options.maxMessageSize()));
    }
    HttpResponse refusal = guarded(route, head, () -> route.check(head, http));
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

  /**
   * A route's answer; a route that throws answers 500, and is logged with the request (never its
   * headers or body).
   */
  private HttpResponse guarded(HttpRoute route, HttpRequest head, Supplier<HttpResponse> answer) {
    try {
      return answer.get();
    } catch (RuntimeException e) {
      log.error("the HTTP route {} failed on {}", route, head, e);
      return http.error(500, "the server failed to answer");
    }
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
    public HttpResponse serve(byte[] body) {
      try {
        return body.length > bytes
            ? HttpResponse.tooLarge(options.maxMessageSize())
            : guarded(route, head, () -> route.serve(head.withBody(body), http));
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

  @Override
  public Inbound open(Handshake.Accept accepted, Outbound outbound) {
    return hub.open(outbound, options, accepted.topic(), accepted.address(), accepted.identity());
  }
}
