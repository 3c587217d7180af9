package io.github.wsproducer.netty;

import io.github.wsproducer.Hub;
import io.github.wsproducer.spi.TransportOptions;
import io.github.wsproducer.testkit.TransportCompatibilityKit;

/** The Netty transport passes the whole transport compatibility kit. */
class NettyTransportKitIT extends TransportCompatibilityKit {

  @Override
  protected Served serve(Hub hub, TransportOptions options) {
    NettyServer server = NettyServer.builder(hub).options(options).port(0).start();
    return Served.of(server.uri(), server::close);
  }
}
