package io.github.wsproducer.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on port 0 (the JDK's), answering each path with what the test sets: a status,
 * headers and a body, or a handler of its own. Records the requests, and how many ran at once.
 */
final class Api implements AutoCloseable {
  /** Answers one request. */
  interface Handler {
    void handle(HttpExchange exchange) throws IOException, InterruptedException;
  }

  final BlockingQueue<HttpExchange> requests = new LinkedBlockingQueue<>();
  final AtomicInteger concurrent = new AtomicInteger();
  final AtomicInteger maxConcurrent = new AtomicInteger();
  private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
  private final HttpServer server;

  Api() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(
        "/",
        exchange -> {
          maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
          requests.add(exchange);
          try {
            Handler handler = handlers.get(exchange.getRequestURI().getPath());
            if (handler == null) {
              answer(exchange, 404, "{}");
            } else {
              handler.handle(exchange);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (IOException e) {
            // the client went away
          } finally {
            concurrent.decrementAndGet();
            exchange.close();
          }
        });
    server.start();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  void on(String path, Handler handler) {
    handlers.put(path, handler);
  }

  /** Answers {@code path} with a status and a JSON body. */
  void answer(String path, int status, String json) {
    on(path, exchange -> answer(exchange, status, json));
  }

  static void answer(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
