package io.github.wsproducer.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A WebSocket client endpoint that records text messages, for polling with a timeout. */
public class Recorder implements Session.Listener.AutoDemanding {
  static final JsonMapper JSON = JsonMapper.builder().build();

  /** How the server closed the connection. */
  record Close(int code, String reason) {}

  final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
  final CompletableFuture<Close> closed = new CompletableFuture<>();
  volatile Session session;

  void send(String text) {
    session.sendText(text, org.eclipse.jetty.websocket.api.Callback.NOOP);
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

  JsonNode next() throws InterruptedException {
    String text = messages.poll(10, TimeUnit.SECONDS);
    assertThat(text).as("a message within 10 s").isNotNull();
    return JSON.readTree(text);
  }
}
