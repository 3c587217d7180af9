package io.github.wsproducer.jetty;

import io.github.wsproducer.CloseCodes;
import io.github.wsproducer.Hub;
import io.github.wsproducer.Topic;
import io.github.wsproducer.jetty.internal.HubEndpoint;
import io.github.wsproducer.jetty.internal.SessionRegistry;
import io.github.wsproducer.spi.ConnectionLimits;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * Serves a {@link Hub} over Jetty 12 WebSockets, in both forms of protocol v1.
 *
 * <ul>
 *   <li>Plain (no subprotocol): {@code /} subscribes to the hub's default topic, {@code /{topic}}
 *       to that topic; each frame is the topic's data.
 *   <li>Envelope (subprotocol {@code wsproducer.v1}, at {@code /}): {@code hello}, then topics are
 *       chosen with {@code subscribe} messages.
 * </ul>
 *
 * <p>It also serves the dependency-free browser client at {@code /wsproducer.js} ({@code
 * docs/client.md}).
 *
 * <p>Upgrade requests from a browser are accepted only from the allowed origins (by default the
 * server's own origin); others get HTTP 403. Requests without an {@code Origin} header come from
 * non-browser clients and are accepted. Refused handshakes are logged (at WARN, with the client's
 * address and the origin or topic), once per cause and then at most once a minute. Requests that
 * are not WebSocket upgrades pass through to the next handler.
 *
 * <p>Immutable and thread-safe. The hub is not owned: close it after stopping the server. When the
 * handler stops, its connections are closed with {@link CloseCodes#SERVICE_RESTART}.
 *
 * <pre>{@code
 * Server server = new Server(5000);
 * HubWebSocket.builder(hub).allowOrigin("https://wall.example.com").build().mount(server);
 * server.start();
 * }</pre>
 */
public final class HubWebSocket {
  /** The subprotocol of the envelope form. */
  public static final String SUBPROTOCOL = "wsproducer.v1";

  /** Where the browser client is served. */
  public static final String CLIENT_PATH = "/wsproducer.js";

  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  private final Hub hub;
  private final Set<String> allowedOrigins;
  private final long maxMessageSize;
  private final Duration idleTimeout;
  private final ConnectionLimits limits;
  private final boolean deflate;
  private final Rejections rejections = new Rejections();

  private HubWebSocket(Builder b) {
    this.hub = b.hub;
    this.allowedOrigins = Set.copyOf(b.allowedOrigins);
    this.maxMessageSize = b.maxMessageSize;
    this.idleTimeout = b.idleTimeout;
    this.limits = new ConnectionLimits(b.maxQueuedBytes, b.writeTimeout, b.pingInterval);
    this.deflate = b.deflate;
  }

  /** A builder with the defaults listed on its methods. */
  public static Builder builder(Hub hub) {
    return new Builder(hub);
  }

  /**
   * A handler for your own handler tree: it upgrades WebSocket requests and passes every other
   * request to its child ({@link Handler.Wrapper#setHandler}). When the server begins to stop, its
   * WebSockets are closed with {@link CloseCodes#SERVICE_RESTART} (waiting up to 2 s for the
   * closing handshakes), before Jetty closes what is left with 1001.
   */
  public Handler.Wrapper handler(Server server) {
    Objects.requireNonNull(server, "server");
    SessionRegistry sessions = new SessionRegistry();
    server.addEventListener(
        new LifeCycle.Listener() {
          @Override
          public void lifeCycleStopping(LifeCycle event) {
            sessions.closeAll(CLOSE_WAIT);
          }
        });
    return new HubUpgradeHandler(
        ServerWebSocketContainer.ensure(server),
        container -> {
          container.setMaxTextMessageSize(maxMessageSize);
          container.setMaxBinaryMessageSize(maxMessageSize);
          container.setIdleTimeout(idleTimeout);
          container.addMapping(
              "/*", (request, response, callback) -> create(request, response, callback, sessions));
        },
        sessions);
  }

  /** Puts {@link #handler(Server)} in front of the server's current handler. */
  public void mount(Server server) {
    Handler.Wrapper handler = handler(server);
    handler.setHandler(server.getHandler());
    server.setHandler(handler);
  }

  private Object create(
      ServerUpgradeRequest request,
      ServerUpgradeResponse response,
      Callback callback,
      SessionRegistry sessions) {
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    if (origin != null && !originAllowed(origin, request)) {
      refuse(
          request,
          response,
          callback,
          HttpStatus.FORBIDDEN_403,
          "origin not allowed",
          "origin " + Rejections.quote(origin) + " is not allowed");
      return null;
    }
    String path = Request.getPathInContext(request);
    boolean envelope = request.hasSubProtocol(SUBPROTOCOL);
    String topic;
    if (envelope) {
      if (!path.equals("/")) {
        refuse(
            request,
            response,
            callback,
            HttpStatus.NOT_FOUND_404,
            "the " + SUBPROTOCOL + " form is served at /",
            "the " + SUBPROTOCOL + " form asked at path " + Rejections.quote(path));
        return null;
      }
      response.setAcceptedSubProtocol(SUBPROTOCOL);
      topic = null;
    } else {
      topic = path.equals("/") ? hub.defaultTopic() : path.substring(1);
      if (!Topic.isValidName(topic)
          || hub.topics().stream().noneMatch(t -> t.name().equals(topic))) {
        refuse(
            request,
            response,
            callback,
            HttpStatus.NOT_FOUND_404,
            "no such topic",
            "no topic " + Rejections.quote(topic) + "; the hub has " + topicNames());
        return null;
      }
    }
    if (!deflate) {
      response.setExtensions(List.of());
    }
    return new HubEndpoint(hub, topic, limits, sessions);
  }

  private void refuse(
      Request request,
      Response response,
      Callback callback,
      int status,
      String answer,
      String cause) {
    Response.writeError(request, response, callback, status, answer);
    rejections.refused(
        status, cause, Request.getRemoteAddr(request) + ":" + Request.getRemotePort(request));
  }

  private List<String> topicNames() {
    return hub.topics().stream().map(Topic::name).toList();
  }

  private boolean originAllowed(String origin, Request request) {
    if (allowedOrigins.contains(origin)) {
      return true;
    }
    String own =
        (request.isSecure() ? "https" : "http")
            + "://"
            + Request.getServerName(request)
            + ":"
            + Request.getServerPort(request);
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

  /**
   * The upgrade handler. It also serves the browser client at {@code /wsproducer.js}, and closes
   * its connections with a restart hint when it stops.
   */
  private static final class HubUpgradeHandler extends WebSocketUpgradeHandler {
    private final SessionRegistry sessions;

    HubUpgradeHandler(
        ServerWebSocketContainer container,
        Consumer<ServerWebSocketContainer> configurator,
        SessionRegistry sessions) {
      super(container, configurator);
      this.sessions = sessions;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      if (HttpMethod.GET.is(request.getMethod())
          && Request.getPathInContext(request).equals(CLIENT_PATH)) {
        ClientScript.serve(request, response, callback);
        return true;
      }
      return super.handle(request, response, callback);
    }

    @Override
    protected void doStop() throws Exception {
      sessions.closeAll(CLOSE_WAIT);
      super.doStop();
    }
  }

  /** Configures a {@link HubWebSocket}; {@link #build()} validates. */
  public static final class Builder {
    private final Hub hub;
    private final Set<String> allowedOrigins = new LinkedHashSet<>();
    private long maxMessageSize = 64 * 1024;
    private Duration idleTimeout = Duration.ofSeconds(60);
    private Duration pingInterval = ConnectionLimits.DEFAULTS.pingInterval();
    private long maxQueuedBytes = ConnectionLimits.DEFAULTS.maxQueuedBytes();
    private Duration writeTimeout = ConnectionLimits.DEFAULTS.writeTimeout();
    private boolean deflate;

    private Builder(Hub hub) {
      this.hub = Objects.requireNonNull(hub, "hub");
    }

    /**
     * Also accepts browsers from this origin, matched exactly ({@code scheme://host[:port]}).
     * {@code "null"} admits pages opened from disk. The server's own origin is always accepted.
     */
    public Builder allowOrigin(String origin) {
      Objects.requireNonNull(origin, "origin");
      if (!origin.equals("null") && !origin.matches("https?://[^/?#\\s]+")) {
        throw new IllegalArgumentException(
            "origin must be scheme://host[:port] or \"null\", was \"" + origin + "\"");
      }
      allowedOrigins.add(origin);
      return this;
    }

    /** The largest client message in bytes; larger ones close the connection with 1009. 64 KiB. */
    public Builder maxMessageSize(long bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxMessageSize must be at least 1024, was " + bytes);
      }
      this.maxMessageSize = bytes;
      return this;
    }

    /** A connection with no traffic either way for this long is closed. 60 s. */
    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = positive("idleTimeout", idleTimeout);
      return this;
    }

    /** How often an idle connection is pinged; shorter than the idle timeout. 15 s. */
    public Builder pingInterval(Duration pingInterval) {
      this.pingInterval = positive("pingInterval", pingInterval);
      return this;
    }

    /**
     * Byte cap of the frames queued per connection; over it the connection skips ahead to a fresh
     * snapshot instead of queuing more. 1 MiB.
     */
    public Builder maxQueuedBytes(long bytes) {
      this.maxQueuedBytes = bytes;
      return this;
    }

    /** A connection whose write does not finish within this is closed with 4001. 30 s. */
    public Builder writeTimeout(Duration writeTimeout) {
      this.writeTimeout = positive("writeTimeout", writeTimeout);
      return this;
    }

    /** Negotiates permessage-deflate when a client offers it. Off. */
    public Builder deflate(boolean deflate) {
      this.deflate = deflate;
      return this;
    }

    /**
     * An immutable {@link HubWebSocket}.
     *
     * @throws IllegalArgumentException if a limit is out of range
     */
    public HubWebSocket build() {
      if (pingInterval.compareTo(idleTimeout) >= 0) {
        throw new IllegalArgumentException(
            "pingInterval ("
                + pingInterval
                + ") must be shorter than idleTimeout ("
                + idleTimeout
                + ")");
      }
      return new HubWebSocket(this);
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }
  }
}
