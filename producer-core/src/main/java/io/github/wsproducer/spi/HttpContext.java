package io.github.wsproducer.spi;

import io.github.wsproducer.Authenticator;
import io.github.wsproducer.Identity;
import java.time.Clock;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * What an {@link HttpRoute} is given by the hub that serves it: the hub's clock, authentication,
 * and the answers every route gives alike, in the hub's JSON ({@link
 * io.github.wsproducer.Hub.Builder#jsonMapper}). Thread-safe.
 */
public interface HttpContext {

  /** The hub's clock: every time a route reads. */
  Clock clock();

  /**
   * The identity {@code authenticator} finds in the request's {@code Authorization} header (never
   * in a cookie or the query: a request that changes things must not be made by another site's
   * page, nor leave its credential in a proxy's log), or {@code null}: none, expired, or it failed.
   */
  Identity authenticate(Authenticator authenticator, HttpRequest request);

  /**
   * Whether the request is from a client the hub's own authenticator (that of its sockets) accepts,
   * by its {@code Authorization} header; always when the hub has none.
   */
  boolean isClient(HttpRequest request);

  /**
   * The request's body as JSON: a missing node when it is empty.
   *
   * @throws JacksonException if it is not JSON in UTF-8; {@link #malformed} answers it
   */
  JsonNode body(HttpRequest request);

  /** 400 for a body that is not JSON: where it went wrong, in the parser's words. */
  HttpResponse malformed(JacksonException e);

  /** {@code value} as a JSON body. */
  HttpResponse json(int status, Object value);

  /** An error: {@code {"error": message}}. */
  HttpResponse error(int status, String message);

  /** 401 with the challenge a client needs to know what to send. */
  HttpResponse unauthorized();

  /** 405 naming the one method the path takes. */
  HttpResponse onlyMethod(String method);
}
