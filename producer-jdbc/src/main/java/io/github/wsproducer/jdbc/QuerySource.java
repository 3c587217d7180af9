package io.github.wsproducer.jdbc;

import io.github.wsproducer.Topic;
import io.github.wsproducer.UpdateSink;
import io.github.wsproducer.spi.Poller;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
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
 * wsproducer-source-<topic>-1}) or on a scheduler given to it, never on the caller's. {@link
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
public final class QuerySource extends PolledSource {
  private final DataSource dataSource;
  private final String sql;
  private final ResultMapper mapper;
  private final boolean pauseWhenUnwatched;
  private Object last; // confined to the poll
  private boolean publishedOnce; // confined to the poll

  private QuerySource(Builder b) {
    super(b.topic, b);
    this.dataSource = b.dataSource;
    this.sql = b.sql;
    this.mapper = b.mapper;
    this.pauseWhenUnwatched = b.pauseWhenUnwatched;
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
  Poller.Outcome poll(UpdateSink target) throws SQLException {
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

  /** Configures a {@link QuerySource}. */
  public static final class Builder extends PolledSource.Builder<Builder> {
    private final DataSource dataSource;
    private final String topic;
    private final String sql;
    private ResultMapper mapper = ResultMapper.rows();
    private boolean pauseWhenUnwatched;

    private Builder(DataSource dataSource, String topic, String sql) {
      super(Duration.ofSeconds(2));
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.topic = Topic.requireValidName(topic);
      this.sql = Objects.requireNonNull(sql, "sql");
    }

    /** How the result becomes the published value. Default {@link ResultMapper#rows()}. */
    public Builder mapper(ResultMapper mapper) {
      this.mapper = Objects.requireNonNull(mapper, "mapper");
      return this;
    }

    /** Skips polls while no client subscribes to the topic. Default off. */
    public Builder pauseWhenUnwatched(boolean pause) {
      this.pauseWhenUnwatched = pause;
      return this;
    }

    /** A new source. */
    public QuerySource build() {
      return new QuerySource(this);
    }
  }
}
