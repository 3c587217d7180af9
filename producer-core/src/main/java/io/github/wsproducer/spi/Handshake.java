package io.github.wsproducer.spi;

import io.github.wsproducer.Identity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A WebSocket upgrade request as a transport received it, for {@link Endpoint#decide}.
 *
 * @param path the request's path within the transport's context, without the query
 * @param subprotocols the subprotocols the client offered, in its order
 * @param origin the {@code Origin} header, or {@code null} (a non-browser client)
 * @param secure whether the request came over TLS
 * @param serverName the host the request was addressed to (the {@code Host} header's name)
 * @param serverPort the port it was addressed to
 * @param address the client's IP address, for limits per address
 * @param remote the client's address and port, for logs
 * @param query the raw query string, without {@code ?}, or {@code null}; for an {@link
 *     io.github.wsproducer.Authenticator}, never logged (it may hold a token)
 * @param headers the request's headers by lower-case name, for an authenticator
 */
public record Handshake(
    String path,
    List<String> subprotocols,
    String origin,
    boolean secure,
    String serverName,
    int serverPort,
    String address,
    String remote,
    String query,
    Map<String, List<String>> headers) {

  /** Copies the collections. */
  public Handshake {
    Objects.requireNonNull(path, "path");
    subprotocols = List.copyOf(subprotocols);
    Objects.requireNonNull(serverName, "serverName");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(remote, "remote");
    headers = Map.copyOf(headers);
  }

  /** What the transport does with a handshake. */
  public sealed interface Decision {}

  /**
   * Upgrade the connection, then {@link Endpoint#open} it.
   *
   * @param subprotocol the subprotocol to accept, or {@code null} for the plain form
   * @param topic the plain form's topic, or {@code null} for the envelope form
   * @param address the client's IP address, counted against the limits per address
   * @param identity who the client is, when the hub has an authenticator; else {@code null}
   */
  public record Accept(String subprotocol, String topic, String address, Identity identity)
      implements Decision {

    /** An accepted handshake of a hub without an authenticator. */
    public Accept(String subprotocol, String topic, String address) {
      this(subprotocol, topic, address, null);
    }
  }

  /**
   * Answer with an HTTP error instead of upgrading; the endpoint has logged why.
   *
   * @param status the HTTP status
   * @param message a short text for the response body
   * @param retryAfter the {@code Retry-After} to send, or {@code null} for none
   */
  public record Refuse(int status, String message, Duration retryAfter) implements Decision {}
}
