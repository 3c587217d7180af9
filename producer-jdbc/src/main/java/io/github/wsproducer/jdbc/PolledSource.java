package io.github.wsproducer.jdbc;

import io.github.wsproducer.UpdateSink;
import io.github.wsproducer.UpdateSource;
import io.github.wsproducer.spi.Poller;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/** What the JDBC sources share: one topic, polled on a schedule by a {@link Poller}. */
abstract class PolledSource implements UpdateSource {
  final String topic;
  private final Poller poller;

  final int queryTimeoutSeconds;

  PolledSource(String topic, Builder<?> b) {
    this.topic = topic;
    this.queryTimeoutSeconds = (int) Math.max(1, b.queryTimeout.toSeconds());
    String errorMessage = b.errorMessage;
    boolean databaseMessages = b.databaseMessages;
    this.poller =
        new Poller(
            topic,
            b.interval,
            b.maxBackoff,
            b.scheduler,
            this::poll,
            e -> {
              String category = category(e);
              if (errorMessage != null) {
                return category + ": " + errorMessage;
              }
              if (databaseMessages && e instanceof SQLException) {
                String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
                return category
                    + ": "
                    + (first.length() > 200 ? first.substring(0, 200) + "..." : first);
              }
              return category;
            });
  }

  static final String SOURCE_ERROR = "source error";

  /**
   * The category of a failure, in words for the people watching the wall: never the exception's own
   * text, which may name hosts, users or tables. A failure that is not the database's (a mapper
   * that throws, a topic the hub lacks) is the source's own.
   */
  static String category(Exception e) {
    if (!(e instanceof SQLException)) {
      return SOURCE_ERROR;
    }
    if (e instanceof SQLTimeoutException) {
      return "database too slow";
    }
    if (e instanceof SQLTransientConnectionException
        || e instanceof SQLNonTransientConnectionException
        || (e instanceof SQLException s
            && s.getSQLState() != null
            && s.getSQLState().startsWith("08"))) {
      return "database unreachable";
    }
    return "database error";
  }

  /** One poll, on the poller's thread, never two at once. */
  abstract Poller.Outcome poll(UpdateSink sink) throws SQLException;

  @Override
  public Set<String> topics() {
    return Set.of(topic);
  }

  @Override
  public void start(UpdateSink sink) {
    poller.start(Objects.requireNonNull(sink, "sink"));
  }

  /** Polls as soon as possible instead of waiting for the interval. */
  public void wakeUp() {
    poller.wakeUp();
  }

  /**
   * Stops polling; nothing is published after it returns. A poll under way may finish first, for up
   * to 5 s; one stuck longer (a hung connection) is left behind and publishes nothing.
   */
  @Override
  public void close() {
    poller.close();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + topic + "]";
  }

  /**
   * The settings every polled source has.
   *
   * @param <B> the source's builder
   */
  abstract static class Builder<B extends Builder<B>> {
    private Duration interval;
    private Duration maxBackoff = Duration.ofMinutes(1);
    private Duration queryTimeout = Duration.ofSeconds(30);
    private ScheduledExecutorService scheduler;
    private String errorMessage;
    private boolean databaseMessages;

    Builder(Duration interval) {
      this.interval = interval;
    }

    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }

    /**
     * Time between polls while the database answers. Default 2 s for a {@link QuerySource}, 1 s for
     * a {@link TableTailSource}.
     */
    public B interval(Duration interval) {
      this.interval = Durations.requirePositive("interval", interval);
      return self();
    }

    /** The longest wait between polls while the database fails. Default 1 min. */
    public B maxBackoff(Duration maxBackoff) {
      this.maxBackoff = Durations.requirePositive("maxBackoff", maxBackoff);
      return self();
    }

    /** A query running longer is cancelled and reported as too slow. Default 30 s. */
    public B queryTimeout(Duration queryTimeout) {
      this.queryTimeout = Durations.requirePositive("queryTimeout", queryTimeout);
      return self();
    }

    /**
     * A short message of your own that screens show after the failure's category, such as {@code
     * "database error: ask the data team, ext. 4711"}. By default they show the category alone
     * ({@code database unreachable}, {@code database too slow}, {@code database error}, {@code
     * source error}); the exception itself goes to the log with the topic.
     */
    public B errorMessage(String message) {
      Objects.requireNonNull(message, "message");
      if (message.isBlank() || message.length() > 200) {
        throw new IllegalArgumentException(
            "errorMessage must be 1 to 200 characters, was \"" + message + "\"");
      }
      this.errorMessage = message;
      return self();
    }

    /**
     * Shows the first line of the database's own error message after the category, for walls that
     * only your own people see. Off: such text may name hosts, users and tables.
     */
    public B showDatabaseMessages(boolean show) {
      this.databaseMessages = show;
      return self();
    }

    /** Polls on this scheduler instead of a thread of the source's own; the caller owns it. */
    public B scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return self();
    }
  }
}
