package io.github.wsproducer.internal;

import io.github.wsproducer.Identity;
import io.github.wsproducer.Topic;
import io.github.wsproducer.protocol.Protocol;
import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.spi.Handshake;
import io.github.wsproducer.spi.HttpAdmission;
import io.github.wsproducer.spi.HttpRequest;
import io.github.wsproducer.spi.Inbound;
import io.github.wsproducer.spi.Outbound;
import io.github.wsproducer.spi.TransportOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
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

  private final HubImpl hub;
  private final Connections connections;
  private final Access access;
  private final Counters counters;
  private final String defaultTopic;
  private final TransportOptions options;
  private final List<String> topics;
  // The plain form's paths, by Protocol.plainTopic's rule, resolved once: a handshake for a topic
  // then makes no string of its own.
  private final Map<String, String> topicByPath = new HashMap<>();
  private final Rejections rejections;
  private final HostPolicy hosts;
  private final Routes routes;

  HubEndpoint(HubImpl hub, TransportOptions options) {
    this.hub = hub;
    this.connections = hub.connections();
    this.access = hub.access();
    this.counters = hub.counters();
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
    this.hosts = new HostPolicy(options);
    this.routes =
        new Routes(hub.routes(), hosts, options, new Http(access, hub.codec()), rejections);
  }

  @Override
  public TransportOptions options() {
    return options;
  }

  @Override
  public Handshake.Decision decide(Handshake h) {
    if (!hosts.hostAllowed(h.serverName())) {
      return refuse(
          h,
          FORBIDDEN,
          "host",
          "host not allowed",
          "host " + Rejections.quote(h.serverName()) + " is not one this server answers to");
    }
    String origin = h.origin();
    if (origin != null
        && !hosts.originAllowed(origin, h.secure(), h.serverName(), h.serverPort())) {
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

  @Override
  public boolean serves(String path) {
    return routes.serves(path);
  }

  /**
   * The host and origin checks of {@link #decide}, the announced size, the route's checks, then
   * room in the body budgets: all before a byte of the body is read.
   */
  @Override
  public HttpAdmission admit(HttpRequest head) {
    return routes.admit(head);
  }

  @Override
  public Inbound open(Handshake.Accept accepted, Outbound outbound) {
    return hub.open(outbound, options, accepted.topic(), accepted.address(), accepted.identity());
  }
}
