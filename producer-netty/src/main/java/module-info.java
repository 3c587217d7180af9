/**
 * Serves a wsproducer hub over Netty 4.2: each update's WebSocket frame is encoded once and the
 * same bytes are written to every connection.
 */
module io.github.wsproducer.netty {
  requires transitive io.github.wsproducer;
  requires io.netty.buffer;
  requires io.netty.common;
  requires io.netty.transport;
  requires io.netty.transport.classes.epoll;
  requires io.netty.codec;
  requires io.netty.codec.http;
  requires org.slf4j;

  exports io.github.wsproducer.netty;
}
