package io.github.wsproducer.spi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * HTTP endpoints a module adds to a hub, such as the screen fleet's: every transport serves them
 * through the hub's {@link Endpoint}, after its host, origin and size checks, and within the body
 * budgets ({@code docs/security.md}). A source offers its routes by implementing {@link
 * HttpRoutes}; the hub it is added to serves them.
 *
 * <p>A request is decided in two steps: {@link #check} from its head, before a byte of its body is
 * read (method, credentials, rate: an unwelcome request costs no more than its headers), then
 * {@link #serve} with its body. Both are called on transport threads and must not block.
 *
 * <pre>{@code
 * final class Ping implements HttpRoute {
 *   public boolean serves(String path) { return path.equals("/ping"); }
 *   public HttpResponse check(HttpRequest head, HttpContext http) {
 *     return head.method().equals("GET") ? null : http.onlyMethod("GET");
 *   }
 *   public HttpResponse serve(HttpRequest request, HttpContext http) {
 *     return http.json(200, Map.of("at", http.clock().instant().toString()));
 *   }
 * }
 * }</pre>
 */
public interface HttpRoute {

  /** Whether this route answers requests to {@code path}, a request's path without its query. */
  boolean serves(String path);

  /**
   * Checks a request from its head alone ({@code head.body()} is empty): {@code null} admits it,
   * and its body is read and {@link #serve}d; an answer refuses it, and its body is never read.
   */
  HttpResponse check(HttpRequest head, HttpContext http);

  /** Answers a request that {@link #check} admitted, with its body. */
  HttpResponse serve(HttpRequest request, HttpContext http);

  /**
   * Answers a request that {@link #check} admitted when the answer waits for something, as the push
   * API's waits for its update to be durable: the hub calls this, which by default completes with
   * {@link #serve}'s answer. Must not block; an answer that fails is a 500.
   */
  default CompletionStage<HttpResponse> serveAsync(HttpRequest request, HttpContext http) {
    return CompletableFuture.completedFuture(serve(request, http));
  }
}
