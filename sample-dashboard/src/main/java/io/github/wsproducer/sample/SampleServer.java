package io.github.wsproducer.sample;

import io.github.wsproducer.Authenticator;
import io.github.wsproducer.Hub;
import io.github.wsproducer.RandomWalkSource;
import io.github.wsproducer.ReplaySource;
import io.github.wsproducer.Shape;
import io.github.wsproducer.State;
import io.github.wsproducer.TokenAuthenticator;
import io.github.wsproducer.Topic;
import io.github.wsproducer.UpdateSource;
import io.github.wsproducer.history.DiskHistory;
import io.github.wsproducer.jetty.HubWebSocket;
import io.github.wsproducer.jetty.SecurityHeaders;
import io.github.wsproducer.netty.NettyServer;
import io.github.wsproducer.redis.RedisFanout;
import io.github.wsproducer.screens.Screens;
import io.github.wsproducer.spi.TransportOptions;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * The sample: the original example's random counter on topic {@code random}, and the topics of a
 * simulated data-streams database ({@link DataStreams}), and {@code notes}, served over WebSockets
 * with a page at {@code /}; with an admin token, the screen fleet and pushing notes over HTTP.
 */
final class SampleServer implements AutoCloseable {
  private final DataStreams data; // null with --replay
  private final Hub hub;
  private final RedisFanout cluster; // null unless --redis-url
  private final KafkaPipelines pipelines; // null unless --kafka
  private final AutoCloseable server;
  private final int port;

  private SampleServer(
      DataStreams data,
      Hub hub,
      RedisFanout cluster,
      KafkaPipelines pipelines,
      AutoCloseable server,
      int port) {
    this.data = data;
    this.hub = hub;
    this.cluster = cluster;
    this.pipelines = pipelines;
    this.server = server;
    this.port = port;
  }

  /**
   * Starts the hub and the server; returns once connections are accepted.
   *
   * @throws java.sql.SQLException if the database cannot be reached
   * @throws Exception if the server cannot start, for example because the port is taken
   */
  static SampleServer start(Options options) throws Exception {
    DataStreams data =
        options.replay() != null
            ? null
            : DataStreams.open(options.jdbcUrl(), options.jdbcUser(), options.jdbcPassword());
    Hub.Builder topics =
        Hub.builder()
            .topic(Topic.of("random", State.latest()))
            // A note is pushed as {"text": "..."}; anything else is answered 422 and not shown.
            .topic(Topic.of("notes", State.latest()).withShape(Shape.of(Map.of("text", "string"))))
            .topic(Screens.topic());
    Screens screens = screens(options);
    if (options.adminToken() != null) {
      Authenticator admin = TokenAuthenticator.of(Map.of("admin", options.adminToken()));
      screens = screens.withFleet(admin);
      topics.push(admin, "notes");
    }
    if (options.screenToken() != null) {
      topics.authenticator(TokenAuthenticator.of(Map.of("screen", options.screenToken())));
    }
    topics.source(screens);
    boolean firstRun = true; // notes are kept across restarts with --data
    if (options.data() != null) {
      firstRun = !Files.exists(options.data().resolve(DiskHistory.FILE));
      topics.history(DiskHistory.open(options.data()));
    }
    Supplier<UpdateSource> random = () -> RandomWalkSource.builder("random").build();
    if (data != null) {
      data.addTo(topics);
      if (options.redisUrl() == null) {
        topics.source(random.get());
      }
    } else { // the same topics, played from recordings
      DataStreams.topics().forEach(topics::topic);
      topics.source(ReplaySource.builder(options.replay()).loop(true).build());
    }
    KafkaPipelines pipelines =
        options.kafka() == null ? null : new KafkaPipelines(options.kafka(), Duration.ofMinutes(3));
    topics.topic(KafkaPipelines.topic());
    if (pipelines != null) {
      topics.source(pipelines.source());
    }
    Hub hub = topics.build();
    if (pipelines == null) {
      hub.reportError(KafkaPipelines.TOPIC, KafkaPipelines.WITHOUT);
    }
    if (firstRun) {
      hub.publish("notes", Map.of("text", "No notes yet"));
    }
    RedisFanout cluster = null;
    AutoCloseable server = null;
    try {
      if (options.redisUrl() != null) {
        // A cluster node: the random walk runs on one node at a time, every node serves it.
        cluster = RedisFanout.builder(options.redisUrl(), hub).source("random", random).build();
      }
      int port;
      if (options.transport().equals("netty")) {
        NettyServer netty = netty(options, hub);
        server = netty;
        port = netty.port();
      } else {
        Server jetty = jetty(options, hub);
        server = jetty::stop;
        port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
      }
      if (data != null) {
        data.startSimulation();
      }
      if (pipelines != null) {
        pipelines.start();
      }
      return new SampleServer(data, hub, cluster, pipelines, server, port);
    } catch (Exception | Error e) {
      if (server != null) {
        server.close();
      }
      if (cluster != null) {
        cluster.close();
      }
      if (pipelines != null) {
        pipelines.close();
      }
      hub.close();
      if (data != null) {
        data.close();
      }
      throw e;
    }
  }

