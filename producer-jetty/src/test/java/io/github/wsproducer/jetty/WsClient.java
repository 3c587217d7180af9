package io.github.wsproducer.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real WebSocket client endpoint that records what it receives, for polling with a timeout. */
public class WsClient implements Session.Listener.AutoDemanding {
  static final JsonMapper JSON = JsonMapper.builder().build();

  /** How a connection ended. */
  record Close(int code, String reason) {}

  final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
  final CompletableFuture<Close> closed = new CompletableFuture<>();
  volatile Session session;

  @Override
  public void onWebSocketOpen(Session session) {
    this.session = session;
  }

  @Override
  public void onWebSocketText(String message) {
    messages.add(message);
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason, Callback callback) {
    closed.complete(new Close(statusCode, reason));
    callback.succeed();
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    closed.complete(new Close(-1, String.valueOf(cause)));
  }

  void send(String text) {
    session.sendText(text, Callback.NOOP);
  }

  String nextText() throws InterruptedException {
    String text = messages.poll(10, TimeUnit.SECONDS);
    assertThat(text).as("a message within 10 s").isNotNull();
    return text;
  }

  JsonNode next() throws InterruptedException {
    return JSON.readTree(nextText());
  }

  JsonNode next(String type) throws InterruptedException {
    JsonNode message = next();
    assertThat(message.path("type").asString()).as("type of %s", message).isEqualTo(type);
    return message;
  }

  Close awaitClose() throws Exception {
    return closed.get(10, TimeUnit.SECONDS);
  }

  /** A client that reads the first frame and then never reads again, like a frozen browser. */
  public static final class Stalled implements Session.Listener {
    final CompletableFuture<String> first = new CompletableFuture<>();

    @Override
    public void onWebSocketOpen(Session session) {
      session.demand();
    }

    @Override
    public void onWebSocketText(String message) {
      first.complete(message); // and no demand(): Jetty stops reading this socket
    }

    @Override
    public void onWebSocketError(Throwable cause) {
      // expected: the server gives up on this client
    }
  }
}
