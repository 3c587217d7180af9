package io.github.wsproducer.bench;

import io.github.wsproducer.jakarta.HubFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;

/** Embedded Tomcat 11 serving a hub through the Jakarta transport, as a Spring Boot app would. */
final class TomcatServer implements AutoCloseable {
  private final Tomcat tomcat;

  private TomcatServer(Tomcat tomcat) {
    this.tomcat = tomcat;
  }

  static TomcatServer start(String host, int port, HubFilter filter) throws Exception {
    Path base = Files.createTempDirectory("bench-tomcat");
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    Connector connector = new Connector();
    connector.setPort(port);
    connector.setProperty("address", host);
    connector.setProperty("acceptCount", "4096");
    connector.setProperty("maxConnections", "100000");
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", base.toString());
    Tomcat.addServlet(
        context,
        "application",
        new HttpServlet() {
          private static final long serialVersionUID = 1L;

          @Override
          protected void service(HttpServletRequest request, HttpServletResponse response) {
            response.setStatus(404);
          }
        });
    context.addServletMapping("/", "application");
    context.addServletContainerInitializer(new WsSci(), null);
    context.addServletContainerInitializer((classes, ctx) -> filter.register(ctx), null);
    tomcat.start();
    return new TomcatServer(tomcat);
  }

  int port() {
    return tomcat.getConnector().getLocalPort();
  }

  @Override
  public void close() throws org.apache.catalina.LifecycleException {
    tomcat.stop();
    tomcat.destroy();
  }
}
