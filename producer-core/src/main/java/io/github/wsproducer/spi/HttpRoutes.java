package io.github.wsproducer.spi;

import java.util.List;

/**
 * A source with HTTP endpoints: a hub that is given the source ({@link
 * io.github.wsproducer.Hub.Builder#source}) serves its {@link #httpRoutes()} on every transport.
 * The screen kit's {@code Screens} offers the fleet's endpoints so.
 */
public interface HttpRoutes {

  /** The routes, asked once when the hub is built. */
  List<HttpRoute> httpRoutes();
}
