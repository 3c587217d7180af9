package io.github.wsproducer.jakarta;

import io.github.wsproducer.Hub;
import io.github.wsproducer.jakarta.internal.JakartaConnection;
import io.github.wsproducer.jakarta.internal.JakartaRequests;
import io.github.wsproducer.jakarta.internal.JakartaThreads;
import io.github.wsproducer.protocol.Protocol;
import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.spi.Handshake;
import io.github.wsproducer.spi.OpenConnections;
import io.github.wsproducer.spi.TransportOptions;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;

/**
 * Serves a {@link Hub} from a servlet container through the Jakarta WebSocket API (2.1 or newer):
 * Tomcat, Jetty's Jakarta container, Undertow, and Spring Boot on any of them. Both forms of
 * protocol v1, the browser client at {@code /wsproducer.js}, the screen kit's pages when {@code
 * producer-screens} is on the class path, and the push API and the screen fleet when the hub has
 * them; every other request passes down the filter chain to your application.
 *
 * <p>It is a servlet {@link Filter}: {@link #register} adds it to a context while the context
 * starts (from a {@code ServletContainerInitializer}, a {@code ServletContextListener} or Spring
 * Boot's {@code ServletContextInitializer}). For each WebSocket upgrade it asks the hub's {@link
 * Endpoint} to decide, answers a refusal itself (403, 401, 503), passes one for a path that is not
 * the hub's down the chain (perhaps the application has a WebSocket there), and upgrades an
 * accepted one with {@link ServerContainer#upgradeHttpToWebSocket}. When the context stops ({@link
 * #close()}), its connections are closed with 1012 and a reconnect hint, before the container
 * closes what is left with 1001.
 *
 * <p>Options and defaults are those of every transport ({@link TransportOptions.Builder}), but two
 * are the container's to enforce: the handshake timeout (Tomcat's {@code connectionTimeout},
 * Jetty's idle timeout) and the send buffer size. The Jakarta API sends text as a string, so each
 * frame is encoded once per connection instead of once for all: see {@code docs/transports.md} for
 * what that costs.
 *
 * <pre>{@code
 * HubFilter ws = HubFilter.builder(hub).allowOrigin("https://wall.example.com").build();
 * // while the context starts:
 * ws.register(servletContext);
 * }</pre>
 *
 * <p>Thread-safe. The hub is not owned: close it after the container stops. The filter's own
 * threads (a timer for the connections' deadlines, and up to 8 for container calls that may block)
 * stop with it; {@link Builder#executor} and {@link Builder#scheduler} give it the application's
 * instead.
 */
public final class HubFilter implements Filter, AutoCloseable {
  /** The name the filter is registered under. */
  public static final String NAME = "wsproducer";

  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
  private static final Pattern PATH = Pattern.compile("(/(?!\\.\\.?(/|$))[A-Za-z0-9._~-]+)+");

  private final Endpoint endpoint;
  private final String path; // "" for the context's root, else "/live"
  private final JakartaRequests requests;
  private final OpenConnections<Session> sessions =
      new OpenConnections<>(JakartaConnection::closeForRestart);
  private final JakartaThreads threads;
  private volatile ServerContainer container;

  /** Serves {@code endpoint} at the context's root: a hub's, or a test's. */
  HubFilter(Endpoint endpoint) {
    this(endpoint, "", new JakartaThreads(null, null));
  }

  private HubFilter(Endpoint endpoint, String path, JakartaThreads threads) {
    this.endpoint = endpoint;
    this.path = path;
    this.threads = threads;
    this.requests = new JakartaRequests(endpoint, path);
  }

  /** A builder with the defaults listed on its methods. */
  public static Builder builder(Hub hub) {
    return new Builder(hub);
  }

  /**
   * Adds this filter to {@code context} for every request ({@code /*}), ahead of the application's
   * filters.
   *
   * @throws IllegalStateException if the context has started
   */
  public void register(ServletContext context) {
    Objects.requireNonNull(context, "context");
    FilterRegistration.Dynamic registration = context.addFilter(NAME, this);
    if (registration == null) {
      throw new IllegalStateException("the context has a filter named " + NAME + " already");
    }
    registration.setAsyncSupported(true);
    registration.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
  }

  private static ServerContainer serverContainer(ServletContext context) {
    Object container = context.getAttribute(ServerContainer.class.getName());
    if (!(container instanceof ServerContainer server)) {
      throw new IllegalStateException(
          "the servlet context has no Jakarta WebSocket container: add the container's WebSocket"
              + " support (tomcat-embed-websocket, jetty-ee11-websocket-jakarta-server, ...)");
    }
    return server;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if (!this.path.isEmpty()) {
      if (!path.startsWith(this.path)
          || (path.length() > this.path.length() && path.charAt(this.path.length()) != '/')) {
        chain.doFilter(request, response);
        return;
      }
      path = path.substring(this.path.length());
    }
    if (path.isEmpty()) {
      path = "/";
    }
    boolean upgrade = "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
    if (upgrade) {
      upgrade(request, response, chain, path);
    } else if (endpoint.serves(path)) {
      requests.serve(request, response, path);
    } else if (!requests.libraryFile(request, response, path)) {
      chain.doFilter(request, response);
    }
  }

