package io.github.wsproducer.jakarta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.wsproducer.Hub;
import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import io.github.wsproducer.spi.TransportOptions;
import io.github.wsproducer.testkit.WsTestClient;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;

/** The filter's threads belong to it: they stop with it, and given ones are left to their owner. */
class HubFilterThreadsIT {

  private static boolean running(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.isAlive() && t.getName().startsWith(prefix));
  }

  private static void connectAndStop(HubFilter filter) throws Exception {
    Tomcat tomcat = TomcatKitIT.start(filter, TransportOptions.DEFAULTS);
    URI root = URI.create("ws://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/t");
    WsTestClient client = WsTestClient.connect(root, null, null);
    client.nextText();
    tomcat.stop();
    tomcat.destroy();
  }

  @Test
  void theFiltersOwnThreadsStopWithItAndGivenOnesAreLeftToTheirOwner() throws Exception {
    try (Hub hub = Hub.builder().topic(Topic.of("t", State.latest())).build()) {
      hub.publish("t", 1);
      connectAndStop(HubFilter.builder(hub).build());
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> !running("wsproducer-jakarta-timer") && !running("wsproducer-jakarta-control"));

      ScheduledExecutorService given = Executors.newSingleThreadScheduledExecutor();
      try {
        connectAndStop(HubFilter.builder(hub).scheduler(given).executor(given).build());
        assertThat(given.isShutdown()).as("the application's scheduler").isFalse();
        assertThat(running("wsproducer-jakarta-timer")).isFalse();
      } finally {
        given.shutdownNow();
      }
    }
  }
}
