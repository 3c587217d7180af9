package io.github.wsproducer.internal;

import io.github.wsproducer.spi.TransportOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which hosts and origins a transport's options admit: a request must be addressed to this server
 * (against DNS rebinding), and a page's origin must be allowed or the server's own.
 */
final class HostPolicy {
  private final TransportOptions options;

  HostPolicy(TransportOptions options) {
    this.options = options;
  }

  /**
   * Whether a request addressed to {@code host} is for this server. IP addresses and localhost are:
   * no page on another origin can be addressed so. A name is only if configured or this machine's
   * own: a DNS-rebinding page resolves its own name to this server, and would otherwise pass the
   * same-origin check below.
   */
  boolean hostAllowed(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    if (name.startsWith("[") || name.contains(":") || isDigitsAndDots(name)) {
      return true; // an IP address
    }
    return name.equals("localhost")
        || options.allowedHosts().contains(name)
        || OwnNames.NAMES.contains(name);
  }

  /** An IPv4 address, near enough; without a regular expression, compiled on every call. */
  private static boolean isDigitsAndDots(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if ((c < '0' || c > '9') && c != '.') {
        return false;
      }
    }
    return !name.isEmpty();
  }

  /** This machine's names, looked up once and only if a request needs them. */
  private static final class OwnNames {
    static final Set<String> NAMES = lookUp();

    private static Set<String> lookUp() {
      try {
        InetAddress local = InetAddress.getLocalHost();
        return Set.copyOf( // the two are often the same
            List.of(
                local.getHostName().toLowerCase(Locale.ROOT),
                local.getCanonicalHostName().toLowerCase(Locale.ROOT)));
      } catch (IOException | RuntimeException e) {
        return Set.of();
      }
    }
  }

  /** An allowed origin, or the server's own: the scheme, host and port it was addressed as. */
  boolean originAllowed(String origin, boolean secure, String serverName, int serverPort) {
    if (options.allowedOrigins().contains(origin)) {
      return true;
    }
    String own = (secure ? "https" : "http") + "://" + serverName + ":" + serverPort;
    return normalize(own).equals(normalize(origin));
  }

  /** {@code scheme://host:port} in lower case with the default port made explicit. */
  private static String normalize(String origin) {
    try {
      URI uri = new URI(origin);
      String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
      int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
      return scheme + "://" + String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT) + ":" + port;
    } catch (URISyntaxException e) {
      return origin;
    }
  }
}
