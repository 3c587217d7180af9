package io.github.wsproducer.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsproducer.Hub;
import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import org.junit.jupiter.api.Test;

class ReadmeExampleIT {

  @Test
  void theReadmeSourcePushesOpenOrdersToAPlainClient() throws Exception {
    // OpenOrders.main's wiring, on a free port
    Hub hub =
        Hub.builder().topic(Topic.of("orders", State.keyed())).source(new OpenOrders()).build();
    TestServer server = new TestServer(hub, b -> b);
    try {
      WsClient browser = new WsClient();
      server.connect(browser, "/orders", null, null);
      assertThat(browser.nextText()).isEqualTo("{\"open\":42}");
    } finally {
      server.stop();
      hub.close();
    }
  }
}
