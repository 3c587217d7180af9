package io.github.wsproducer.bench;

import io.github.wsproducer.jakarta.HubFilter;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;

/**
 * Embedded Tomcat 11 serving a hub through the Jakarta transport, as a Spring Boot app would, or
 * the plain Tomcat loop the transport is measured against. A system property {@code
 * bench.tomcat.NAME} sets the connector's property {@code NAME}, for trying Tomcat's settings (such
 * as {@code -Dbench.tomcat.socket.appReadBufSize=1024}).
 */
final class TomcatServer implements AutoCloseable {
  private final Tomcat tomcat;

  private TomcatServer(Tomcat tomcat) {
    this.tomcat = tomcat;
  }

  /** Tomcat serving {@code filter}'s hub. */
  static TomcatServer start(String host, int port, HubFilter filter) throws Exception {
    return start(host, port, ctx -> filter.register(ctx));
  }

  /**
   * Tomcat's own WebSocket API at {@code /load}, without the library: each new session gets the
   * latest update, and {@link PlainLoop#broadcast} sends every session the same text, one send in
   * flight per session and the rest queued, as the plain Jetty loop does with Jetty's API.
   */
  static TomcatServer plain(String host, int port, PlainLoop loop) throws Exception {
    return start(
        host,
        port,
        ctx -> {
          ServerContainer container =
              (ServerContainer) ctx.getAttribute(ServerContainer.class.getName());
          try {
            container.addEndpoint(
                ServerEndpointConfig.Builder.create(PlainLoop.Socket.class, "/load")
                    .configurator(
                        new ServerEndpointConfig.Configurator() {
                          @Override
                          public <T> T getEndpointInstance(Class<T> type) {
                            return type.cast(loop.new Socket());
                          }
                        })
                    .build());
          } catch (DeploymentException e) {
            throw new ServletException(e);
          }
        });
  }

  private interface Setup {
    void onStartup(ServletContext context) throws ServletException;
  }

  private static TomcatServer start(String host, int port, Setup setup) throws Exception {
    Path base = Files.createTempDirectory("bench-tomcat");
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    Connector connector = new Connector();
    connector.setPort(port);
    connector.setProperty("address", host);
    connector.setProperty("acceptCount", "4096");
    connector.setProperty("maxConnections", "100000");
    String prefix = "bench.tomcat.";
    System.getProperties().stringPropertyNames().stream()
        .filter(k -> k.startsWith(prefix))
        .forEach(k -> connector.setProperty(k.substring(prefix.length()), System.getProperty(k)));
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
    context.addServletContainerInitializer((classes, ctx) -> setup.onStartup(ctx), null);
    tomcat.start();
    return new TomcatServer(tomcat);
  }

  /** The plain loop's sessions and the latest update. */
  static final class PlainLoop {
    private final Set<Sender> senders = ConcurrentHashMap.newKeySet();
    private volatile String latest;

    void broadcast(String text) {
      latest = text;
      for (Sender s : senders) {
        if (!s.send(text)) {
          senders.remove(s);
        }
      }
    }

    /** One session's sends: one in flight, the rest queued in order. */
    private static final class Sender implements SendHandler {
      private final Session session;
      private final ArrayDeque<String> queue = new ArrayDeque<>();
      private boolean sending; // guarded by this

      Sender(Session session) {
        this.session = session;
      }

      /** False once the session has closed, which Tomcat tells before {@code onClose}. */
      boolean send(String text) {
        synchronized (this) {
          if (sending) {
            queue.add(text);
            return true;
          }
          sending = true;
        }
        try {
          session.getAsyncRemote().sendText(text, this);
          return true;
        } catch (IllegalStateException closed) {
          return false;
        }
      }

      @Override
      public void onResult(SendResult result) {
        String next;
        synchronized (this) {
          next = result.isOK() ? queue.poll() : null;
          if (next == null) {
            sending = false;
            return;
          }
        }
        try {
          session.getAsyncRemote().sendText(next, this);
        } catch (IllegalStateException closed) {
          // onClose removes the sender
        }
      }
    }

    /** The endpoint of one session. */
    final class Socket extends Endpoint {
      private Sender sender;

      @Override
      public void onOpen(Session session, EndpointConfig config) {
        sender = new Sender(session);
        senders.add(sender);
        String now = latest;
        if (now != null) {
          sender.send(now);
        }
      }

      @Override
      public void onClose(Session session, CloseReason reason) {
        senders.remove(sender);
      }
    }
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
