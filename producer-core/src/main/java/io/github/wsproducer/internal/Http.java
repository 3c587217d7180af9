package io.github.wsproducer.internal;

import io.github.wsproducer.Authenticator;
import io.github.wsproducer.Identity;
import io.github.wsproducer.spi.HttpRequest;
import io.github.wsproducer.spi.HttpResponse;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/** What an {@link HttpRoute} needs of its hub, and the answers every route gives alike. */
public final class Http {
  private static final Logger log = LoggerFactory.getLogger(Http.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

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
    try {
      Identity identity = authenticator.authenticate(RequestView.headerOnly(request)).orElse(null);
      boolean expired =
          identity != null
              && identity.expires() != null
              && identity.expires().toEpochMilli() <= hub.clock().millis();
      return expired ? null : identity;
    } catch (RuntimeException e) {
      log.error("the authenticator failed on {}; refused", request, e);
      return null;
    }
  }

  /**
   * Whether the request is from a client the hub's own authenticator (that of its sockets) accepts,
   * by its {@code Authorization} header; always when the hub has none.
   */
  public boolean isClient(HttpRequest request) {
    return hub.authenticator() == null || authenticate(hub.authenticator(), request) != null;
  }

  /** {@code value} as a JSON body. */
  public static HttpResponse json(int status, Object value) {
    return HttpResponse.json(status, JSON.writeValueAsString(value));
  }

  /** An error: {@code {"error": message}}. */
  public static HttpResponse error(int status, String message) {
    return json(status, Map.of("error", message));
  }

  /** 401 with the challenge a client needs to know what to send. */
  public static HttpResponse unauthorized() {
    return error(401, "a valid token is required: Authorization: Bearer TOKEN")
        .withHeader("WWW-Authenticate", "Bearer");
  }

  /** 405 naming the one method the path takes. */
  public static HttpResponse onlyMethod(String method) {
    return error(405, "use " + method).withHeader("Allow", method);
  }
}
