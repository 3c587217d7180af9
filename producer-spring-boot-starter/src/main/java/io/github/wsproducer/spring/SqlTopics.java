package io.github.wsproducer.spring;

import io.github.wsproducer.Hub;
import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import io.github.wsproducer.UpdateSource;
import io.github.wsproducer.jdbc.QuerySource;
import io.github.wsproducer.jdbc.ResultMapper;
import io.github.wsproducer.jdbc.TableTailSource;
import io.github.wsproducer.spring.WsProducerProperties.SqlTopic;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The topics of {@code wsproducer.topics}: each a {@link QuerySource} or a {@link TableTailSource}.
 */
final class SqlTopics {
  private SqlTopics() {}

  /**
   * Adds each declared topic and its source to {@code hub}.
   *
   * @param dataSource the application's, or {@code null} if it has none
   * @throws InvalidConfigurationPropertyValueException naming the property at fault
   */
  static void addTo(Hub.Builder hub, Map<String, SqlTopic> topics, DataSource dataSource) {
    topics.forEach((name, topic) -> add(hub, name, topic, dataSource));
  }

  private static void add(Hub.Builder hub, String name, SqlTopic topic, DataSource dataSource) {
    String prefix = "wsproducer.topics." + name;
    check(prefix, name, () -> Topic.requireValidName(name));
    if ((topic.getQuery() == null) == (topic.getTable() == null)) {
      throw new InvalidConfigurationPropertyValueException(
          prefix,
          "query=" + topic.getQuery() + ", table=" + topic.getTable(),
          "set exactly one of query and table");
    }
    if (dataSource == null) {
      throw new InvalidConfigurationPropertyValueException(
          prefix, name, "a topic fed by SQL needs a DataSource, and the application has none");
    }
    State state;
    UpdateSource source;
    if (topic.getQuery() != null) {
      if (topic.getKey() != null && topic.isFirstRow()) {
        throw new InvalidConfigurationPropertyValueException(
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
      if (topic.getInterval() != null) {
        check(prefix + ".interval", topic.getInterval(), () -> query.interval(topic.getInterval()));
      }
      if (topic.getErrorMessage() != null) {
        check(
            prefix + ".error-message",
            topic.getErrorMessage(),
            () -> query.errorMessage(topic.getErrorMessage()));
      }
      source = query.build();
    } else {
      TableTailSource.Builder table = TableTailSource.builder(dataSource, name, topic.getTable());
      check(prefix + ".id-column", topic.getIdColumn(), () -> table.idColumn(topic.getIdColumn()));
      if (topic.getColumns() != null) {
        check(prefix + ".columns", topic.getColumns(), () -> table.columns(topic.getColumns()));
      }
      check(prefix + ".window", topic.getWindow(), () -> table.backfill(topic.getWindow()));
      state = check(prefix + ".window", topic.getWindow(), () -> State.window(topic.getWindow()));
      if (topic.getInterval() != null) {
        check(prefix + ".interval", topic.getInterval(), () -> table.interval(topic.getInterval()));
      }
      if (topic.getErrorMessage() != null) {
        check(
            prefix + ".error-message",
            topic.getErrorMessage(),
            () -> table.errorMessage(topic.getErrorMessage()));
      }
      source = table.build();
    }
    Topic declared = Topic.of(name, state);
    if (topic.getStaleAfter() != null) {
      declared =
          check(
              prefix + ".stale-after",
              topic.getStaleAfter(),
              () -> Topic.of(name, state).withStaleAfter(topic.getStaleAfter()));
    }
    hub.topic(declared).source(source);
  }

  /**
   * Runs {@code step}; an {@link IllegalArgumentException} it throws becomes one that names {@code
   * property} and its value, which Spring Boot reports as such at startup.
   */
  static <T> T check(String property, Object value, Supplier<T> step) {
    try {
      return step.get();
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
    }
  }
}
