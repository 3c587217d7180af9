package io.github.wsproducer.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.wsproducer.Hub;
import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import io.github.wsproducer.spi.Connection;
import io.github.wsproducer.spi.ConnectionLimits;
import io.github.wsproducer.testing.RecordingTransport;
import io.github.wsproducer.testing.Services;
import io.github.wsproducer.testing.TcpProxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The shared poll against the real PostgreSQL, including losing it. */
class QuerySourcePostgresIT extends QuerySourceContract {
  @Override
  Database database() {
    return Database.postgres();
  }

  @Test
  void anUnreachableDatabaseShowsAsAStatusAndRecovers() throws Exception {
    try (TcpProxy proxy = new TcpProxy(Services.postgres())) {
      var viaProxy = Database.postgres("jdbc:postgresql://" + proxy.hostPort() + "/test");
      viaProxy.setConnectTimeout(2);
      source =
          QuerySource.builder(viaProxy, "streams", "SELECT name, lag_ms FROM " + table)
              .mapper(ResultMapper.keyedBy("name"))
              .interval(Duration.ofMillis(100))
              .maxBackoff(Duration.ofMillis(400))
              .build();
      try (Hub hub =
          Hub.builder().topic(Topic.of("streams", State.keyed())).source(source).build()) {
        RecordingTransport screen = new RecordingTransport();
        Connection c = hub.openEnvelope(screen, ConnectionLimits.DEFAULTS);
        screen.next("hello");
        await().until(() -> hub.stats().updates() == 1);
        c.onMessage("{\"type\":\"subscribe\",\"topic\":\"streams\"}");
        assertThat(screen.next("snapshot").path("data").path("orders").path("lag_ms").asInt())
            .isEqualTo(5);

        proxy.cut();
        JsonNode down = screen.next("status");
        assertThat(down.path("error").asString()).isEqualTo("database unreachable");
        assertThat(hub.stats().connections()).as("the screen stays connected").isEqualTo(1);

        db.execute("UPDATE " + table + " SET lag_ms = 9 WHERE name = 'orders'");
        proxy.restore();
        JsonNode update = screen.next("update");
        assertThat(update.path("data").path("orders").path("lag_ms").asInt()).isEqualTo(9);
        JsonNode up = screen.next("status");
        assertThat(up.has("error")).isFalse();
        assertThat(up.path("stale").asBoolean()).isFalse();
      }
    }
  }
}
