package io.github.wsproducer.screens;

import io.github.wsproducer.Hub;
import io.github.wsproducer.netty.NettyServer;
import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.spi.TransportOptions;
import io.github.wsproducer.testkit.TransportCompatibilityKit;

/** How the fleet's floods serve a hub on Netty, in a JVM of their own; not a test itself. */
class NettyServing extends TransportCompatibilityKit {
  @Override
  protected Served serve(Hub hub, TransportOptions options) {
    NettyServer server = NettyServer.builder(hub).options(options).port(0).start();
    return Served.of(server.uri(), server::close);
  }

  @Override
  protected Served serve(Endpoint endpoint) {
    throw new UnsupportedOperationException("serves a hub: the kit's scenarios are not run here");
  }
}
