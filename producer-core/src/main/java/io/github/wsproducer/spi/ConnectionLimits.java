package io.github.wsproducer.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-connection limits a transport applies when it opens a connection.
 *
 * @param maxQueuedBytes byte cap of the frames queued for the connection, the one being written
 *     included; over it the connection skips ahead to a fresh snapshot
 * @param writeTimeout how long one write may stay unfinished before the connection is closed with
 *     {@code CloseCodes.SLOW_CONSUMER}
 * @param pingInterval how often an idle connection is pinged ({@code ping} frames in the envelope
 *     form, protocol pings in the plain form); {@link Duration#ZERO} disables pings
 */
public record ConnectionLimits(long maxQueuedBytes, Duration writeTimeout, Duration pingInterval) {

  /** 1 MiB, 30 s, 15 s. */
  public static final ConnectionLimits DEFAULTS =
      new ConnectionLimits(1 << 20, Duration.ofSeconds(30), Duration.ofSeconds(15));

  /** Validates every component. */
  public ConnectionLimits {
    if (maxQueuedBytes < 1024) {
      throw new IllegalArgumentException(
          "maxQueuedBytes must be at least 1024, was " + maxQueuedBytes);
    }
    requirePositive("writeTimeout", writeTimeout);
    Objects.requireNonNull(pingInterval, "pingInterval");
    if (pingInterval.isNegative()) {
      throw new IllegalArgumentException("pingInterval must not be negative, was " + pingInterval);
    }
  }

  private static void requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
