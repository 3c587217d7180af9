package io.github.wsproducer.sample;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.wsproducer.Hub;
import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import io.github.wsproducer.jdbc.PgNotifyListener;
import io.github.wsproducer.jdbc.QuerySource;
import io.github.wsproducer.jdbc.ResultMapper;
import io.github.wsproducer.jdbc.TableTailSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small simulated "data streams" system in a database: ingest pipelines {@code orders}, {@code
 * payments} and {@code clicks} write batches with counts, lag and errors into {@code
 * stream_status}, and notable events into {@code stream_events}. The sample publishes three topics
 * derived from it:
 *
 * <ul>
 *   <li>{@code streams} (keyed): one entry per pipeline, a shared poll of {@code stream_status};
 *   <li>{@code totals} (latest): events, errors and the worst lag over all pipelines;
 *   <li>{@code events} (window of 20): new rows of {@code stream_events}, tailed.
 * </ul>
 *
 * <p>On PostgreSQL, writers announce changes with {@code NOTIFY stream_events} and a {@link
 * PgNotifyListener} wakes the sources; on the embedded H2 the simulator wakes them itself.
 */
final class DataStreams implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DataStreams.class);
  static final String H2_URL = "jdbc:h2:mem:wsproducer;DB_CLOSE_DELAY=-1";
  private static final List<String> STREAMS = List.of("orders", "payments", "clicks");
  private static final Duration STALE_AFTER = Duration.ofSeconds(30);

  private final HikariDataSource dataSource;
  private final boolean postgres;
  private final QuerySource streams;
  private final QuerySource totals;
  private final TableTailSource events;
  private final ScheduledExecutorService simulator;
  private final Random random = new Random();
  private PgNotifyListener listener;

  private DataStreams(HikariDataSource dataSource) {
    this.dataSource = dataSource;
    this.postgres = dataSource.getJdbcUrl().startsWith("jdbc:postgresql:");
    this.streams =
        QuerySource.builder(
                dataSource,
                "streams",
                "SELECT name, events, batches, errors, lag_ms, updated_at FROM stream_status")
            .mapper(ResultMapper.keyedBy("name"))
            .interval(Duration.ofSeconds(2))
            .build();
    this.totals =
        QuerySource.builder(
                dataSource,
                "totals",
                "SELECT SUM(events) AS events, SUM(errors) AS errors, MAX(lag_ms) AS max_lag_ms"
                    + " FROM stream_status")
            .mapper(ResultMapper.firstRow())
            .interval(Duration.ofSeconds(2))
            .build();
    this.events =
        TableTailSource.builder(dataSource, "events", "stream_events")
            .columns("id, stream, kind, events, message, created_at")
            .backfill(20)
            .build();
    this.simulator =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "wsproducer-sample-simulator");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Connects (H2 in memory unless a URL is given), creates the schema if missing.
   *
   * @throws SQLException if the database cannot be reached or the schema not created
   */
  static DataStreams open(String url, String user, String password) throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url == null ? H2_URL : url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(6);
    config.setConnectionTimeout(5000);
    config.setPoolName("wsproducer-sample");
    HikariDataSource dataSource;
    try {
      dataSource = new HikariDataSource(config);
    } catch (RuntimeException e) { // Hikari's pool initialization failure
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new SQLException(cause.getMessage(), "08001", cause);
    }
    try {
      createSchema(dataSource);
      return new DataStreams(dataSource);
    } catch (SQLException | RuntimeException e) {
      dataSource.close();
      throw e;
    }
  }

  private static void createSchema(HikariDataSource dataSource) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS stream_status (name VARCHAR(32) PRIMARY KEY,"
              + " events BIGINT NOT NULL, batches BIGINT NOT NULL, errors BIGINT NOT NULL,"
              + " lag_ms INT NOT NULL, updated_at TIMESTAMP NOT NULL)");
      s.execute(
          "CREATE TABLE IF NOT EXISTS stream_events (id BIGINT GENERATED BY DEFAULT AS IDENTITY"
              + " PRIMARY KEY, stream VARCHAR(32) NOT NULL, kind VARCHAR(16) NOT NULL,"
              + " events INT NOT NULL, message VARCHAR(200) NOT NULL, created_at TIMESTAMP NOT NULL)");
      for (String stream : STREAMS) {
        s.execute(
            "INSERT INTO stream_status SELECT '"
                + stream
                + "', 0, 0, 0, 0, CURRENT_TIMESTAMP WHERE NOT EXISTS"
                + " (SELECT 1 FROM stream_status WHERE name = '"
                + stream
                + "')");
      }
    }
  }

  /** Declares the topics and their sources. */
  void addTo(Hub.Builder hub) {
    List<Topic> topics = topics();
    hub.topic(topics.get(0))
        .source(streams)
        .topic(topics.get(1))
        .source(totals)
        .topic(topics.get(2))
        .source(events);
  }

  /**
   * The topics: {@code streams}, {@code totals} and {@code events}, each with a state of its own.
   */
  static List<Topic> topics() {
    return List.of(
        Topic.of("streams", State.keyed()).withStaleAfter(STALE_AFTER),
        Topic.of("totals", State.latest()).withStaleAfter(STALE_AFTER),
        Topic.of("events", State.window(20)));
  }

  /** Starts writing batches, and on PostgreSQL listening for notifications. */
  void startSimulation() {
    if (postgres) {
      listener =
          PgNotifyListener.builder(dataSource).on("stream_events", this::wakeSources).build();
    }
    simulator.schedule(this::writeBatch, 0, TimeUnit.MILLISECONDS);
  }

  private void wakeSources() {
    streams.wakeUp();
    totals.wakeUp();
    events.wakeUp();
  }

  private void writeBatch() {
    try {
      String stream = STREAMS.get(random.nextInt(STREAMS.size()));
      int size =
          switch (stream) {
            case "orders" -> 20 + random.nextInt(180);
            case "payments" -> 10 + random.nextInt(60);
            default -> 500 + random.nextInt(1500);
          };
      boolean failed = random.nextInt(12) == 0;
      int errors = failed ? 1 + random.nextInt(5) : 0;
      int lag = 20 + random.nextInt(failed ? 4000 : 400);
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        try (PreparedStatement status =
                c.prepareStatement(
                    "UPDATE stream_status SET events = events + ?, batches = batches + 1,"
                        + " errors = errors + ?, lag_ms = ?, updated_at = CURRENT_TIMESTAMP"
                        + " WHERE name = ?");
            PreparedStatement event =
                c.prepareStatement(
                    "INSERT INTO stream_events (stream, kind, events, message, created_at)"
                        + " VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP)")) {
          status.setInt(1, size - errors);
          status.setInt(2, errors);
          status.setInt(3, lag);
          status.setString(4, stream);
          status.executeUpdate();
          event.setString(1, stream);
          event.setString(2, failed ? "error" : "batch");
          event.setInt(3, size);
          event.setString(
              4,
              failed
                  ? errors + " of " + size + " " + stream + " rejected"
                  : size + " " + stream + " ingested");
          event.executeUpdate();
        }
        if (postgres) {
          try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_notify('stream_events', '')");
          }
        }
        c.commit();
      }
      if (!postgres) {
        wakeSources();
      }
    } catch (SQLException e) {
      log.debug("simulated batch not written: {}", e.toString());
    } finally {
      try {
        simulator.schedule(this::writeBatch, 400 + random.nextInt(1200), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        // closed
      }
    }
  }

  @Override
  public void close() {
    simulator.shutdownNow();
    if (listener != null) {
      listener.close();
    }
    dataSource.close();
  }
}
