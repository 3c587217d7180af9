package io.github.wsproducer.jetty;

import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.testkit.TransportCompatibilityKit;
import java.net.URI;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The Jetty transport passes the whole transport compatibility kit. */
class JettyTransportKitIT extends TransportCompatibilityKit {

  @Override
  protected Served serve(Endpoint endpoint) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.setAcceptQueueSize(2048); // the kit connects 1,000 clients at once
    server.addConnector(connector);
    new HubWebSocket(endpoint).mount(server);
    server.start();
    return Served.of(URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/"), server::stop);
  }
}
