package io.github.wsproducer.jdbc;

import io.github.wsproducer.Topic;
import io.github.wsproducer.UpdateSink;
import io.github.wsproducer.UpdateSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;

/**
 * A shared poll: runs one query on a schedule, however many clients watch the topic, and publishes
 * its result only when it changed. After a poll that found no change it sends a heartbeat, so the
 * topic does not go stale while the data is merely constant.
 *
 * <p>Each result is published as the topic's whole value ({@link UpdateSink#replace}): on a {@code
 * State.keyed()} topic a row that is gone from the result is removed from every screen.
 *
 * <p>While the database fails or times out, the source reports the error as the topic's status
 * ("database unreachable") and polls again with exponential backoff, up to {@code maxBackoff}; the
 * first good poll clears the error. With {@link Builder#pauseWhenUnwatched(boolean)} it skips polls
 * while nobody subscribes to the topic.
 *
 * <p>Threads: polls run one at a time on the source's own thread ({@code
 * wsproducer-source-<topic>}) or on a scheduler given to it, never on the caller's. {@link
 * #wakeUp()} polls at once, for example on a PostgreSQL notification ({@link PgNotifyListener}).
 *
 * <pre>{@code
 * QuerySource.builder(dataSource, "streams",
 *         "SELECT name, events, lag_ms FROM stream_status ORDER BY name")
 *     .mapper(ResultMapper.keyedBy("name"))
 *     .interval(Duration.ofSeconds(2))
 *     .build();
 * }</pre>
 */
public final class QuerySource implements UpdateSource {
  private final DataSource dataSource;
  private final String topic;
  private final String sql;
  private final ResultMapper mapper;
  private final int queryTimeoutSeconds;
  private final boolean pauseWhenUnwatched;
  private final Poller poller;
  private Object last; // confined to the poll
  private boolean publishedOnce; // confined to the poll

  private QuerySource(Builder b) {
    this.dataSource = b.dataSource;
    this.topic = b.topic;
    this.sql = b.sql;
    this.mapper = b.mapper;
    this.queryTimeoutSeconds = (int) Math.max(1, b.queryTimeout.toSeconds());
    this.pauseWhenUnwatched = b.pauseWhenUnwatched;
    this.poller = new Poller(topic, b.interval, b.maxBackoff, b.scheduler, this::poll);
  }

  /**
   * A builder for a source publishing the result of {@code sql} on {@code topic}.
   *
   * @param sql a query without parameters
   */
  public static Builder builder(DataSource dataSource, String topic, String sql) {
    return new Builder(dataSource, topic, sql);
  }

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

  private Poller.Outcome poll(UpdateSink target) throws SQLException {
    if (pauseWhenUnwatched && !target.isWatched(topic)) {
      return Poller.Outcome.PAUSED;
    }
    Object result;
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setQueryTimeout(queryTimeoutSeconds);
      try (ResultSet rows = statement.executeQuery()) {
        result = mapper.map(rows);
      }
    }
    if (publishedOnce && Objects.equals(last, result)) {
      target.heartbeat(topic);
    } else {
      target.replace(topic, result);
      last = result;
      publishedOnce = true;
    }
    return Poller.Outcome.DONE;
  }

  /**
   * Stops polling; nothing is published after it returns. A poll under way may finish first, for up
   * to 5 s.
   */
  @Override
  public void close() {
    poller.close();
  }

  @Override
  public String toString() {
    return "QuerySource[" + topic + "]";
  }

  /** Configures a {@link QuerySource}. */
  public static final class Builder {
    private final DataSource dataSource;
    private final String topic;
    private final String sql;
    private ResultMapper mapper = ResultMapper.rows();
    private Duration interval = Duration.ofSeconds(2);
    private Duration maxBackoff = Duration.ofMinutes(1);
    private Duration queryTimeout = Duration.ofSeconds(30);
    private boolean pauseWhenUnwatched;
    private ScheduledExecutorService scheduler;

    private Builder(DataSource dataSource, String topic, String sql) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.topic = Topic.requireValidName(topic);
      this.sql = Objects.requireNonNull(sql, "sql");
    }

    /** How the result becomes the published value. Default {@link ResultMapper#rows()}. */
    public Builder mapper(ResultMapper mapper) {
      this.mapper = Objects.requireNonNull(mapper, "mapper");
      return this;
    }

    /** Time between polls while the database answers. Default 2 s. */
    public Builder interval(Duration interval) {
      this.interval = Durations.requirePositive("interval", interval);
      return this;
    }

    /** The longest wait between polls while the database fails. Default 1 min. */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = Durations.requirePositive("maxBackoff", maxBackoff);
      return this;
    }

    /** A query running longer is cancelled and reported as too slow. Default 30 s. */
    public Builder queryTimeout(Duration queryTimeout) {
      this.queryTimeout = Durations.requirePositive("queryTimeout", queryTimeout);
      return this;
    }

    /** Skips polls while no client subscribes to the topic. Default off. */
    public Builder pauseWhenUnwatched(boolean pause) {
      this.pauseWhenUnwatched = pause;
      return this;
    }

    /** Polls on this scheduler instead of a thread of the source's own; the caller owns it. */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** A new source. */
    public QuerySource build() {
      return new QuerySource(this);
    }
  }
}
