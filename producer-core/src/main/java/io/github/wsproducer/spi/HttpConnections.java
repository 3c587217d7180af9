package io.github.wsproducer.spi;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A transport's connections that are still HTTP, not (yet) WebSockets, counted by client address:
 * one over the limit ({@link TransportOptions#maxConnectionsPerAddress()}, the same as for
 * WebSockets) is closed as soon as it opens, so that one address cannot hold thousands of sockets
 * with requests that never end. Thread-safe.
 *
 * <pre>{@code
 * HttpConnections http = new HttpConnections(options.maxConnectionsPerAddress());
 * // a connection opens:
 * if (!http.open(address)) { close(); }
 * // it closes, or becomes a WebSocket:
 * http.closed(address);
 * }</pre>
 */
public final class HttpConnections {
  private final int maxPerAddress;
  private final Map<String, Integer> byAddress = new ConcurrentHashMap<>();

  /** At most {@code maxPerAddress} open per address. */
  public HttpConnections(int maxPerAddress) {
    if (maxPerAddress < 1) {
      throw new IllegalArgumentException("maxPerAddress must be at least 1, was " + maxPerAddress);
    }
    this.maxPerAddress = maxPerAddress;
  }

  /**
   * Counts a connection from {@code address}; {@code false}, counting nothing, when the address has
   * the most already: close the connection then.
   */
  public boolean open(String address) {
    boolean[] counted = {false};
    byAddress.compute(
        address,
        (a, open) -> {
          int now = open == null ? 0 : open;
          if (now >= maxPerAddress) {
            return open;
          }
          counted[0] = true;
          return now + 1;
        });
    return counted[0];
  }

  /** A connection that {@link #open} counted closed, or became a WebSocket. */
  public void closed(String address) {
    byAddress.computeIfPresent(address, (a, open) -> open == 1 ? null : open - 1);
  }
}
