package io.github.wsproducer.netty;

import io.github.wsproducer.spi.HttpConnections;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an HTTP connection may hold, kept first in its pipeline until it upgrades: its place among
 * its address's HTTP connections ({@link HttpConnections}), and the deadline by which a request
 * must have come whole, the handshake timeout from the connection's start or from the previous
 * response. The server's sweep closes a connection once {@link #overdue} says so.
 */
final class HttpGate extends ChannelDuplexHandler {
  private static final Logger log = LoggerFactory.getLogger(HttpGate.class);
  private static final long NONE = Long.MIN_VALUE;

  private final HttpConnections http;
  private final long timeoutNanos;
  private String counted; // the address this connection is counted under, or null
  // By when (System.nanoTime()) a whole request must have come, or NONE; read by the sweep.
  private volatile long deadline = NONE;

  HttpGate(HttpConnections http, long timeoutNanos) {
    this.http = http;
    this.timeoutNanos = timeoutNanos;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    String address =
        ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
    if (!http.open(address)) {
      log.debug("{}: too many HTTP connections from its address, closed", address);
      ctx.close();
      return;
    }
    counted = address;
    arm();
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof LastHttpContent) {
      deadline = NONE; // whole: the response comes from the hub's side
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof FullHttpResponse response && HttpUtil.isKeepAlive(response)) {
      arm(); // the next request's time starts
    }
    ctx.write(msg, promise);
  }

  /** Closed, or upgraded: no longer an HTTP connection of its address. */
  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (counted != null) {
      http.closed(counted);
      counted = null;
    }
  }

  /** Whether a request was awaited for longer than the handshake timeout. */
  boolean overdue(long now) {
    long by = deadline;
    return by != NONE && now - by >= 0;
  }

  private void arm() {
    deadline = System.nanoTime() + timeoutNanos;
  }
}
