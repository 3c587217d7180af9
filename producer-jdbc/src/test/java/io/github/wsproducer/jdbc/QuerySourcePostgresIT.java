package io.github.wsproducer.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.wsproducer.Hub;
import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import io.github.wsproducer.spi.Inbound;
import io.github.wsproducer.spi.TransportOptions;
import io.github.wsproducer.testkit.RecordingOutbound;
import io.github.wsproducer.testkit.Services;
import io.github.wsproducer.testkit.TcpProxy;
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
        RecordingOutbound screen = new RecordingOutbound();
        Inbound c = screen.openEnvelope(hub, TransportOptions.DEFAULTS);
        screen.next("hello");
        await().until(() -> hub.stats().updates() == 1);
        c.onText("{\"type\":\"subscribe\",\"topic\":\"streams\"}");
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
