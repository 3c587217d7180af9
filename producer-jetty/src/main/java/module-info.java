/** Serves a wsproducer hub over Jetty 12 WebSockets. */
module io.github.wsproducer.jetty {
  requires transitive io.github.wsproducer;
  requires transitive org.eclipse.jetty.server;
  requires org.eclipse.jetty.websocket.server;
  requires org.eclipse.jetty.websocket.common;
  requires org.eclipse.jetty.websocket.core.common;
  requires org.eclipse.jetty.util;
  requires transitive org.eclipse.jetty.websocket.api;
  requires org.slf4j;

  exports io.github.wsproducer.jetty;
  // Not API: Jetty calls WebSocket endpoints through MethodHandles.publicLookup(), which only
  // reaches public classes of unconditionally exported packages.
  exports io.github.wsproducer.jetty.internal;
}
