package io.github.wsproducer.jetty;

import io.github.wsproducer.Hub;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/** A real Jetty on a free loopback port serving a hub, and a real WebSocket client. */
final class TestServer {
  final Server server;
  final WebSocketClient client;

  TestServer(Hub hub, UnaryOperator<HubWebSocket.Builder> config) throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.setAcceptQueueSize(2048);
    server.addConnector(connector);
    config.apply(HubWebSocket.builder(hub)).build().mount(server);
    server.start();
    HttpClient http = new HttpClient();
    http.setMaxConnectionsPerDestination(4096);
    http.setMaxRequestsQueuedPerDestination(4096);
    client = new WebSocketClient(http);
    client.start();
  }

  int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  URI uri(String path) {
    return URI.create("ws://127.0.0.1:" + port() + path);
  }

  /** Starts connecting with an optional subprotocol and Origin header. */
  CompletableFuture<Session> connectAsync(
      Session.Listener listener, String path, String subprotocol, String origin)
      throws IOException {
    ClientUpgradeRequest request = new ClientUpgradeRequest(uri(path));
    if (subprotocol != null) {
      request.setSubProtocols(subprotocol);
    }
    if (origin != null) {
      request.setHeader("Origin", origin);
    }
    return client.connect(listener, request);
  }

  /** Connects and waits for the handshake; throws the upgrade failure if there is one. */
  Session connect(Session.Listener listener, String path, String subprotocol, String origin)
      throws Exception {
    try {
      return connectAsync(listener, path, subprotocol, origin).get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** An envelope client that has received hello. */
  WsClient envelope() throws Exception {
    WsClient c = new WsClient();
    connect(c, "/", HubWebSocket.SUBPROTOCOL, null);
    c.next("hello");
    return c;
  }

  void stop() throws Exception {
    client.stop();
    server.stop();
  }
}
