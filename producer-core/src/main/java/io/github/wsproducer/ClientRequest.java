package io.github.wsproducer;

import java.util.Optional;

/**
 * A client's WebSocket upgrade request as an {@link Authenticator} sees it. Browsers cannot set
 * headers on a WebSocket, so a page sends its credentials as a cookie or a query parameter.
 */
public interface ClientRequest {

  /** The request's path, without the query. */
  String path();

  /** The first value of a header; names are case-insensitive. */
  Optional<String> header(String name);

  /** The value of a cookie. */
  Optional<String> cookie(String name);

  /** The first value of a query parameter, decoded. */
  Optional<String> queryParameter(String name);

  /** The client's IP address. */
  String remoteAddress();
}
