package io.github.wsproducer.spi;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The options every transport offers, with the same defaults and the same validation. A transport's
 * builder extends {@link Builder}, so that its users set them with the same methods everywhere.
 *
 * @param allowedHosts host names a request may be addressed to ({@code Host}) besides localhost, IP
 *     addresses and this machine's own name; others are refused, so that a DNS-rebinding page
 *     cannot pass for the server's own origin
 * @param allowedOrigins browser origins accepted besides the server's own, matched exactly
 * @param maxMessageSize the largest client message in bytes; larger ones close with 1009
 * @param idleTimeout a connection with no traffic either way for this long is closed
 * @param handshakeTimeout an HTTP request, the upgrade included, must arrive whole within this of
 *     the connection's start (or of the previous response); a request trickled byte by byte is
 *     dropped
 * @param pingInterval how often every connection is pinged (a protocol ping; an idle envelope
 *     connection also gets a {@code ping} message), the first time at a random point within the
 *     first interval, so that connections made together are not pinged together; {@link
 *     Duration#ZERO} for never
 * @param pongTimeout a connection that does not answer a ping within this is closed with 4002: a
 *     client that stopped reading or vanished is found at any data rate
 * @param maxQueuedBytes byte cap of the frames queued per connection, the one being written
 *     included; over it the connection skips ahead to a fresh snapshot
 * @param writeTimeout a connection whose write does not finish within this is closed with 4001
 * @param deflate whether permessage-deflate is negotiated when a client offers it
 * @param maxConnections open connections beyond which handshakes get 503 with {@code Retry-After}
 * @param maxConnectionsPerAddress the same for one client address (behind a proxy or a NAT, many
 *     screens share one)
 * @param sendBufferSize the kernel send buffer of each connection's socket in bytes, which a client
 *     that stops reading can fill; 0 for the system's default, which Linux grows up to {@code
 *     net.ipv4.tcp_wmem}'s maximum (often 4 MiB)
 */
