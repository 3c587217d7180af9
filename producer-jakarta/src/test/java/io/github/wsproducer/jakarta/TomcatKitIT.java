package io.github.wsproducer.jakarta;

import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.spi.TransportOptions;
import io.github.wsproducer.testkit.TransportCompatibilityKit;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.server.ServerContainer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;
import org.apache.tomcat.websocket.server.WsServerContainer;

/** The Jakarta transport on embedded Tomcat 11 passes the whole transport compatibility kit. */
class TomcatKitIT extends TransportCompatibilityKit {

  /** Tomcat serving {@code filter} at the root of its one context. */
  static Tomcat start(HubFilter filter, TransportOptions options) throws Exception {
    Path base = Files.createTempDirectory("tomcat");
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    // The handshake timeout is the container's: Tomcat's connectionTimeout.
    connector.setProperty(
        "connectionTimeout", Long.toString(options.handshakeTimeout().toMillis()));
    if (options.sendBufferSize() > 0) {
      connector.setProperty("socket.txBufSize", Integer.toString(options.sendBufferSize()));
    }
    connector.setProperty("acceptCount", "2048"); // the kit connects 1,000 clients at once
    connector.setProperty("maxConnections", "20000");
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", base.toString());
    Tomcat.addServlet(
        context,
        "application",
        new HttpServlet() {
          private static final long serialVersionUID = 1L;

          @Override
          protected void service(HttpServletRequest request, HttpServletResponse response) {
            response.setStatus(404); // the application: nothing here
          }
        });
    context.addServletMapping("/", "application");
    context.addServletContainerInitializer(new WsSci(), null);
    context.addServletContainerInitializer(
        (classes, servletContext) -> filter.register(servletContext), null);
    tomcat.start();
    // Tomcat checks idle timeouts in a background task, every 10 s by default.
    ((WsServerContainer) context.getServletContext().getAttribute(ServerContainer.class.getName()))
        .setProcessPeriod(1);
    return tomcat;
  }

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
    Tomcat tomcat = start(new HubFilter(endpoint), endpoint.options());
    int port = tomcat.getConnector().getLocalPort();
    return Served.of(
        URI.create("ws://127.0.0.1:" + port + "/"),
        () -> {
          tomcat.stop();
          tomcat.destroy();
        });
  }
}
