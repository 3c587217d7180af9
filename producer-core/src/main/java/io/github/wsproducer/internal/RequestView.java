package io.github.wsproducer.internal;

import io.github.wsproducer.ClientRequest;
import io.github.wsproducer.spi.Handshake;
import io.github.wsproducer.spi.HttpRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A request as an {@link io.github.wsproducer.Authenticator} sees it. */
record RequestView(
    String path, String query, Map<String, List<String>> headers, String address, String remote)
    implements ClientRequest {

  /** A WebSocket handshake: a page's credentials come as a cookie or a query parameter. */
  static RequestView of(Handshake h) {
    return new RequestView(h.path(), h.query(), h.headers(), h.address(), h.remote());
  }

  /**
   * An HTTP request to an endpoint that changes things: credentials only in the {@code
   * Authorization} header. A cookie would come with a request another site's page makes (CSRF), a
   * query parameter ends up in proxies' logs.
   */
  static RequestView headerOnly(HttpRequest r) {
    Map<String, List<String>> headers = new HashMap<>(r.headers());
    headers.remove("cookie");
    return new RequestView(r.path(), null, headers, r.address(), r.remote());
  }

  @Override
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  @Override
  public Optional<String> cookie(String name) {
    for (String header : headers.getOrDefault("cookie", List.of())) {
      for (String pair : header.split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
          return Optional.of(pair.substring(eq + 1).trim());
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public Optional<String> queryParameter(String name) {
    if (query == null) {
      return Optional.empty();
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      try {
        if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
          return Optional.of(
              eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      } catch (IllegalArgumentException e) { // a malformed escape: not this parameter
        continue;
      }
    }
    return Optional.empty();
  }

  @Override
  public String remoteAddress() {
    return address;
  }

  /** Never the query or the headers: they may hold credentials. */
  @Override
  public String toString() {
    return path + " from " + remote;
  }
}
