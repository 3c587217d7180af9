package io.github.wsproducer.jetty;

import io.github.wsproducer.Hub;
import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import io.github.wsproducer.UpdateSink;
import io.github.wsproducer.UpdateSource;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;

/** The README's example, kept here so that it compiles and runs. */
public final class OpenOrders implements UpdateSource {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  @Override
  public void start(UpdateSink sink) {
    timer.scheduleWithFixedDelay(
        () -> sink.publish("orders", Map.of("open", countOpenOrders())), 0, 5, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  private int countOpenOrders() {
    return 42; // query your database here
  }

  public static void main(String[] args) throws Exception {
    Hub hub =
        Hub.builder().topic(Topic.of("orders", State.keyed())).source(new OpenOrders()).build();
    Server server = new Server(8080);
    HubWebSocket.builder(hub).build().mount(server);
    server.start(); // in a browser: new WebSocket('ws://localhost:8080/orders') gets {"open":42}
  }
}
