package io.github.wsproducer.netty;

import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.testkit.TransportCompatibilityKit;

/** The Netty transport passes the whole transport compatibility kit. */
class NettyTransportKitIT extends TransportCompatibilityKit {

  @Override
  protected Served serve(Endpoint endpoint) {
    NettyServer server =
        new NettyServer.Builder(options -> endpoint).options(endpoint.options()).port(0).start();
    return Served.of(server.uri(), server::close);
  }
}
