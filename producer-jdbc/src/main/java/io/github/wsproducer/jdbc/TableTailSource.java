package io.github.wsproducer.jdbc;

import io.github.wsproducer.Topic;
import io.github.wsproducer.UpdateSink;
import io.github.wsproducer.spi.Poller;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails an append-only table (an outbox or event table) and publishes each new row once, in id
 * order.
 *
 * <p>The table needs an integer id taken from a sequence or identity column. Ids are allocated
 * before commit, so a row may become visible after rows with higher ids. The source therefore
 * publishes only contiguous ids: at a hole it waits, up to {@link Builder#gapTimeout(Duration)},
 * for the missing ids to commit, then publishes what follows. An id that does not appear within the
 * gap timeout (a rolled-back insert, or a sequence that skipped ahead) is skipped with a warning in
 * the log; a transaction that stays open longer than the gap timeout between taking its id and
 * committing would be skipped too, so keep the timeout above your longest such transaction.
 *
 * <p>Position: {@link #position()} is the last id published; pass it to {@link
 * Builder#startAfter(long)} after a restart to continue without gaps or duplicates. Without it, the
 * source starts at the end of the table, publishing the last {@link Builder#backfill(int)} rows
 * first (holes among those existing rows are not waited for).
 *
 * <p>After a poll that found nothing new it sends a heartbeat; while the database fails it reports
 * the error as the topic's status and backs off, like {@link QuerySource}.
 *
 * <pre>{@code
 * TableTailSource.builder(dataSource, "events", "stream_events")
 *     .columns("id, stream, message, created_at")
 *     .backfill(20)
 *     .build();
 * }</pre>
 */
public final class TableTailSource extends PolledSource {
  private static final Logger log = LoggerFactory.getLogger(TableTailSource.class);
  private static final String IDENTIFIER = "[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?";
  private static final long UNKNOWN = Long.MIN_VALUE;

  private record Row(long id, Object value) {}

  private final DataSource dataSource;
  private final String idColumn;
  private final String select;
  private final String maxId;
  private final RowMapper mapper;
  private final int batchSize;
  private final int backfill;
  private final long gapTimeoutMillis;
  private final Clock clock;
  private volatile long position;

  // Confined to the poll.
  private long skipHolesUpTo = UNKNOWN;
  private long holeSeenAt = -1;
  private long holeEnd;

  private TableTailSource(Builder b) {
    super(b.topic, b);
    this.dataSource = b.dataSource;
    this.idColumn = b.idColumn;
    this.select =
        "SELECT "
            + b.columns
            + " FROM "
            + b.table
            + " WHERE "
            + b.idColumn
            + " > ? ORDER BY "
            + b.idColumn
            + " FETCH FIRST "
            + b.batchSize
            + " ROWS ONLY";
    this.maxId = "SELECT MAX(" + b.idColumn + ") FROM " + b.table;
    this.mapper = b.mapper;
    this.batchSize = b.batchSize;
    this.backfill = b.backfill;
    this.gapTimeoutMillis = b.gapTimeout.toMillis();
    this.clock = b.clock;
    this.position = b.startAfter;
  }

  /** A builder for a source publishing the new rows of {@code table} on {@code topic}. */
  public static Builder builder(DataSource dataSource, String topic, String table) {
    return new Builder(dataSource, topic, table);
  }

  /**
   * The id of the last row published, to resume from with {@link Builder#startAfter(long)}; {@link
   * Long#MIN_VALUE} before the first poll of a source started at the end of the table.
   */
  public long position() {
    return position;
  }

  @Override
  Poller.Outcome poll(UpdateSink target) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (Connection connection = dataSource.getConnection()) {
      if (position == UNKNOWN) {
        long end = end(connection);
        skipHolesUpTo = end;
        position = Math.max(end - backfill, Math.min(end, 0));
      }
      try (PreparedStatement statement = connection.prepareStatement(select)) {
        statement.setQueryTimeout(queryTimeoutSeconds);
        statement.setLong(1, position);
        try (ResultSet result = statement.executeQuery()) {
          while (result.next()) {
            rows.add(new Row(result.getLong(idColumn), mapper.map(result)));
          }
        }
      }
    }
    if (rows.isEmpty()) {
      target.heartbeat(topic);
      return Poller.Outcome.DONE;
    }
    long now = clock.millis();
    for (Row row : rows) {
      if (row.id() > position + 1 && !holeCanBeSkipped(position + 1, row.id(), now)) {
        return Poller.Outcome.DONE; // wait for the hole to fill; the rows after it are read again
      }
      target.publish(topic, row.value());
      position = row.id();
    }
    holeSeenAt = -1;
    return rows.size() == batchSize ? Poller.Outcome.MORE : Poller.Outcome.DONE;
  }

  private long end(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(maxId)) {
      result.next();
      long end = result.getLong(1);
      return result.wasNull() ? 0 : end;
    }
  }

  /** Whether the missing ids {@code from} to {@code to - 1} may be passed over now. */
  private boolean holeCanBeSkipped(long from, long to, long now) {
    if (to - 1 <= skipHolesUpTo) {
      return true; // holes among the rows that existed when the source started
    }
    if (holeSeenAt < 0 || from >= holeEnd) {
      holeSeenAt = now; // a new hole: wait for it from now on
      holeEnd = to;
      return false;
    }
    if (now - holeSeenAt < gapTimeoutMillis) {
      return false;
    }
    log.warn(
        "topic {}: {} {} to {} did not appear within the gap timeout of {} ms; skipped",
        topic,
        idColumn,
        from,
        to - 1,
        gapTimeoutMillis);
    holeSeenAt = -1;
    return true;
  }

  /**
   * Stops polling. Nothing is published after it returns, and {@link #position()} is then the
   * position to save for a restart. A poll under way may finish first, for up to 5 s; one that is
   * stuck longer (a hung connection) is left behind and publishes nothing.
   */
  @Override
  public void close() {
    super.close();
  }

  /** Configures a {@link TableTailSource}. */
  public static final class Builder extends PolledSource.Builder<Builder> {
    private final DataSource dataSource;
    private final String topic;
    private final String table;
    private String idColumn = "id";
    private String columns = "*";
    private RowMapper mapper = RowMapper.columns();
    private long startAfter = UNKNOWN;
    private int backfill;
    private int batchSize = 500;
    private Duration gapTimeout = Duration.ofSeconds(10);
    private Clock clock = Clock.systemUTC();

    private Builder(DataSource dataSource, String topic, String table) {
      super(Duration.ofSeconds(1));
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.topic = Topic.requireValidName(topic);
      this.table = identifier("table", table);
    }

    private static String identifier(String field, String value) {
      Objects.requireNonNull(value, field);
      if (!value.matches(IDENTIFIER)) {
        throw new IllegalArgumentException(
            field
                + " must be a plain SQL identifier such as events or app.events, was \""
                + value
                + "\"");
      }
      return value;
    }

    /** The integer id column, ascending with insertion. Default {@code id}. */
    public Builder idColumn(String idColumn) {
      this.idColumn = identifier("idColumn", idColumn);
      return this;
    }

    /** The select list; must include the id column. Default {@code *}. */
    public Builder columns(String columns) {
      Objects.requireNonNull(columns, "columns");
      if (columns.isBlank() || columns.contains(";")) {
        throw new IllegalArgumentException(
            "columns must be a select list, was \"" + columns + "\"");
      }
      this.columns = columns;
      return this;
    }

    /** How a row becomes the published value. Default {@link RowMapper#columns()}. */
    public Builder mapper(RowMapper mapper) {
      this.mapper = Objects.requireNonNull(mapper, "mapper");
      return this;
    }

    /** Resumes after this id (a {@link #position()} saved earlier). */
    public Builder startAfter(long id) {
      this.startAfter = id;
      return this;
    }

    /** When starting at the end of the table, first publishes this many existing rows. 0. */
    public Builder backfill(int rows) {
      if (rows < 0) {
        throw new IllegalArgumentException("backfill must not be negative, was " + rows);
      }
      this.backfill = rows;
      return this;
    }

    /** Rows read per query; a full batch is followed by another poll at once. Default 500. */
    public Builder batchSize(int rows) {
      if (rows < 1) {
        throw new IllegalArgumentException("batchSize must be at least 1, was " + rows);
      }
      this.batchSize = rows;
      return this;
    }

    /** How long a missing id is waited for before it is skipped. Default 10 s. */
    public Builder gapTimeout(Duration gapTimeout) {
      this.gapTimeout = Durations.requirePositive("gapTimeout", gapTimeout);
      return this;
    }

    /** The clock that times the wait at a hole ({@link #gapTimeout}); tests pass a manual one. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** A new source. */
    public TableTailSource build() {
      return new TableTailSource(this);
    }
  }
}
