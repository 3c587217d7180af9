package io.github.wsproducer.netty;

import io.github.wsproducer.Hub;
import io.github.wsproducer.protocol.CloseCode;
import io.github.wsproducer.protocol.Protocol;
import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.spi.TransportOptions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link Hub} over Netty 4.2, in both forms of protocol v1 (as the Jetty transport does),
 * with the browser client at {@code /wsproducer.js} and, optionally, a page's files, so that a page
 * and its sockets share one origin.
 *
 * <p>Each update's WebSocket frame, header included, is encoded once and the same read-only bytes
 * are written to every connection; frames that queue behind a write go out in the next one,
 * together. Native epoll is used where it is available, NIO elsewhere; the choice is logged once at
 * start.
 *
 * <p>Requests are answered as by every transport ({@link TransportOptions.Builder}): upgrades only
 * when addressed to an allowed host and from an allowed origin (otherwise 403), 503 with {@code
 * Retry-After} over the connection limits. A request must arrive whole within the handshake
 * timeout; a malformed one gets 400 and a closed socket. Every response carries the security
 * headers of {@link io.github.wsproducer.spi.WebResources} and no server name.
 *
 * <p>The hub is not owned: close it after the server. {@link #close()} sends every connection 1012
 * with a reconnect hint.
 *
 * <pre>{@code
 * try (NettyServer server = NettyServer.builder(hub).host("0.0.0.0").port(8080)
 *     .staticFiles(Path.of("web")).start()) {
 *   ...
 * }
 * }</pre>
 */
public final class NettyServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NettyServer.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  private final EventLoopGroup group;
  private final Channel listener;
  private final ChannelGroup sockets;
  private final AtomicBoolean closed = new AtomicBoolean();

  private NettyServer(EventLoopGroup group, Channel listener, ChannelGroup sockets) {
    this.group = group;
    this.listener = listener;
    this.sockets = sockets;
  }

  /** A builder with the defaults listed on its methods. */
  public static Builder builder(Hub hub) {
    Objects.requireNonNull(hub, "hub");
    return new Builder(options -> Endpoint.of(hub, options));
  }

  /** The address the server listens on, its port chosen if {@code port(0)} was asked. */
  public InetSocketAddress address() {
    return (InetSocketAddress) listener.localAddress();
  }

  /** The port the server listens on. */
  public int port() {
    return address().getPort();
  }

  /** The server's root, {@code http://host:port/}. */
  public URI uri() {
    InetSocketAddress a = address();
    String host = a.getAddress().getHostAddress();
    return URI.create(
        "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
  }

  /**
   * Stops the server: no new connections, HTTP connections closed, every WebSocket closed with 1012
   * and a reconnect hint (waiting up to 2 s for the closing handshakes), then the I/O threads.
   * Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    listener.close().awaitUninterruptibly();
    for (Channel socket : sockets) {
      NettyConnection ws = socket.pipeline().get(NettyConnection.class);
      if (ws != null && ws.isOpen()) {
        ws.closeWith(CloseCode.SERVICE_RESTART.code(), Protocol.restartReason());
      } else {
        socket.close(); // HTTP, or a handshake under way
      }
    }
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    while (!sockets.isEmpty() && System.nanoTime() < deadline) {
      sockets.newCloseFuture().awaitUninterruptibly(10, TimeUnit.MILLISECONDS);
    }
    sockets.close().awaitUninterruptibly();
    group
        .shutdownGracefully(0, CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)
        .awaitUninterruptibly();
  }

  /**
   * Configures a {@link NettyServer}: the options of every transport ({@link
   * TransportOptions.Builder}) and where to listen and what else to serve.
   */
  public static final class Builder extends TransportOptions.Builder<Builder> {
    private final Function<TransportOptions, Endpoint> endpoints;
    private String host = "127.0.0.1";
    private int port = 8080;
    private int ioThreads = Runtime.getRuntime().availableProcessors();
    private final List<StaticFiles> files = new ArrayList<>();

    /** Serves what {@code endpoints} makes of the options: a hub's endpoint, or a test's. */
    Builder(Function<TransportOptions, Endpoint> endpoints) {
      this.endpoints = endpoints;
    }

    /**
     * The address to listen on: a name or an IP address, {@code 0.0.0.0} for every interface.
     * 127.0.0.1, so that nothing is reachable from the network until asked.
     */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port to listen on, 0 for a free one ({@link #port()} tells which). 8080. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /** The number of I/O threads. As many as the machine has cores. */
    public Builder ioThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("ioThreads must be at least 1, was " + threads);
      }
      this.ioThreads = threads;
      return this;
    }

    /**
     * Also serves the files under {@code directory} ({@code index.html} for a path ending in {@code
     * /}); never a listing, never a file outside it or a hidden one. Several directories and
     * class-path roots are searched in the order given.
     */
    public Builder staticFiles(Path directory) {
      if (!Files.isDirectory(directory)) {
        throw new IllegalArgumentException(
            "staticFiles: no directory " + directory.toAbsolutePath());
      }
      files.add(StaticFiles.directory(directory));
      return this;
    }

    /**
     * Also serves the class-path resources under {@code root} ({@code "web"} serves {@code
     * web/index.html} at {@code /}), as {@link #staticFiles} does files.
     */
    public Builder staticResources(ClassLoader loader, String root) {
      files.add(StaticFiles.classpath(loader, root));
      return this;
    }

    /**
     * Binds and starts the server.
     *
     * @throws IllegalArgumentException if the options do not fit together
     * @throws UncheckedIOException with a {@link BindException} if the address cannot be bound
     */
    public NettyServer start() {
      TransportOptions options = buildOptions();
      Endpoint endpoint = endpoints.apply(options);
      boolean epoll = Epoll.isAvailable();
      IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
      Class<? extends ServerChannel> channel =
          epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
      // Netty's factory: its threads make Netty's thread-locals fast. Not daemons: like Jetty's,
      // they keep a program whose main method started the server running until close().
      EventLoopGroup group =
          new MultiThreadIoEventLoopGroup(
              ioThreads, new DefaultThreadFactory("wsproducer-netty", false), io);
      ChannelGroup sockets = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
      long sweep =
          Math.min(options.idleTimeout().toNanos(), options.handshakeTimeout().toNanos()) / 4;
      group
          .next()
          .scheduleAtFixedRate(() -> closeOverdue(sockets), sweep, sweep, TimeUnit.NANOSECONDS);
      HttpPipeline install = new HttpPipeline(endpoint, List.copyOf(files));
      ServerBootstrap bootstrap = new ServerBootstrap();
      if (options.sendBufferSize() > 0) {
        bootstrap.childOption(ChannelOption.SO_SNDBUF, options.sendBufferSize());
      }
      ChannelFuture bound =
          bootstrap
              .group(group)
              .channel(channel)
              .option(ChannelOption.SO_BACKLOG, 4096) // connect storms: a wall of screens
              .childOption(ChannelOption.TCP_NODELAY, true)
              // Sends complete while Netty's buffer is under the connection's byte cap: a burst
              // waits there, not in the hub's queue, until the event loop has written it.
              .childOption(
                  ChannelOption.WRITE_BUFFER_WATER_MARK,
                  new WriteBufferWaterMark(
                      (int) (options.maxQueuedBytes() / 2), (int) options.maxQueuedBytes()))
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      sockets.add(ch);
                      install.accept(ch);
                    }
                  })
              .bind(host, port)
              .awaitUninterruptibly();
      if (!bound.isSuccess()) {
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        // Epoll reports its own exception type: name the failure the same way as NIO does.
        BindException cause = new BindException(bound.cause().getMessage());
        cause.initCause(bound.cause());
        throw new UncheckedIOException(
            "cannot listen on " + host + ":" + port + ": " + cause.getMessage(), cause);
      }
      NettyServer server = new NettyServer(group, bound.channel(), sockets);
      log.info(
          "Netty transport listening on {} with {} ({} I/O threads)",
          server.uri(),
          epoll ? "epoll" : "NIO, epoll unavailable: " + Epoll.unavailabilityCause(),
          ioThreads);
      return server;
    }
  }

  /**
   * Closes the connections whose request has not come whole within the handshake timeout, and the
   * upgraded ones that nothing went either way on for the idle timeout. A sweep a few times per
   * timeout costs less than a timer per connection, or an idle handler in each pipeline, which
   * would add a promise and a listener to every write.
   */
  private static void closeOverdue(Iterable<Channel> channels) {
    long now = System.nanoTime();
    for (Channel channel : channels) {
      HttpGate http = channel.pipeline().get(HttpGate.class); // until it upgrades
      if (http != null
          ? http.overdue(now)
          : channel.pipeline().last() instanceof NettyConnection ws && ws.idle(now)) {
        channel.close();
      }
    }
  }
}
