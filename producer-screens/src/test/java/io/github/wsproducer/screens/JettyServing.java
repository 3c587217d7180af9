package io.github.wsproducer.screens;

import io.github.wsproducer.Hub;
import io.github.wsproducer.jetty.HubWebSocket;
import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.spi.TransportOptions;
import io.github.wsproducer.testkit.TransportCompatibilityKit;
import java.net.InetSocketAddress;
import java.net.URI;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** How the fleet's floods serve a hub on Jetty, in a JVM of their own; not a test itself. */
class JettyServing extends TransportCompatibilityKit {
  @Override
  protected Served serve(Hub hub, TransportOptions options) throws Exception {
    Server server = new Server(new InetSocketAddress("127.0.0.1", 0));
    HubWebSocket.builder(hub).options(options).build().mount(server);
    server.start();
    int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    return Served.of(URI.create("ws://127.0.0.1:" + port + "/"), server::stop);
  }

  @Override
  protected Served serve(Endpoint endpoint) {
    throw new UnsupportedOperationException("serves a hub: the kit's scenarios are not run here");
  }
}
