package io.github.wsproducer.netty;

/** The name and port a request was addressed to, from its {@code Host} header. */
record Host(String name, int port) {
  /**
   * {@code name}, {@code name:port}, {@code [v6]} or {@code [v6]:port}; "" when absent; {@code
   * null} when malformed (an unbracketed IPv6 address, two colons, a port that is no number).
   */
  static Host parse(String header, int defaultPort) {
    if (header == null) {
      return new Host("", defaultPort);
    }
    int close = header.startsWith("[") ? header.indexOf(']') : -1;
    if (header.startsWith("[") && close < 0) {
      return null;
    }
    int colon = header.indexOf(':', Math.max(close, 0));
    if (colon != header.lastIndexOf(':') && close < 0
        || close > 0 && colon != close + 1 && close != header.length() - 1) {
      return null;
    }
    String name =
        close > 0 ? header.substring(1, close) : colon < 0 ? header : header.substring(0, colon);
    int port = defaultPort;
    if (colon >= 0 && (close < 0 || colon > close)) {
      try {
        port = Integer.parseInt(header, colon + 1, header.length(), 10);
      } catch (NumberFormatException e) {
        return null;
      }
      if (port < 0 || port > 65535 || header.charAt(colon + 1) == '+') {
        return null;
      }
    }
    return name.isEmpty() ? null : new Host(name, port);
  }
}
