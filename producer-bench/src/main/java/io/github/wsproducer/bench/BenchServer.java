package io.github.wsproducer.bench;

import io.github.wsproducer.Hub;
import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import io.github.wsproducer.jakarta.HubFilter;
import io.github.wsproducer.jetty.HubWebSocket;
import io.github.wsproducer.netty.NettyServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * A bench server publishing {@code rate} updates per second on topic {@code load}; plain clients
 * connect at {@code /load}. Three systems: {@code wsproducer} (the library, on the Jetty or the
 * Netty transport, or the Jakarta one on embedded Tomcat), {@code jetty} (plain Jetty 12: a {@code
 * sendText} loop over the open sessions, no library) and {@code netty} (plain Netty 4.2: one frame
 * encoded per update and written to every channel, no library: the floor of the Netty transport's
 * design). The system property {@code bench.pingSeconds} sets the Jetty transport's ping interval
 * (15 s, the default; 0 for none), to tell what the plain loops, which never ping, are spared.
 */
final class BenchServer {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final int port;
  private final AutoCloseable server;
  private final Hub hub; // null for plain Jetty
  private final ScheduledExecutorService publisher;

  private BenchServer(int port, AutoCloseable server, Hub hub, ScheduledExecutorService publisher) {
    this.port = port;
    this.server = server;
    this.hub = hub;
    this.publisher = publisher;
  }

  static BenchServer start(
      String system,
      String transport,
      String host,
      int port,
      int rate,
      int payloadBytes,
      String history)
      throws Exception {
    if (!List.of("jetty", "netty", "tomcat").contains(transport)) {
      throw new IllegalArgumentException(
          "transport must be jetty, netty or tomcat, was \"" + transport + "\"");
    }
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(host);
    connector.setPort(port);
    connector.setAcceptQueueSize(4096);
    server.addConnector(connector);
    Hub hub = null;
    Consumer<String> publish;
    AutoCloseable netty = null;
    int nettyPort = 0;
    switch (system) {
      case "wsproducer" -> {
        Hub.Builder builder = Hub.builder().topic(Topic.of("load", State.latest()));
        if (history != null) { // a directory of its own each start: no restore between runs
          java.nio.file.Path parent =
              java.nio.file.Files.createDirectories(java.nio.file.Path.of(history));
          builder.history(
              io.github.wsproducer.history.DiskHistory.open(
                  java.nio.file.Files.createTempDirectory(parent, "server")));
        }
        Hub h = builder.build();
        hub = h;
        publish = text -> h.publish("load", JSON.readTree(text));
        if (transport.equals("tomcat")) {
          TomcatServer t =
              TomcatServer.start(
                  host,
                  port,
                  HubFilter.builder(h)
                      .maxConnections(100_000)
                      .maxConnectionsPerAddress(100_000)
                      .build());
          netty = t;
          nettyPort = t.port();
        } else if (transport.equals("netty")) {
          NettyServer n =
              NettyServer.builder(h)
                  .host(host)
                  .port(port)
                  .maxConnections(100_000)
                  .maxConnectionsPerAddress(100_000)
                  .start();
          netty = n;
          nettyPort = n.port();
        } else {
          // Load clients open up to 5,000 connections from each 127.0.0.x address.
          HubWebSocket.builder(h)
              .maxConnections(100_000)
              .maxConnectionsPerAddress(100_000)
              .pingInterval(Duration.ofSeconds(Long.getLong("bench.pingSeconds", 15)))
              .build()
              .mount(server);
        }
      }
      case "netty" -> {
        BareNetty bare = BareNetty.start(host, port);
        netty = bare;
        nettyPort = bare.port();
        publish = bare::broadcast;
      }
      case "tomcat" -> {
        TomcatServer.PlainLoop loop = new TomcatServer.PlainLoop();
        TomcatServer t = TomcatServer.plain(host, port, loop);
        netty = t;
        nettyPort = t.port();
        publish = loop::broadcast;
      }
      case "jetty" -> {
        Set<Session> sessions = ConcurrentHashMap.newKeySet();
        AtomicReference<String> latest = new AtomicReference<>();
        server.setHandler(
            WebSocketUpgradeHandler.from(
                server,
                container -> {
                  container.setIdleTimeout(Duration.ofMinutes(5));
                  container.addMapping(
                      "/load", (rq, rs, cb) -> new PlainEndpoint(sessions, latest));
                }));
        publish =
            text -> {
              latest.set(text);
              for (Session s : sessions) {
                s.sendText(text, Callback.NOOP);
              }
            };
      }
      default ->
          throw new IllegalArgumentException(
              "system must be wsproducer, jetty, netty or tomcat, was \"" + system + "\"");
    }
    if (netty == null) {
      server.start();
    }
    String padding = Payload.padding(payloadBytes);
    ScheduledExecutorService publisher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "bench-publisher");
              t.setDaemon(true);
              return t;
            });
    long[] n = {0};
    if (rate > 0) { // rate 0: idle connections, for measuring memory per connection
      // A task that throws is never run again: a failed update is reported and the next one goes.
      publisher.scheduleAtFixedRate(
          () -> {
            try {
              publish.accept(Payload.json(++n[0], System.nanoTime(), padding));
            } catch (RuntimeException e) {
              e.printStackTrace();
            }
          },
          0,
          1_000_000_000L / rate,
          TimeUnit.NANOSECONDS);
    }
    return netty != null
        ? new BenchServer(nettyPort, netty, hub, publisher)
        : new BenchServer(connector.getLocalPort(), server::stop, hub, publisher);
  }

  /**
   * Answers each line "heap" on standard input with "heap KB", the used heap after a full GC, until
   * standard input ends; then waits for the process to be stopped.
   */
  static void answerHeapQueries() throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
    for (String line; (line = in.readLine()) != null; ) {
      if (line.equals("heap")) {
        System.gc();
        System.gc(); // a second collection finds what the first one's finalization freed
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        System.out.println("heap " + heap.getUsed() / 1024.0);
        System.out.flush();
      }
    }
    new CountDownLatch(1).await();
  }

  int port() {
    return port;
  }

  void stop() throws Exception {
    publisher.shutdownNow();
    server.close();
    if (hub != null) {
      hub.close();
    }
  }

  /**
   * Plain Jetty's endpoint: keeps the set of open sessions and sends a new one the latest update,
   * as wsproducer sends its snapshot.
   */
  public static final class PlainEndpoint implements Session.Listener.AutoDemanding {
    private final Set<Session> sessions;
    private final AtomicReference<String> latest;
    private Session session;

    PlainEndpoint(Set<Session> sessions, AtomicReference<String> latest) {
      this.sessions = sessions;
      this.latest = latest;
    }

    @Override
    public void onWebSocketOpen(Session session) {
      this.session = session;
      sessions.add(session);
      String text = latest.get();
      if (text != null) {
        session.sendText(text, Callback.NOOP);
      }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
      sessions.remove(session);
      callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
      sessions.remove(session);
    }
  }
}