  private void upgrade(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain, String path)
      throws IOException, ServletException {
    Handshake handshake =
        new Handshake(
            path,
            Handshake.subprotocols(Collections.list(request.getHeaders("Sec-WebSocket-Protocol"))),
            request.getHeader("Origin"),
            request.isSecure(),
            request.getServerName(),
            request.getServerPort(),
            request.getRemoteAddr(),
            request.getRemoteAddr() + ":" + request.getRemotePort(),
            request.getQueryString(),
            Handshake.headersWhenRead(() -> JakartaRequests.headers(request)));
    Handshake.Decision decision = endpoint.decide(handshake);
    if (decision instanceof Handshake.Refuse refuse && refuse.status() == 404) {
      chain.doFilter(request, response); // not the hub's: perhaps the application's own WebSocket
      return;
    }
    if (decision instanceof Handshake.Refuse refuse) {
      requests.answer(request, response, refuse.response());
      return;
    }
    Handshake.Accept accept = (Handshake.Accept) decision;
    ServerContainer server = container;
    if (server == null) { // the container sets it up while the context starts, perhaps after us
      container = server = serverContainer(request.getServletContext());
    }
    try {
      server.upgradeHttpToWebSocket(
          request,
          response,
          JakartaConnection.config(path, accept, endpoint, sessions, handshake.remote(), threads),
          Map.of());
    } catch (DeploymentException e) {
      throw new ServletException("the container refused the upgrade", e);
    }
  }

  /**
   * Closes every WebSocket with 1012 and a reconnect hint, and every later one, waiting up to 2 s
   * for the closing handshakes; then stops the filter's threads (not those it was given). {@link
   * #destroy()} calls it when the context stops, which on Tomcat comes before the container closes
   * what is left with 1001. A container that closes WebSockets before it stops its contexts (Jetty
   * with a stop timeout) needs it called first: from a listener of the server's stop, or Spring's
   * lifecycle.
   */
  @Override
  public void close() {
    sessions.closeAll(CLOSE_WAIT);
    threads.close();
  }

  /** {@link #close()}: the container stops the context. */
  @Override
  public void destroy() {
    close();
  }

  /** The subprotocol of the envelope form ({@link Protocol#SUBPROTOCOL}). */
  public static final String SUBPROTOCOL = Protocol.SUBPROTOCOL;

  /**
   * Configures a {@link HubFilter}: the options of every transport ({@link
   * TransportOptions.Builder}); {@link #build()} validates them together.
   */
  public static final class Builder extends TransportOptions.Builder<Builder> {
    private final Hub hub;
    private String path = "";
    private Executor executor;
    private ScheduledExecutorService scheduler;

    private Builder(Hub hub) {
      this.hub = Objects.requireNonNull(hub, "hub");
    }

    /**
     * Serves the hub under this path of the context ({@code /live}) instead of at its root: the
     * envelope form at {@code /live/}, a plain topic at {@code /live/orders}, the client script at
     * {@code /live/wsproducer.js}, the screens at {@code /live/screens/...}. Requests elsewhere
     * pass down the chain untouched. {@code /} for the root, the default.
     *
     * @throws IllegalArgumentException unless it is {@code /} or segments of letters, digits,
     *     {@code . _ ~ -}, each after a {@code /}
     */
    public Builder path(String path) {
      Objects.requireNonNull(path, "path");
      if (!path.equals("/") && !PATH.matcher(path).matches()) {
        throw new IllegalArgumentException(
            "path must be / or like /live or /walls/live, without a trailing /, was \""
                + path.replaceAll("[^\\x20-\\x7e]", "?")
                + "\"");
      }
      this.path = path.equals("/") ? "" : path;
      return this;
    }

    /**
     * Runs the container calls that may block (closing a session) on {@code executor}, which the
     * application owns. By default the filter has 8 threads of its own, stopped with it.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Keeps every connection's deadlines (idle, closing handshake) on {@code scheduler}, which the
     * application owns. By default the filter has a timer thread of its own, stopped with it.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * An immutable {@link HubFilter}.
     *
     * @throws IllegalArgumentException if the options do not fit together
     */
    public HubFilter build() {
      return new HubFilter(
          Endpoint.of(hub, buildOptions()), path, new JakartaThreads(executor, scheduler));
    }
  }
}
