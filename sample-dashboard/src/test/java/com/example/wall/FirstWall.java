package com.example.wall;

import static java.time.temporal.ChronoUnit.SECONDS;

import io.github.wsproducer.Hub;
import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import io.github.wsproducer.UpdateSink;
import io.github.wsproducer.UpdateSource;
import io.github.wsproducer.jdbc.QuerySource;
import io.github.wsproducer.jdbc.ResultMapper;
import io.github.wsproducer.jetty.HubWebSocket;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.h2.jdbcx.JdbcDataSource;

/** A wall showing orders by status from a database, and the server's clock. */
public final class FirstWall {

  /** Your own source: the server's time, every second. */
  static final class ServerClock implements UpdateSource {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @Override
    public Set<String> topics() {
      return Set.of("clock");
    }

    @Override
    public void start(UpdateSink sink) {
      timer.scheduleAtFixedRate(
          () ->
              sink.publish(
                  "clock", Map.of("time", LocalTime.now().truncatedTo(SECONDS).toString())),
          0,
          1,
          TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }

  /** Starts the wall on {@code port}; stopping the server stops everything cleanly. */
  public static Server start(int port, DataSource db) throws Exception {
    Hub hub =
        Hub.builder()
            .topic(Topic.of("orders", State.keyed()).withStaleAfter(Duration.ofMinutes(1)))
            .source(
                QuerySource.builder(
                        db, "orders", "SELECT status, COUNT(*) AS n FROM orders GROUP BY status")
                    .mapper(ResultMapper.keyedBy("status"))
                    .interval(Duration.ofSeconds(2))
                    .build())
            .topic(Topic.of("clock", State.latest()))
            .source(new ServerClock())
            .build();

    Server server = new Server(port);
    // Your page: index.html and wall.js in src/main/resources/wall/.
    ResourceHandler page = new ResourceHandler();
    page.setBaseResource(ResourceFactory.of(server).newClassLoaderResource("wall/"));
    page.setWelcomeFiles("index.html");
    server.setHandler(page);
    // The sockets and /wsproducer.js in front of it: mount() wraps the handler set so far.
    HubWebSocket.builder(hub).build().mount(server);
    // A clean stop (also on Ctrl-C): screens get 1012 and a reconnect hint, then the hub closes.
    server.setStopAtShutdown(true);
    server.addEventListener(
        new LifeCycle.Listener() {
          @Override
          public void lifeCycleStopped(LifeCycle event) {
            hub.close();
          }
        });
    server.start();
    return server;
  }

  public static void main(String[] args) throws Exception {
    JdbcDataSource db = new JdbcDataSource(); // your own DataSource, e.g. a HikariCP pool
    db.setURL("jdbc:h2:mem:wall;DB_CLOSE_DELAY=-1");
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, status VARCHAR(20))");
      s.execute("INSERT INTO orders (status) VALUES ('open'), ('open'), ('shipped')");
    }
    start(8080, db);
    System.out.println("Your wall: http://localhost:8080/");
  }
}
