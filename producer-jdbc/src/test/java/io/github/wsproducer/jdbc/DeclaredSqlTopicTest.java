package io.github.wsproducer.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wsproducer.spi.DeclaredTopic;
import io.github.wsproducer.spi.SourceSettings;
import io.github.wsproducer.testkit.Declarations;
import io.github.wsproducer.testkit.RecordingSink;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kind sql, declared in configuration, on a real database. */
class DeclaredSqlTopicTest {
  private static SourceSettings settings(String json, List<Object> resources) {
    return Declarations.settings("streams", json, resources.toArray());
  }

  @Test
  void aQueryWithAKeyIsAKeyedTopicPolledOnTheApplicationsDatabase() throws Exception {
    Database db = Database.h2();
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE streams (name VARCHAR(20), lag_ms INT)");
      s.execute("INSERT INTO streams VALUES ('orders', 5), ('payments', 40)");
    }
    DeclaredTopic declared =
        DeclaredTopic.of(
            settings(
                "{\"sql\":\"SELECT name, lag_ms FROM streams\",\"key\":\"name\",\"interval\":\"50ms\"}",
                List.of(db.dataSource())));
    assertThat(declared.topic().state().kind()).isEqualTo("keyed");
    RecordingSink sink = new RecordingSink();
    declared.source().start(sink);
    try {
      assertThat(sink.next().toString())
          .isEqualTo("{\"orders\":{\"lag_ms\":5},\"payments\":{\"lag_ms\":40}}");
    } finally {
      declared.source().close();
    }
  }

  @Test
  void withoutADatabaseOrWithAWrongResultItSaysSo() {
    assertThatThrownBy(() -> DeclaredTopic.of(settings("{\"sql\":\"SELECT 1\"}", List.of())))
        .hasMessage(
            "screens.yaml, line 1: topic streams: needs a database (a javax.sql.DataSource),"
                + " which the application offers none of");
    assertThatThrownBy(
            () ->
                DeclaredTopic.of(
                    settings(
                        "{\"sql\":\"SELECT 1\",\"result\":\"all\"}",
                        List.of(Database.h2().dataSource()))))
        .hasMessage(
            "screens.yaml, line 3: topic streams: result: must be rows or first-row, was \"all\"");
  }
}
