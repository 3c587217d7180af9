package io.github.wsproducer.jetty;

import io.github.wsproducer.Hub;
import io.github.wsproducer.jetty.internal.JettyConnection;
import io.github.wsproducer.protocol.CloseCode;
import io.github.wsproducer.protocol.Protocol;
import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.spi.Handshake;
import io.github.wsproducer.spi.Headers;
import io.github.wsproducer.spi.OpenConnections;
import io.github.wsproducer.spi.TransportOptions;
import io.github.wsproducer.spi.WebResources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.websocket.api.Session;
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
 * <p>Upgrade requests are answered only when addressed to localhost, an IP address, this machine's
 * name or an allowed host, and from a browser only from the allowed origins (by default the
 * server's own origin); others get HTTP 403. Requests without an {@code Origin} header come from
 * non-browser clients and are accepted. Over the connection limits, requests get 503. Refused
 * handshakes are logged at WARN on the logger {@code io.github.wsproducer.handshake}, with the
 * client's address and the origin or topic, once per cause and then at most once a minute. Requests
 * that are not WebSocket upgrades pass through to the next handler.
 *
 * <p>The protocol (which handshakes to accept, what client messages mean, close codes) is decided
 * by the hub's {@link Endpoint}; this class does Jetty's I/O. Options and defaults are those of
 * every transport ({@link TransportOptions.Builder}).
 *
 * <p>Immutable and thread-safe. The hub is not owned: close it after stopping the server. When the
 * server stops, its connections are closed with 1012 and a reconnect hint.
 *
 * <pre>{@code
 * Server server = new Server(5000);
 * HubWebSocket.builder(hub).allowOrigin("https://wall.example.com").build().mount(server);
 * server.start();
 * }</pre>
 */
public final class HubWebSocket {
  /** The subprotocol of the envelope form ({@link Protocol#SUBPROTOCOL}). */
  public static final String SUBPROTOCOL = Protocol.SUBPROTOCOL;

  /** Where the browser client is served ({@link Protocol#CLIENT_SCRIPT_PATH}). */
  public static final String CLIENT_PATH = Protocol.CLIENT_SCRIPT_PATH;

  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  private final Endpoint endpoint;

  /** Serves {@code endpoint}: a hub's, or a test's. */
  HubWebSocket(Endpoint endpoint) {
    this.endpoint = endpoint;
  }

  /** A builder with the defaults listed on its methods. */
  public static Builder builder(Hub hub) {
    return new Builder(hub);
  }

  /**
   * A handler for your own handler tree: it upgrades WebSocket requests and passes every other
   * request to its child ({@link Handler.Wrapper#setHandler}). As soon as the server begins to
   * stop, its WebSockets are closed with 1012 and a reconnect hint, waiting up to 2 s for the
   * closing handshakes, before Jetty closes its connectors and what is left with 1001.
   *
   * <p>When the server starts, its connectors stop sending the {@code Server} header (Jetty's name
   * and version), Jetty's own error answers carry the security headers in plain text (unless the
   * server has an error handler of its own), the handshake timeout applies to every HTTP/1 request
   * on them (a request's line and headers must arrive within it), and a {@code sendBufferSize}
   * other than 0 sizes the send buffer of every connection they accept.
   */
  public Handler.Wrapper handler(Server server) {
    Objects.requireNonNull(server, "server");
    TransportOptions options = endpoint.options();
    OpenConnections<Session> sessions =
        new OpenConnections<>(
            session ->
                session.close(
                    CloseCode.SERVICE_RESTART.code(),
                    CloseCode.SERVICE_RESTART.reason(),
                    org.eclipse.jetty.websocket.api.Callback.NOOP));
    HandshakeDeadline deadline =
        new HandshakeDeadline(options.handshakeTimeout(), options.maxConnectionsPerAddress());
    server.addEventListener(
        new LifeCycle.Listener() {
          @Override
          public void lifeCycleStarting(LifeCycle event) {
            Request.Handler errors = server.getErrorHandler();
            if (errors == null // Jetty's own, not one the application set
                || errors.getClass() == ErrorHandler.class
                || errors.getClass().getEnclosingClass() == Server.class) {
              server.setErrorHandler(new PlainErrors());
            }
            for (Connector connector : server.getConnectors()) {
              connector.addEventListener(deadline);
              if (options.sendBufferSize() > 0 && connector instanceof ServerConnector tcp) {
                tcp.setAcceptedSendBufferSize(options.sendBufferSize());
              }
              HttpConnectionFactory http =
                  connector.getConnectionFactory(HttpConnectionFactory.class);
              if (http != null) {
                http.getHttpConfiguration().setSendServerVersion(false);
              }
            }
          }

          @Override
          public void lifeCycleStarted(LifeCycle event) {
            deadline.start(server.getScheduler());
          }

          @Override
          public void lifeCycleStopping(LifeCycle event) {
            deadline.stop();
            sessions.closeAll(CLOSE_WAIT);
          }
        });
    return new HubUpgradeHandler(
        endpoint,
        ServerWebSocketContainer.ensure(server),
        container -> {
          container.setMaxTextMessageSize(options.maxMessageSize());
          container.setMaxBinaryMessageSize(options.maxMessageSize());
          container.setIdleTimeout(options.idleTimeout());
          container.addMapping(
              "/*", (request, response, callback) -> create(request, response, callback, sessions));
        });
  }

  /**
   * Puts {@link #handler(Server)} in front of the server's current handler: set your own handler
   * (pages, an API) first, then mount.
   */
  public void mount(Server server) {
    Handler.Wrapper handler = handler(server);
    handler.setHandler(server.getHandler());
    server.setHandler(handler);
  }

  private Object create(
      ServerUpgradeRequest request,
      ServerUpgradeResponse response,
      Callback callback,
      OpenConnections<Session> sessions) {
    Handshake handshake =
        new Handshake(
            Request.getPathInContext(request),
            request.getSubProtocols(),
            request.getHeaders().get(HttpHeader.ORIGIN),
            request.isSecure(),
            Request.getServerName(request),
            Request.getServerPort(request),
            Request.getRemoteAddr(request),
            Request.getRemoteAddr(request) + ":" + Request.getRemotePort(request),
            request.getHttpURI().getQuery(),
            Handshake.headersWhenRead(() -> headers(request)));
    Handshake.Decision decision = endpoint.decide(handshake);
    if (decision instanceof Handshake.Refuse refuse) {
      EndpointRequests.write(refuse.response(), response, callback);
      return null;
    }
    Handshake.Accept accept = (Handshake.Accept) decision;
    if (accept.subprotocol() != null) {
      response.setAcceptedSubProtocol(accept.subprotocol());
    }
    if (!endpoint.options().deflate()) {
      response.setExtensions(List.of());
    }
    return new JettyConnection(endpoint, accept, sessions);
  }

  /** The request's headers by lower-case name, for an authenticator. */
  static Map<String, List<String>> headers(Request request) {
    Headers headers = new Headers();
    for (HttpField field : request.getHeaders()) {
      headers.add(field.getName(), field.getValue());
    }
    return headers.byName();
  }

  /**
   * The upgrade handler, which also serves the browser client at {@code /wsproducer.js}, the screen
   * kit's pages ({@link WebResources#find}) and the endpoint's HTTP requests.
   */
  private static final class HubUpgradeHandler extends WebSocketUpgradeHandler {
    private final Endpoint endpoint;

    HubUpgradeHandler(
        Endpoint endpoint,
        ServerWebSocketContainer container,
        Consumer<ServerWebSocketContainer> configurator) {
      super(container, configurator);
      this.endpoint = endpoint;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      if (!request.getHeaders().contains(HttpHeader.UPGRADE, "websocket")
          && endpoint.serves(Request.getPathInContext(request))) {
        EndpointRequests.serve(endpoint, request, response, callback);
        return true;
      }
      if (HttpMethod.GET.is(request.getMethod()) || HttpMethod.HEAD.is(request.getMethod())) {
        WebResources.Resource file = WebResources.find(Request.getPathInContext(request));
        if (file != null) {
          String version = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
          EndpointRequests.write(file.answer(version), response, callback);
          return true;
        }
      }
      return super.handle(request, response, callback);
    }
  }

  /**
   * Configures a {@link HubWebSocket}: the options of every transport ({@link
   * TransportOptions.Builder}); {@link #build()} validates them together.
   */
  public static final class Builder extends TransportOptions.Builder<Builder> {
    private final Hub hub;

    private Builder(Hub hub) {
      this.hub = Objects.requireNonNull(hub, "hub");
    }

    /**
     * An immutable {@link HubWebSocket}.
     *
     * @throws IllegalArgumentException if the options do not fit together
     */
    public HubWebSocket build() {
      return new HubWebSocket(Endpoint.of(hub, buildOptions()));
    }
  }
}
