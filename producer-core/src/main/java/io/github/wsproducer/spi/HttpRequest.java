package io.github.wsproducer.spi;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP request that is no WebSocket upgrade, as a transport received it, for {@link
 * Endpoint#serve}: the push API and the screen fleet's endpoints.
 *
 * @param method the method, upper case
 * @param path the request's path within the transport's context, without the query
 * @param query the raw query string, without {@code ?}, or {@code null}
 * @param secure whether the request came over TLS
 * @param serverName the host the request was addressed to (the {@code Host} header's name)
 * @param serverPort the port it was addressed to
 * @param address the client's IP address
 * @param remote the client's address and port, for logs
 * @param headers the request's headers by lower-case name
 * @param body the body, at most {@link TransportOptions#maxMessageSize()} bytes; not copied
 */
public record HttpRequest(
    String method,
    String path,
    String query,
    boolean secure,
    String serverName,
    int serverPort,
    String address,
    String remote,
    Map<String, List<String>> headers,
    byte[] body) {

  /** Copies the headers. */
  public HttpRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(serverName, "serverName");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(remote, "remote");
    headers = Map.copyOf(headers);
    Objects.requireNonNull(body, "body");
  }

  /** The first value of a header, or {@code null}; names are case-insensitive. */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** This request with {@code body}: a head made whole once its body is read. */
  public HttpRequest withBody(byte[] body) {
    return new HttpRequest(
        method, path, query, secure, serverName, serverPort, address, remote, headers, body);
  }

  /** Never the query, the headers or the body: they may hold credentials. */
  @Override
  public String toString() {
    return method + " " + path + " from " + remote;
  }
}
