package io.github.wsproducer.jakarta;

import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.testkit.TransportCompatibilityKit;
import java.net.URI;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;

/** The Jakarta transport on Jetty 12's Jakarta container passes the whole compatibility kit. */
class JettyJakartaKitIT extends TransportCompatibilityKit {

  /** The container bounds only the time between reads: see docs/transports.md. */
  @Override
  protected boolean boundsWholeRequests() {
    return false;
  }

  /** A filter sees requests only: the container's connection limit applies. */
  @Override
  protected boolean seesConnections() {
    return false;
  }

  @Override
  protected Served serve(Endpoint endpoint) throws Exception {
    Server server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false); // no server name or version in any response
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.setAcceptQueueSize(2048); // the kit connects 1,000 clients at once
    // The handshake timeout is the container's: Jetty's idle timeout until the upgrade.
    connector.setIdleTimeout(endpoint.options().handshakeTimeout().toMillis());
    if (endpoint.options().sendBufferSize() > 0) {
      connector.setAcceptedSendBufferSize(endpoint.options().sendBufferSize());
    }
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    HubFilter filter = new HubFilter(endpoint);
    JakartaWebSocketServletContainerInitializer.configure(
        context, (servletContext, container) -> filter.register(servletContext));
    server.setHandler(context);
    // Jetty closes its WebSockets before it stops the context: the filter closes them first.
    server.addEventListener(
        new LifeCycle.Listener() {
          @Override
          public void lifeCycleStopping(LifeCycle event) {
            filter.close();
          }
        });
    server.start();
    return Served.of(URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/"), server::stop);
  }
}
