package io.github.wsproducer.spi;

import io.github.wsproducer.Hub;
import java.time.Clock;
import java.util.function.LongConsumer;

/**
 * A hub as modules reach it: what {@link Endpoint#of} and {@link Replica#of} ask of a hub built by
 * {@link Hub#builder()}, which implements it, and what a metrics module reads. Not for
 * applications.
 */
public interface HubSpi {

  /** The endpoint of this hub with a transport's options; see {@link Endpoint#of}. */
  Endpoint endpoint(TransportOptions options);

  /** The replica side of this hub; see {@link Replica#of}. */
  Replica replica();

  /**
   * The hub's clock ({@link Hub.Builder#clock}), for modules that tell the age of what it holds.
   */
  Clock clock();

  /**
   * Adds a listener told, for every update a connection has written, the nanoseconds from its
   * publish to the end of that write, as a metrics module records them. It runs on the thread that
   * completed the write, often a transport's I/O thread, so it must return at once; writes are
   * timed only once a listener is added.
   */
  void onDelivery(LongConsumer listener);

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
