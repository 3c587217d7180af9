package io.github.wsproducer.spi;

import io.github.wsproducer.Hub;

/**
 * A hub as transports and replication reach it: what {@link Endpoint#of} and {@link Replica#of} ask
 * of a hub built by {@link Hub#builder()}, which implements it. Not for applications.
 */
public interface HubSpi {

  /** The endpoint of this hub with a transport's options; see {@link Endpoint#of}. */
  Endpoint endpoint(TransportOptions options);

  /** The replica side of this hub; see {@link Replica#of}. */
  Replica replica();

  /**
   * {@code hub} as the SPI reaches it.
   *
   * @throws IllegalArgumentException if the hub is another implementation
   */
  static HubSpi of(Hub hub) {
    if (hub instanceof HubSpi spi) {
      return spi;
    }
    throw new IllegalArgumentException(
        "not a hub built by Hub.builder(): " + (hub == null ? null : hub.getClass().getName()));
  }
}
