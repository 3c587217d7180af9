package io.github.wsproducer.spi;

import io.github.wsproducer.Identity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

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
 * @param headers the request's headers by lower-case name, for an authenticator; see {@link
 *     #headersWhenRead}
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

  /** Copies the collections, but not headers from {@link #headersWhenRead}. */
  public Handshake {
    Objects.requireNonNull(path, "path");
    subprotocols = List.copyOf(subprotocols);
    Objects.requireNonNull(serverName, "serverName");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(remote, "remote");
    if (!(headers instanceof WhenRead)) {
      headers = Map.copyOf(headers);
    }
  }

  /**
   * Headers that {@code read} copies out of the transport's request the first time they are read.
   * Only an authenticator reads them, so without one a handshake makes none of their garbage, which
   * a connection storm would make thousands of times. {@code read} must return headers by
   * lower-case name, and may be called only while {@link Endpoint#decide} runs, so it can read the
   * transport's request in place.
   */
  public static Map<String, List<String>> headersWhenRead(
      Supplier<Map<String, List<String>>> read) {
    return new WhenRead(Objects.requireNonNull(read, "read"));
  }

  private static final class WhenRead extends AbstractMap<String, List<String>> {
    private final Supplier<Map<String, List<String>>> read;
    private Map<String, List<String>> headers; // immutable, so safely shared even if read twice

    WhenRead(Supplier<Map<String, List<String>>> read) {
      this.read = read;
    }

    private Map<String, List<String>> headers() {
      Map<String, List<String>> h = headers;
      return h != null ? h : (headers = Map.copyOf(read.get()));
    }

    @Override
    public List<String> get(Object name) {
      return headers().get(name);
    }

    @Override
    public boolean containsKey(Object name) {
      return headers().containsKey(name);
    }

    @Override
    public Set<Entry<String, List<String>>> entrySet() {
      return headers().entrySet();
    }
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
  public record Refuse(int status, String message, Duration retryAfter) implements Decision {
    /**
     * The refusal as a transport answers it: the message as a line of plain text (not the server's
     * error page, which would name it), and {@code Retry-After} when there is a hint.
     */
    public HttpResponse response() {
      HttpResponse text =
          new HttpResponse(
              status,
              "text/plain; charset=utf-8",
              (message + "\n").getBytes(StandardCharsets.UTF_8),
              Map.of());
      return retryAfter == null
          ? text
          : text.withHeader("Retry-After", Long.toString(retryAfter.toSeconds()));
    }
  }

  /**
   * The subprotocols a client offered in its {@code Sec-WebSocket-Protocol} header lines, each line
   * a comma-separated list, in order and without blanks.
   */
  public static List<String> subprotocols(Iterable<String> headerLines) {
    List<String> offered = new ArrayList<>(1);
    for (String line : headerLines) {
      for (String name : line.split(",")) {
        String trimmed = name.trim();
        if (!trimmed.isEmpty()) {
          offered.add(trimmed);
        }
      }
    }
    return offered;
  }
}