public record TransportOptions(
    Set<String> allowedHosts,
    Set<String> allowedOrigins,
    long maxMessageSize,
    Duration idleTimeout,
    Duration handshakeTimeout,
    Duration pingInterval,
    Duration pongTimeout,
    long maxQueuedBytes,
    Duration writeTimeout,
    boolean deflate,
    int maxConnections,
    int maxConnectionsPerAddress,
    int sendBufferSize) {

  /**
   * Own host names and addresses, same origin only, 64 KiB, 60 s, 10 s, 15 s, 30 s, 1 MiB, 30 s, no
   * deflate, 10,000 and 1,000 connections, the system's send buffer.
   */
  public static final TransportOptions DEFAULTS =
      new TransportOptions(
          Set.of(),
          Set.of(),
          64 * 1024,
          Duration.ofSeconds(60),
          Duration.ofSeconds(10),
          Duration.ofSeconds(15),
          Duration.ofSeconds(30),
          1 << 20,
          Duration.ofSeconds(30),
          false,
          10_000,
          1_000,
          0);

  /** Validates every component, naming it and its value. */
  public TransportOptions {
    allowedHosts =
        allowedHosts.stream()
            .map(TransportOptions::requireHost)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    allowedOrigins = Set.copyOf(allowedOrigins);
    allowedOrigins.forEach(TransportOptions::requireOrigin);
    atLeast1024("maxMessageSize", maxMessageSize);
    positive("idleTimeout", idleTimeout);
    positive("handshakeTimeout", handshakeTimeout);
    notNegative("pingInterval", pingInterval);
    if (pingInterval.compareTo(idleTimeout) >= 0) {
      throw new IllegalArgumentException(
          "pingInterval ("
              + pingInterval
              + ") must be shorter than idleTimeout ("
              + idleTimeout
              + ")");
    }
    positive("pongTimeout", pongTimeout);
    atLeast1024("maxQueuedBytes", maxQueuedBytes);
    positive("writeTimeout", writeTimeout);
    atLeast1("maxConnections", maxConnections);
    atLeast1("maxConnectionsPerAddress", maxConnectionsPerAddress);
    requireSendBuffer(sendBufferSize);
  }

  private static void requireSendBuffer(int bytes) {
    if (bytes != 0 && bytes < 4096) {
      throw new IllegalArgumentException(
          "sendBufferSize must be 0 (the system's) or at least 4096, was " + bytes);
    }
  }

  private static void atLeast1(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, was " + value);
    }
  }

  /** A host name in lower case, as requests are compared with it. */
  private static String requireHost(String host) {
    Objects.requireNonNull(host, "host");
    if (!host.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")) {
      throw new IllegalArgumentException(
          "host must be a DNS name such as wall.example.com, without scheme or port, was \""
              + host
              + "\"");
    }
    return host.toLowerCase(java.util.Locale.ROOT);
  }

  private static void requireOrigin(String origin) {
    Objects.requireNonNull(origin, "origin");
    if (!origin.equals("null") && !origin.matches("https?://[^/?#\\s]+")) {
      throw new IllegalArgumentException(
          "origin must be scheme://host[:port] or \"null\", was \"" + origin + "\"");
    }
  }

  private static void atLeast1024(String name, long value) {
    if (value < 1024) {
      throw new IllegalArgumentException(name + " must be at least 1024, was " + value);
    }
  }

  private static void notNegative(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + value);
    }
  }

  private static void positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }

  /** A builder of options alone, for tests and integrations that hand them to a transport. */
  public static Standalone builder() {
    return new Standalone();
  }

  /** Options built on their own; see {@link #builder()}. */
  public static final class Standalone extends Builder<Standalone> {
    private Standalone() {}

    /**
     * The options.
     *
     * @throws IllegalArgumentException if they do not fit together
     */
    public TransportOptions build() {
      return buildOptions();
    }
  }

  /**
   * The options part of a transport's builder. Setters validate what they can alone; {@link
   * #buildOptions()} validates the combination.
   *
   * @param <B> the transport's builder
   */
  public abstract static class Builder<B extends Builder<B>> {
    private final Set<String> allowedHosts = new LinkedHashSet<>();
    private final Set<String> allowedOrigins = new LinkedHashSet<>();
    private long maxMessageSize = DEFAULTS.maxMessageSize;
    private Duration idleTimeout = DEFAULTS.idleTimeout;
    private Duration handshakeTimeout = DEFAULTS.handshakeTimeout;
    private Duration pingInterval = DEFAULTS.pingInterval;
    private Duration pongTimeout = DEFAULTS.pongTimeout;
    private long maxQueuedBytes = DEFAULTS.maxQueuedBytes;
    private Duration writeTimeout = DEFAULTS.writeTimeout;
    private boolean deflate = DEFAULTS.deflate;
    private int maxConnections = DEFAULTS.maxConnections;
    private int maxConnectionsPerAddress = DEFAULTS.maxConnectionsPerAddress;
    private int sendBufferSize = DEFAULTS.sendBufferSize;

    /** For subclasses. */
    protected Builder() {}

    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }

    /**
     * Also answers requests addressed to this host name ({@code wall.example.com}), as behind a
     * reverse proxy or under a DNS name. Without it, only localhost, IP addresses and this
     * machine's own name are answered: a page on another name that resolves to this server (DNS
     * rebinding) is refused.
     */
    public B allowHost(String host) {
      allowedHosts.add(requireHost(host));
      return self();
    }

    /**
     * Also accepts browsers from this origin, matched exactly ({@code scheme://host[:port]}).
     * {@code "null"} admits pages opened from disk and sandboxed frames. The server's own origin is
     * always accepted.
     */
    public B allowOrigin(String origin) {
      requireOrigin(origin);
      allowedOrigins.add(origin);
      return self();
    }

    /** The largest client message in bytes; larger ones close the connection with 1009. 64 KiB. */
    public B maxMessageSize(long bytes) {
      atLeast1024("maxMessageSize", bytes);
      this.maxMessageSize = bytes;
      return self();
    }

    /** A connection with no traffic either way for this long is closed. 60 s. */
    public B idleTimeout(Duration idleTimeout) {
      positive("idleTimeout", idleTimeout);
      this.idleTimeout = idleTimeout;
      return self();
    }

    /**
     * An HTTP request, the upgrade included, must arrive whole within this of the connection's
     * start (or of the previous response); slower ones are dropped, however steadily their bytes
     * trickle in. 10 s.
     */
    public B handshakeTimeout(Duration handshakeTimeout) {
      positive("handshakeTimeout", handshakeTimeout);
      this.handshakeTimeout = handshakeTimeout;
      return self();
    }

    /**
     * How often every connection is pinged; shorter than the idle timeout, {@link Duration#ZERO}
     * for never. 15 s.
     */
    public B pingInterval(Duration pingInterval) {
      notNegative("pingInterval", pingInterval);
      this.pingInterval = pingInterval;
      return self();
    }

    /** A connection that does not answer a ping within this is closed with 4002. 30 s. */
    public B pongTimeout(Duration pongTimeout) {
      positive("pongTimeout", pongTimeout);
      this.pongTimeout = pongTimeout;
      return self();
    }

    /**
     * Byte cap of the frames queued per connection; over it the connection skips ahead to a fresh
     * snapshot instead of queuing more. 1 MiB.
     */
    public B maxQueuedBytes(long bytes) {
      atLeast1024("maxQueuedBytes", bytes);
      this.maxQueuedBytes = bytes;
      return self();
    }

    /** A connection whose write does not finish within this is closed with 4001. 30 s. */
    public B writeTimeout(Duration writeTimeout) {
      positive("writeTimeout", writeTimeout);
      this.writeTimeout = writeTimeout;
      return self();
    }

    /** Negotiates permessage-deflate when a client offers it. Off. */
    public B deflate(boolean deflate) {
      this.deflate = deflate;
      return self();
    }

    /** Open connections beyond which handshakes get 503 with {@code Retry-After}. 10,000. */
    public B maxConnections(int connections) {
      atLeast1("maxConnections", connections);
      this.maxConnections = connections;
      return self();
    }

    /**
     * Open connections from one client address beyond which its handshakes get 503. 1,000: behind a
     * proxy or a NAT, many screens share one address.
     */
    public B maxConnectionsPerAddress(int connections) {
      atLeast1("maxConnectionsPerAddress", connections);
      this.maxConnectionsPerAddress = connections;
      return self();
    }

    /**
     * The kernel send buffer of each connection's socket, in bytes: with what the hub queues (the
     * byte cap), what a client that stops reading can pin on the server. 0, the system's default,
     * which Linux grows with the traffic up to {@code net.ipv4.tcp_wmem}'s maximum (often 4 MiB)
     * and which gives the best throughput; Linux doubles the value given here for its own
     * bookkeeping.
     */
    public B sendBufferSize(int bytes) {
      requireSendBuffer(bytes);
      this.sendBufferSize = bytes;
      return self();
    }

    /** Sets every option at once, as in {@code options} (origins are added to those set). */
    public B options(TransportOptions options) {
      allowedHosts.addAll(options.allowedHosts);
      allowedOrigins.addAll(options.allowedOrigins);
      this.maxMessageSize = options.maxMessageSize;
      this.idleTimeout = options.idleTimeout;
      this.handshakeTimeout = options.handshakeTimeout;
      this.pingInterval = options.pingInterval;
      this.pongTimeout = options.pongTimeout;
      this.maxQueuedBytes = options.maxQueuedBytes;
      this.writeTimeout = options.writeTimeout;
      this.deflate = options.deflate;
      this.maxConnections = options.maxConnections;
      this.maxConnectionsPerAddress = options.maxConnectionsPerAddress;
      this.sendBufferSize = options.sendBufferSize;
      return self();
    }

    /**
     * The options set so far.
     *
     * @throws IllegalArgumentException if they do not fit together (a ping interval not shorter
     *     than the idle timeout)
     */
    protected TransportOptions buildOptions() {
      return new TransportOptions(
          allowedHosts,
          allowedOrigins,
          maxMessageSize,
          idleTimeout,
          handshakeTimeout,
          pingInterval,
          pongTimeout,
          maxQueuedBytes,
          writeTimeout,
          deflate,
          maxConnections,
          maxConnectionsPerAddress,
          sendBufferSize);
    }
  }
}
