package io.github.wsproducer.jetty;

import io.github.wsproducer.Hub;
import io.github.wsproducer.spi.TransportOptions;
import io.github.wsproducer.testkit.TransportCompatibilityKit;
import java.net.URI;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The Jetty transport passes the whole transport compatibility kit. */
class JettyTransportKitIT extends TransportCompatibilityKit {

  @Override
  protected Served serve(Hub hub, TransportOptions options) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.setAcceptQueueSize(2048); // the kit connects 1,000 clients at once
    server.addConnector(connector);
    HubWebSocket.builder(hub).options(options).build().mount(server);
    server.start();
    return Served.of(URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/"), server::stop);
  }
}
