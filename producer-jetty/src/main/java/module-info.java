/** Serves a wsproducer hub over Jetty 12 WebSockets. */
module io.github.wsproducer.jetty {
  requires transitive io.github.wsproducer;
  requires transitive org.eclipse.jetty.server;
  requires org.eclipse.jetty.websocket.server;
  requires transitive org.eclipse.jetty.websocket.api;
  requires org.slf4j;

  exports io.github.wsproducer.jetty;
  // Not API: Jetty calls WebSocket endpoints through MethodHandles.publicLookup(), which only
  // reaches public classes of unconditionally exported packages.
  exports io.github.wsproducer.jetty.internal;
}
