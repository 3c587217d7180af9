package io.github.wsproducer.spring;

import io.github.wsproducer.jakarta.HubFilter;
import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;
import org.springframework.context.SmartLifecycle;
import org.springframework.web.context.ServletContextAware;

/**
 * Checks at startup that the servlet container has WebSocket support, and at shutdown closes the
 * sockets with 1012 and a reconnect hint. Its phase is the last to start and the first to stop:
 * after the web server has started, before its graceful shutdown, which would otherwise wait on the
 * sockets or cut them with 1001.
 */
final class HubLifecycle implements SmartLifecycle, ServletContextAware {
  private final HubFilter filter;
  private ServletContext context;
  private volatile boolean running;

  HubLifecycle(HubFilter filter) {
    this.filter = filter;
  }

  @Override
  public void setServletContext(ServletContext context) {
    this.context = context;
  }

  @Override
  public void start() {
    if (context != null
        && !(context.getAttribute(ServerContainer.class.getName()) instanceof ServerContainer)) {
      throw new IllegalStateException(
          "wsproducer: the servlet container has no WebSocket support; add its WebSocket module"
              + " (org.apache.tomcat.embed:tomcat-embed-websocket for Tomcat,"
              + " org.eclipse.jetty.ee11.websocket:jetty-ee11-websocket-jakarta-server for Jetty)");
    }
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    filter.close();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return DEFAULT_PHASE;
  }
}