  /** The screens of {@code --screens}, watched, or the sample's own from the jar. */
  private static Screens screens(Options options) throws java.io.IOException {
    if (options.screens() != null) {
      return Screens.watch(options.screens());
    }
    try (java.io.InputStream in = SampleServer.class.getResourceAsStream("/screens.yaml")) {
      return Screens.parse(
          new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
          "screens.yaml in the sample's jar");
    }
  }

  /** The welcome page, the screens and the sockets, on Jetty. */
  private static Server jetty(Options options, Hub hub) throws Exception {
    Server server = new Server();
    try {
      HttpConfiguration http = new HttpConfiguration();
      http.setSendServerVersion(false); // no server name or version in any response
      ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
      connector.setHost(options.host());
      connector.setPort(options.port());
      server.addConnector(connector);

      // The welcome page, which opens the sample's screen; the screens themselves, their
      // files and uPlot are served by the transport (HubWebSocket) from the kit's jar.
      ResourceHandler pages = new ResourceHandler();
      pages.setBaseResource(ResourceFactory.of(server).newClassLoaderResource("static/"));
      pages.setWelcomeFiles("index.html");
      pages.setDirAllowed(false);
      server.setHandler(new SecurityHeaders(pages));
      sockets(options, HubWebSocket.builder(hub)).build().mount(server);
      server.start();
      return server;
    } catch (Exception | Error e) {
      server.stop();
      throw e;
    }
  }

  /** The same on Netty. */
  private static NettyServer netty(Options options, Hub hub) throws Exception {
    ClassLoader jar = SampleServer.class.getClassLoader();
    return sockets(options, NettyServer.builder(hub))
        .host(options.host())
        .port(options.port())
        .staticResources(jar, "static")
        .start();
  }

  /** The origins and hosts every transport gets from the command line. */
  private static <B extends TransportOptions.Builder<B>> B sockets(Options options, B builder)
      throws java.net.UnknownHostException {
    // The original example's page is opened from disk, so its origin is "null". Any page in a
    // sandboxed frame sends it too, so it is safe only while no other machine can connect.
    if (acceptsPagesFromDisk(options)) {
      builder.allowOrigin("null");
    }
    options.allowedOrigins().forEach(builder::allowOrigin);
    options.allowedHosts().forEach(builder::allowHost);
    return builder;
  }

  /** Whether pages opened from disk may connect: only while listening on loopback alone. */
  static boolean acceptsPagesFromDisk(Options options) throws java.net.UnknownHostException {
    return java.net.InetAddress.getByName(options.host()).isLoopbackAddress()
        || options.allowedOrigins().contains("null");
  }

  int port() {
    return port;
  }

  /** Stops the server (clients get 1012 and a reconnect hint), then the hub and the database. */
  @Override
  public void close() {
    try {
      server.close();
    } catch (Exception e) {
      System.err.println("error while stopping the server: " + e);
    } finally {
      if (cluster != null) {
        cluster.close();
      }
      if (pipelines != null) {
        pipelines.close();
      }
      hub.close();
      if (data != null) {
        data.close();
      }
    }
  }
}
