package io.github.wsproducer.spi;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An endpoint's answer to an {@link HttpRequest}. The transport adds {@link
 * WebResources#SECURITY_HEADERS} and the content length.
 *
 * @param status the HTTP status
 * @param contentType the body's media type
 * @param body the body; not copied
 * @param headers other headers, such as {@code Retry-After} or {@code WWW-Authenticate}
 */
public record HttpResponse(
    int status, String contentType, byte[] body, Map<String, String> headers) {

  /** Copies the headers. */
  public HttpResponse {
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
    headers = Map.copyOf(headers);
  }

  /** A JSON body. */
  public static HttpResponse json(int status, String json) {
    return new HttpResponse(
        status, "application/json", json.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /**
   * 413, for a body over {@code limit} bytes: a transport answers so itself when it stops reading
   * one.
   */
  public static HttpResponse tooLarge(long limit) {
    return json(413, "{\"error\":\"the body is over " + limit + " bytes\"}");
  }

  /** This response with one more header. */
  public HttpResponse withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new HttpResponse(status, contentType, body, more);
  }
}
