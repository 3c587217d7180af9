package io.github.wsproducer.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.wsproducer.Hub;
import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import io.github.wsproducer.spi.Inbound;
import io.github.wsproducer.spi.TransportOptions;
import io.github.wsproducer.testkit.RecordingOutbound;
import io.github.wsproducer.testkit.RecordingSink;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** What a {@link QuerySource} guarantees, run against each database. */
abstract class QuerySourceContract {
  Database db;
  String table;
  QuerySource source;

  abstract Database database();

  @BeforeEach
  void createTable() throws SQLException {
    db = database();
    table = Database.uniqueName("status");
    db.execute(
        "CREATE TABLE " + table + " (name VARCHAR(20) PRIMARY KEY, Events INT, lag_ms INT)",
        "INSERT INTO " + table + " VALUES ('orders', 10, 5), ('payments', 3, 40)");
  }

  @AfterEach
  void dropTable() throws SQLException {
    if (source != null) {
      source.close();
    }
    if (db != null) { // null when the database is absent and the test was skipped
      db.execute("DROP TABLE IF EXISTS " + table);
    }
  }

  QuerySource.Builder query(String sql) {
    return QuerySource.builder(db.dataSource(), "streams", sql).interval(Duration.ofMillis(20));
  }

  RecordingSink start(QuerySource.Builder builder) {
    RecordingSink sink = new RecordingSink();
    source = builder.build();
    source.start(sink);
    return sink;
  }

  @Test
  void publishesOnlyWhenTheResultChanges() throws Exception {
    RecordingSink sink =
        start(query("SELECT name, events, lag_ms FROM " + table + " ORDER BY name"));
    JsonNode first = sink.next();
    assertThat(first.toString())
        .isEqualTo(
            "[{\"name\":\"orders\",\"events\":10,\"lag_ms\":5},"
                + "{\"name\":\"payments\",\"events\":3,\"lag_ms\":40}]");
    await().until(() -> sink.heartbeats.get() >= 5);
    assertThat(sink.published).as("no publish while nothing changed").isEmpty();

    db.execute("UPDATE " + table + " SET lag_ms = 7 WHERE name = 'orders'");
    assertThat(sink.next().get(0).path("lag_ms").asInt()).isEqualTo(7);
  }

  @Test
  void keyedByMapsRowsToAnObjectForAKeyedTopic() throws Exception {
    RecordingSink sink =
        start(
            query("SELECT name, events, lag_ms FROM " + table)
                .mapper(ResultMapper.keyedBy("NAME")));
    assertThat(sink.next().toString())
        .isEqualTo(
            "{\"orders\":{\"events\":10,\"lag_ms\":5},\"payments\":{\"events\":3,\"lag_ms\":40}}");
  }

  @Test
  void aRowThatIsGoneFromAKeyedResultIsRemovedFromEveryScreen() throws Exception {
    source =
        query("SELECT name, events FROM " + table + " ORDER BY name")
            .mapper(ResultMapper.keyedBy("name"))
            .build();
    try (Hub hub = Hub.builder().topic(Topic.of("streams", State.keyed())).source(source).build()) {
      RecordingOutbound before = subscribe(hub);
      JsonNode first = before.next();
      while (first.path("data").size() < 2) {
        first = before.next();
      }
      assertThat(first.path("data").toString())
          .isEqualTo("{\"orders\":{\"events\":10},\"payments\":{\"events\":3}}");

      db.execute("DELETE FROM " + table + " WHERE name = 'orders'");
      JsonNode removal = before.next("update");
      assertThat(removal.path("data").toString()).isEqualTo("{\"orders\":null}");
      RecordingOutbound after = subscribe(hub);
      assertThat(after.next("snapshot").path("data").toString())
          .isEqualTo("{\"payments\":{\"events\":3}}");
    }
  }

  private static RecordingOutbound subscribe(Hub hub) throws InterruptedException {
    RecordingOutbound screen = new RecordingOutbound();
    Inbound c = screen.openEnvelope(hub, TransportOptions.DEFAULTS);
    screen.next("hello");
    c.onText("{\"type\":\"subscribe\",\"topic\":\"streams\"}");
    return screen;
  }

  @Test
  void aTopicTheHubLacksFailsTheBuildAndNeverHangsClose() throws Exception {
    QuerySource typo = query("SELECT COUNT(*) AS n FROM " + table).build();
    assertThatThrownBy(
            () -> Hub.builder().topic(Topic.of("strems", State.latest())).source(typo).build())
        .hasMessage(
            "source QuerySource[streams] publishes on topic \"streams\", which the hub lacks;"
                + " its topics are [strems]");

    // Started by hand on such a hub, it reports the mistake and still closes at once.
    try (Hub hub = Hub.builder().topic(Topic.of("strems", State.latest())).build()) {
      source = typo;
      source.start(hub);
      await().until(() -> hub.stats().errors() > 0);
      long start = System.nanoTime();
      source.close();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
  }

  @Test
  void pausesWhileNobodyWatches() throws Exception {
    RecordingSink sink = new RecordingSink();
    sink.watched = false;
    source = query("SELECT COUNT(*) AS n FROM " + table).pauseWhenUnwatched(true).build();
    source.start(sink);
    await()
        .during(Duration.ofMillis(300))
        .until(() -> sink.published.isEmpty() && sink.heartbeats.get() == 0);
    sink.watched = true;
    assertThat(sink.next().get(0).path("n").asInt()).isEqualTo(2);
  }

  @Test
  void aFailingQueryIsReportedAndTheSourceRecoversByItself() throws Exception {
    RecordingSink sink =
        start(
            query("SELECT name, lag_ms FROM " + table + " ORDER BY name")
                .maxBackoff(Duration.ofMillis(100))
                .mapper(ResultMapper.firstRow()));
    assertThat(sink.next().path("lag_ms").asInt()).isEqualTo(5);
    db.execute("ALTER TABLE " + table + " RENAME TO " + table + "_away");
    assertThat(sink.nextError()).isEqualTo("database error");
    db.execute("ALTER TABLE " + table + "_away RENAME TO " + table);
    int before = sink.heartbeats.get();
    await().until(() -> sink.heartbeats.get() > before);
    assertThat(sink.published).as("the unchanged result is not published again").isEmpty();
  }

  @Test
  void screensSeeTheCategoryAndTheOwnersMessageNotTheDatabasesText() throws Exception {
    String missing = table + "_missing";
    RecordingSink plain = start(query("SELECT * FROM " + missing));
    assertThat(plain.nextError()).isEqualTo("database error");
    source.close();

    RecordingSink owned =
        start(query("SELECT * FROM " + missing).errorMessage("ask the data team"));
    assertThat(owned.nextError()).isEqualTo("database error: ask the data team");
    source.close();

    RecordingSink internal = start(query("SELECT * FROM " + missing).showDatabaseMessages(true));
    assertThat(internal.nextError()).startsWith("database error: ").containsIgnoringCase(missing);
  }

  @Test
  void invalidSettingsFailWithTheFieldAndTheValue() {
    assertThatThrownBy(() -> query("SELECT 1").interval(Duration.ZERO))
        .hasMessage("interval must be positive, was PT0S");
    assertThatThrownBy(() -> QuerySource.builder(db.dataSource(), "bad topic", "SELECT 1"))
        .hasMessageContaining("topic name must match");
    assertThatThrownBy(() -> TableTailSource.builder(db.dataSource(), "t", "events; DROP"))
        .hasMessageContaining("table must be a plain SQL identifier");
  }
}
