package io.github.wsproducer.internal;

import io.github.wsproducer.ClientRequest;
import io.github.wsproducer.spi.Handshake;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A transport's {@link Handshake} as an authenticator sees it. */
record HandshakeRequest(Handshake handshake) implements ClientRequest {

  @Override
  public String path() {
    return handshake.path();
  }

  @Override
  public Optional<String> header(String name) {
    List<String> values = handshake.headers().get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  @Override
  public Optional<String> cookie(String name) {
    List<String> headers = handshake.headers().getOrDefault("cookie", List.of());
    for (String header : headers) {
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
    String query = handshake.query();
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
    return handshake.address();
  }

  /** Never the query or the headers: they may hold credentials. */
  @Override
  public String toString() {
    return handshake.path() + " from " + handshake.remote();
  }
}
