package io.github.wsproducer.jdbc;

import io.github.wsproducer.spi.Backoff;
import io.github.wsproducer.spi.NamedThreads;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes sources when PostgreSQL announces a change with {@code NOTIFY}, so updates arrive at once
 * without tight polling. The sources keep polling on their interval, which then only matters when a
 * notification is lost.
 *
 * <p>Holds one connection that {@code LISTEN}s on the channels. When that connection is lost it
 * reconnects with backoff, listens again and wakes every source, so that whatever changed while it
 * was away is read; nothing is lost in between.
 *
 * <p>Lifecycle: {@link Builder#build()} starts its thread ({@code wsproducer-pg-listen}); {@link
 * #close()} stops it. Needs the PostgreSQL JDBC driver.
 *
 * <pre>{@code
 * TableTailSource events = TableTailSource.builder(dataSource, "events", "stream_events").build();
 * PgNotifyListener listener =
 *     PgNotifyListener.builder(dataSource).on("stream_events", events::wakeUp).build();
 * // in the writing transaction: SELECT pg_notify('stream_events', '')
 * }</pre>
 */
public final class PgNotifyListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PgNotifyListener.class);
  private static final int WAIT_MILLIS = 500;
  private static final long VALIDATE_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final DataSource dataSource;
  private final Map<String, List<Runnable>> handlers;
  private final Duration maxBackoff;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final AtomicLong connects = new AtomicLong();
  private final Thread thread;
  private volatile boolean listening;

  private PgNotifyListener(Builder b) {
    this.dataSource = b.dataSource;
    this.handlers = Map.copyOf(b.handlers);
    this.maxBackoff = b.maxBackoff;
    this.thread = new NamedThreads("wsproducer-pg-listen").newThread(this::run);
  }

  /** A builder listening through connections of {@code dataSource}. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** Whether the listening connection is up now. */
  public boolean isListening() {
    return listening;
  }

  /** How many times a listening connection was established, the first one included. */
  public long connects() {
    return connects.get();
  }

  private void run() {
    Backoff backoff = new Backoff(Duration.ofMillis(250), maxBackoff);
    while (closed.getCount() > 0) {
      try (Connection connection = dataSource.getConnection()) {
        connection.setAutoCommit(true);
        PGConnection pg = connection.unwrap(PGConnection.class);
        try (Statement statement = connection.createStatement()) {
          for (String channel : handlers.keySet()) {
            statement.execute("LISTEN \"" + channel + "\"");
          }
        }
        listening = true;
        backoff.reset();
        if (connects.incrementAndGet() > 1) {
          log.info("listening on {} again; re-reading every source", handlers.keySet());
        }
        // Whatever was notified while no one listened is read now.
        handlers.values().forEach(list -> list.forEach(PgNotifyListener::wake));
        listen(connection, pg);
      } catch (SQLException | RuntimeException e) {
        if (closed.getCount() == 0) {
          return;
        }
        if (listening || connects.get() == 0) {
          log.warn("listening connection lost or refused; reconnecting: {}", e.toString());
        }
        listening = false;
        backoff.pause(closed);
      }
    }
    listening = false;
  }

  private void listen(Connection connection, PGConnection pg) throws SQLException {
    long validated = System.nanoTime();
    while (closed.getCount() > 0) {
      PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
      if (notifications != null) {
        for (PGNotification n : notifications) {
          handlers.getOrDefault(n.getName(), List.of()).forEach(PgNotifyListener::wake);
        }
      }
      // A dead peer without a FIN is only noticed by talking to it.
      if (System.nanoTime() - validated > VALIDATE_NANOS) {
        if (!connection.isValid(2)) {
          throw new SQLException("the listening connection stopped answering", "08006");
        }
        validated = System.nanoTime();
      }
    }
  }

  private static void wake(Runnable handler) {
    try {
      handler.run();
    } catch (RuntimeException e) {
      log.error("a notification handler failed", e);
    }
  }

  /** Stops listening and closes the connection. Idempotent. */
  @Override
  public void close() {
    closed.countDown();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Configures a {@link PgNotifyListener}. */
  public static final class Builder {
    private final DataSource dataSource;
    private final Map<String, List<Runnable>> handlers = new LinkedHashMap<>();
    private Duration maxBackoff = Duration.ofSeconds(30);

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Runs {@code handler} (typically a source's {@code wakeUp}) on every notification on {@code
     * channel}, and after every reconnect. Handlers must return quickly.
     */
    public Builder on(String channel, Runnable handler) {
      Objects.requireNonNull(channel, "channel");
      if (!channel.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
        throw new IllegalArgumentException(
            "channel must be a plain identifier of at most 63 characters, was \"" + channel + "\"");
      }
      handlers
          .computeIfAbsent(channel, c -> new ArrayList<>())
          .add(Objects.requireNonNull(handler, "handler"));
      return this;
    }

    /** The longest wait between reconnection attempts. Default 30 s. */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = Durations.requirePositive("maxBackoff", maxBackoff);
      return this;
    }

    /**
     * Starts listening.
     *
     * @throws IllegalStateException if no channel was given
     */
    public PgNotifyListener build() {
      if (handlers.isEmpty()) {
        throw new IllegalStateException("a PgNotifyListener needs at least one channel");
      }
      PgNotifyListener listener = new PgNotifyListener(this);
      listener.thread.start();
      return listener;
    }
  }
}
