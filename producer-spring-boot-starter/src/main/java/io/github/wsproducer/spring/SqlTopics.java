package io.github.wsproducer.spring;

import io.github.wsproducer.Hub;
import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import io.github.wsproducer.UpdateSource;
import io.github.wsproducer.jdbc.QuerySource;
import io.github.wsproducer.jdbc.ResultMapper;
import io.github.wsproducer.jdbc.TableTailSource;
import io.github.wsproducer.spring.WsProducerProperties.SqlTopic;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The topics of {@code wsproducer.topics}: each a {@link QuerySource} or a {@link TableTailSource}.
 */
final class SqlTopics {
  private SqlTopics() {}

  /**
   * Adds each declared topic and its source to {@code hub}.
   *
   * @param dataSource the application's, or {@code null} if it has none
   * @throws
   *     org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException
   *     naming the property at fault
   */
  static void addTo(
      Hub.Builder hub, Map<String, SqlTopic> topics, DataSource dataSource, PropertyCheck p) {
    topics.forEach((name, topic) -> add(hub, name, topic, dataSource, p));
  }

  private static void add(
      Hub.Builder hub, String name, SqlTopic topic, DataSource dataSource, PropertyCheck p) {
    String prefix = "wsproducer.topics." + name;
    p.check(prefix, name, () -> Topic.requireValidName(name));
    if ((topic.getQuery() == null) == (topic.getTable() == null)) {
      throw p.invalid(
          prefix,
          "query=" + topic.getQuery() + ", table=" + topic.getTable(),
          "set exactly one of query and table");
    }
    if (dataSource == null) {
      throw p.invalid(
          prefix, name, "a topic fed by SQL needs a DataSource, and the application has none");
    }
    State state;
    UpdateSource source;
    if (topic.getQuery() != null) {
      if (topic.getKey() != null && topic.isFirstRow()) {
        throw p.invalid(
            prefix + ".first-row", true, "a keyed topic takes every row: drop key or first-row");
      }
      QuerySource.Builder query = QuerySource.builder(dataSource, name, topic.getQuery());
      if (topic.getKey() != null) {
        query.mapper(ResultMapper.keyedBy(topic.getKey()));
        state = State.keyed();
      } else {
        query.mapper(topic.isFirstRow() ? ResultMapper.firstRow() : ResultMapper.rows());
        state = State.latest();
      }
      polling(prefix, topic, p, query::interval, query::errorMessage);
      source = query.build();
    } else {
      TableTailSource.Builder table = TableTailSource.builder(dataSource, name, topic.getTable());
      p.check(
          prefix + ".id-column", topic.getIdColumn(), () -> table.idColumn(topic.getIdColumn()));
      if (topic.getColumns() != null) {
        p.check(prefix + ".columns", topic.getColumns(), () -> table.columns(topic.getColumns()));
      }
      p.check(prefix + ".window", topic.getWindow(), () -> table.backfill(topic.getWindow()));
      state = p.check(prefix + ".window", topic.getWindow(), () -> State.window(topic.getWindow()));
      polling(prefix, topic, p, table::interval, table::errorMessage);
      source = table.build();
    }
    Topic plain = Topic.of(name, state);
    Topic stale =
        topic.getStaleAfter() == null
            ? plain
            : p.check(
                prefix + ".stale-after",
                topic.getStaleAfter(),
                () -> plain.withStaleAfter(topic.getStaleAfter()));
    Topic kept =
        topic.getRetention() == null
            ? stale
            : p.check(
                prefix + ".retention",
                topic.getRetention(),
                () -> stale.withRetention(topic.getRetention()));
    Topic declared =
        topic.getRetentionBytes() == null
            ? kept
            : p.check(
                prefix + ".retention-bytes",
                topic.getRetentionBytes(),
                () -> kept.withRetention(kept.retention(), topic.getRetentionBytes().toBytes()));
    hub.topic(declared).source(source);
  }

  /** The settings every polled source has, through its builder's setters. */
  private static void polling(
      String prefix,
      SqlTopic topic,
      PropertyCheck p,
      Function<Duration, ?> interval,
      Function<String, ?> errorMessage) {
    if (topic.getInterval() != null) {
      p.check(prefix + ".interval", topic.getInterval(), () -> interval.apply(topic.getInterval()));
    }
    if (topic.getErrorMessage() != null) {
      p.check(
          prefix + ".error-message",
          topic.getErrorMessage(),
          () -> errorMessage.apply(topic.getErrorMessage()));
    }
  }
}
