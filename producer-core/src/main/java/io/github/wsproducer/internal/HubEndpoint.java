package io.github.wsproducer.internal;

import io.github.wsproducer.Identity;
import io.github.wsproducer.Topic;
import io.github.wsproducer.TopicAuthorizer;
import io.github.wsproducer.protocol.Protocol;
import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.spi.Handshake;
import io.github.wsproducer.spi.HttpRequest;
import io.github.wsproducer.spi.HttpResponse;
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

/** The {@link Endpoint} of a hub with one transport's options. */
final class HubEndpoint implements Endpoint {
  private static final int UNAUTHORIZED = 401;
  private static final int FORBIDDEN = 403;
  private static final int NOT_FOUND = 404;
  private static final int UNAVAILABLE = 503;

  private final HubImpl hub;
  private final TransportOptions options;
  private final List<String> topics;
  // The plain form's paths, by Protocol.plainTopic's rule, resolved once: a handshake for a topic
  // then makes no string of its own.
  private final Map<String, String> topicByPath = new HashMap<>();
  private final Rejections rejections;
  private final Rejections requests;
  private final Http http;

  HubEndpoint(HubImpl hub, TransportOptions options) {
    this.hub = hub;
    this.options = options;
    this.topics = hub.topics().stream().map(Topic::name).toList();
    for (String name : topics) {
      topicByPath.put("/" + name, Protocol.plainTopic("/" + name, null, topics));
    }
    String root = Protocol.plainTopic("/", hub.defaultTopic(), topics);
    if (root != null) {
      topicByPath.put("/", root);
    }
    this.rejections = new Rejections(hub.clock(), "a WebSocket handshake");
    this.requests = new Rejections(hub.clock(), "an HTTP request");
    this.http = new Http(hub);
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
    if (hub.connectionCount() >= options.maxConnections()) {
      return busy(h, "the server has " + options.maxConnections() + " connections");
    }
    if (hub.connectionsFrom(h.address()) >= options.maxConnectionsPerAddress()) {
      return busy(
          h,
          "address "
              + Rejections.quote(h.address())
              + " has "
              + options.maxConnectionsPerAddress()
              + " connections");
    }
    Identity identity = null;
    if (hub.authenticator() != null) {
      identity = hub.identify(hub.authenticator(), RequestView.of(h));
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
      asked = h.path().equals("/") ? hub.defaultTopic() : h.path().substring(1);
    }
    TopicAuthorizer authorizer = hub.authorizer();
    if (authorizer != null && asked != null && !authorizer.mayRead(identity, asked)) {
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
    hub.counters().rejected(reason);
    rejections.refused(status, cause, h.remote());
    return new Handshake.Refuse(status, answer, null);
  }

  /** 503 with a jittered {@code Retry-After}, so that refused screens do not return together. */
  private Handshake.Refuse busy(Handshake h, String cause) {
    hub.counters().rejected("capacity");
    rejections.refused(UNAVAILABLE, cause, h.remote());
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
    for (HttpRoute route : hub.routes()) {
      if (route.serves(path)) {
        return route;
      }
    }
    return null;
  }

  /** The host and origin checks of {@link #decide}, the size limit, then the route's answer. */
  @Override
  public HttpResponse serve(HttpRequest r) {
    HttpRoute route = route(r.path());
    if (route == null) {
      return http.error(NOT_FOUND, "not found");
    }
    String cause = null;
    HttpResponse refusal = null;
    String origin = r.header("origin");
    if (!hostAllowed(r.serverName())) {
      cause = "host " + Rejections.quote(r.serverName()) + " is not one this server answers to";
      refusal = http.error(FORBIDDEN, "host not allowed");
    } else if (origin != null
        && !originAllowed(origin, r.secure(), r.serverName(), r.serverPort())) {
      cause = "origin " + Rejections.quote(origin) + " is not allowed";
      refusal = http.error(FORBIDDEN, "origin not allowed");
    } else if (r.body().length > options.maxMessageSize()) {
      refusal = HttpResponse.tooLarge(options.maxMessageSize());
    } else {
      refusal = route.serve(r, http);
      if (refusal.status() == UNAUTHORIZED || refusal.status() == FORBIDDEN) {
        cause = r.method() + " " + Rejections.quote(r.path());
      }
    }
    if (cause != null) {
      requests.refused(refusal.status(), cause, r.remote());
    }
    return refusal;
  }

  @Override
  public Inbound open(Handshake.Accept accepted, Outbound outbound) {
    return hub.open(outbound, options, accepted.topic(), accepted.address(), accepted.identity());
  }
}
