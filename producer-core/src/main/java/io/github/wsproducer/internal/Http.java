package io.github.wsproducer.internal;

import io.github.wsproducer.Authenticator;
import io.github.wsproducer.Identity;
import io.github.wsproducer.spi.HttpContext;
import io.github.wsproducer.spi.HttpRequest;
import io.github.wsproducer.spi.HttpResponse;
import java.time.Clock;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/** The {@link HttpContext} of a hub's routes. */
final class Http implements HttpContext {
  private final Access access;
  private final Codec codec;

  Http(Access access, Codec codec) {
    this.access = access;
    this.codec = codec;
  }

  @Override
  public Clock clock() {
    return access.clock();
  }

  @Override
  public Identity authenticate(Authenticator authenticator, HttpRequest request) {
    return access.identify(authenticator, RequestView.headerOnly(request));
  }

  @Override
  public boolean isClient(HttpRequest request) {
    return access.authenticator() == null || authenticate(access.authenticator(), request) != null;
  }

  @Override
  public JsonNode body(HttpRequest request) {
    JsonNode body = codec.parse(request.body());
    return body == null ? MissingNode.getInstance() : body;
  }

  @Override
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

  @Override
  public HttpResponse json(int status, Object value) {
    return HttpResponse.json(status, codec.json(value));
  }

  @Override
  public HttpResponse error(int status, String message) {
    return json(status, Map.of("error", message));
  }

  @Override
  public HttpResponse unauthorized() {
    return error(401, "a valid token is required: Authorization: Bearer TOKEN")
        .withHeader("WWW-Authenticate", "Bearer");
  }

  @Override
  public HttpResponse onlyMethod(String method) {
    return error(405, "use " + method).withHeader("Allow", method);
  }
}
