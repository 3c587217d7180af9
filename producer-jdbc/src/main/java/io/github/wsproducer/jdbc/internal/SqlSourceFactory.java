package io.github.wsproducer.jdbc.internal;

import io.github.wsproducer.State;
import io.github.wsproducer.UpdateSource;
import io.github.wsproducer.jdbc.QuerySource;
import io.github.wsproducer.jdbc.ResultMapper;
import io.github.wsproducer.spi.SourceFactory;
import io.github.wsproducer.spi.SourceSettings;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The kind {@code sql} of declared sources: a {@link QuerySource} on the application's {@link
 * DataSource}. {@code sql: QUERY}, with {@code key: COLUMN} for a keyed topic (a row per key), or
 * {@code result: first-row} for the first row alone (a number tile's value); otherwise every row,
 * in a list.
 */
public final class SqlSourceFactory implements SourceFactory {
  @Override
  public String kind() {
    return "sql";
  }

  @Override
  public State state(SourceSettings settings) {
    return settings.has("key") ? State.keyed() : State.latest();
  }

  @Override
  public UpdateSource create(SourceSettings s) {
    QuerySource.Builder b =
        QuerySource.builder(s.resource(DataSource.class, "a database"), s.topic(), s.string("sql"));
    String key = s.optionalString("key").orElse(null);
    String result = s.optionalString("result").orElse("rows");
    if (key != null && s.has("result")) {
      throw s.problem("result", "a keyed result has a row per key; write key or result, not both");
    }
    b.mapper(
        switch (result) {
          case "rows" -> key == null ? ResultMapper.rows() : ResultMapper.keyedBy(key);
          case "first-row" -> ResultMapper.firstRow();
          default -> throw s.problem("result", "must be rows or first-row, was \"" + result + "\"");
        });
    Duration interval = s.duration("interval", null);
    if (interval != null) {
      b.interval(interval);
    }
    Duration timeout = s.duration("timeout", null);
    if (timeout != null) {
      b.queryTimeout(timeout);
    }
    Duration maxBackoff = s.duration("max-backoff", null);
    if (maxBackoff != null) {
      b.maxBackoff(maxBackoff);
    }
    s.optionalString("error-message").ifPresent(b::errorMessage);
    b.pauseWhenUnwatched(s.bool("pause-when-unwatched", false));
    return b.build();
  }
}
