package io.github.wsproducer.internal;

import io.github.wsproducer.Authenticator;
import io.github.wsproducer.Identity;
import io.github.wsproducer.spi.HttpRequest;
import io.github.wsproducer.spi.HttpResponse;
import java.time.Clock;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * What an {@link HttpRoute} needs of its hub, and the answers every route gives alike, in the hub's
 * JSON ({@link io.github.wsproducer.Hub.Builder#jsonMapper}).
 */
public final class Http {
  private final HubImpl hub;

  Http(HubImpl hub) {
    this.hub = hub;
  }

  /** The hub's clock. */
  public Clock clock() {
    return hub.clock();
  }

  /**
   * The identity {@code authenticator} finds in the request's {@code Authorization} header (never
   * in a cookie or the query), or {@code null}: none, expired, or it failed.
   */
  public Identity authenticate(Authenticator authenticator, HttpRequest request) {
    return hub.identify(authenticator, RequestView.headerOnly(request));
  }

  /**
   * Whether the request is from a client the hub's own authenticator (that of its sockets) accepts,
   * by its {@code Authorization} header; always when the hub has none.
   */
  public boolean isClient(HttpRequest request) {
    return hub.authenticator() == null || authenticate(hub.authenticator(), request) != null;
  }

  /**
   * The request's body as JSON: a missing node when it is empty.
   *
   * @throws JacksonException if it is not JSON in UTF-8; {@link #malformed} answers it
   */
  public JsonNode body(HttpRequest request) {
    JsonNode body = hub.codec().parse(request.body());
    return body == null ? MissingNode.getInstance() : body;
  }

  /**
   * 400 for a body that is not JSON: where it went wrong and the parser's words, without the
   * parser's note on its source (which it redacts).
   */
  public HttpResponse malformed(JacksonException e) {
    String message =
        String.valueOf(e.getOriginalMessage())
            .replaceAll("\\s*\\([^()]*\\[Source: [^\\]]*\\][^()]*\\)", "")
            .strip();
    TokenStreamLocation at = e.getLocation();
    return error(
        400,
        at == null || at.getLineNr() < 1
            ? "malformed JSON: " + message
            : "malformed JSON at line "
                + at.getLineNr()
                + ", column "
                + at.getColumnNr()
                + ": "
                + message);
  }

  /** {@code value} as a JSON body. */
  public HttpResponse json(int status, Object value) {
    return HttpResponse.json(status, hub.codec().json(value));
  }

  /** An error: {@code {"error": message}}. */
  public HttpResponse error(int status, String message) {
    return json(status, Map.of("error", message));
  }

  /** 401 with the challenge a client needs to know what to send. */
  public HttpResponse unauthorized() {
    return error(401, "a valid token is required: Authorization: Bearer TOKEN")
        .withHeader("WWW-Authenticate", "Bearer");
  }

  /** 405 naming the one method the path takes. */
  public HttpResponse onlyMethod(String method) {
    return error(405, "use " + method).withHeader("Allow", method);
  }
}
