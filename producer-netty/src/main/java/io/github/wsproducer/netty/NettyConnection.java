package io.github.wsproducer.netty;

import io.github.wsproducer.protocol.CloseCode;
import io.github.wsproducer.spi.Inbound;
import io.github.wsproducer.spi.Outbound;
import io.github.wsproducer.spi.TransportOptions;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upgraded connection: the client's frames go to the hub's {@link Inbound}, the hub's to the
 * socket through {@link #outbound}. Netty calls it on the connection's event loop.
 */
final class NettyConnection extends SimpleChannelInboundHandler<WebSocketFrame> {
  private static final Logger log = LoggerFactory.getLogger(NettyConnection.class);

  /** How long a close handshake may take before the socket is closed anyway. */
  private static final long CLOSE_WAIT_MILLIS = 5_000;

  /** Its name in the pipeline. */
  static final String NAME = "wsproducer";

  private final TransportOptions options;
  private Channel channel;
  private NettyOutbound outbound;
  private Inbound inbound;
  private boolean closeSent; // only on the event loop
  private volatile long lastTraffic = System.nanoTime();

  NettyConnection(TransportOptions options) {
    this.options = options;
  }

  /** Called once the handshake is written: from now on, frames go to {@code inbound}. */
  void open(Channel channel, Inbound inbound) {
    this.channel = channel;
    this.inbound = inbound;
    // Text that is not UTF-8 closes with 1007: the handshaker's decoder does not check it.
    channel.pipeline().addBefore(NAME, "utf8", new Utf8FrameValidator(false));
    if (!channel.isActive()) {
      inbound.onClosed();
    }
  }

  /** The hub's side of this connection. */
  Outbound outbound(Channel channel) {
    outbound = new NettyOutbound(channel, this, options.deflate());
    return outbound;
  }

  /** Something was written: the connection is not idle. */
  void wrote() {
    lastTraffic = System.nanoTime();
  }

  /** Whether nothing went either way for the idle timeout. */
  boolean idle(long now) {
    return now - lastTraffic >= options.idleTimeout().toNanos();
  }

  /** Whether the hub has this connection. */
  boolean isOpen() {
    return inbound != null;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    lastTraffic = System.nanoTime();
    if (!frame.isFinalFragment()) {
      // The first fragmented message, which few clients send: from now on, messages are joined up
      // to the message size, and larger ones close with 1009. This frame starts the first.
      ctx.pipeline()
          .addBefore(
              NAME, "aggregator", new WebSocketFrameAggregator((int) options.maxMessageSize()));
      ctx.pipeline().context("utf8").fireChannelRead(frame.retain());
    } else if (frame instanceof TextWebSocketFrame text) {
      inbound.onText(text.text());
    } else if (frame instanceof BinaryWebSocketFrame) {
      inbound.onBinary(frame.content().nioBuffer());
    } else if (frame instanceof PingWebSocketFrame) {
      if (ctx.channel().isWritable()) {
        ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
      } else {
        // A peer that sends pings and does not read the pongs: answer none, and read nothing
        // more until it reads, so that it cannot make the server queue pongs without end.
        ctx.channel().config().setAutoRead(false);
      }
    } else if (frame instanceof PongWebSocketFrame) {
      inbound.onPong();
    } else if (frame instanceof CloseWebSocketFrame close) {
      if (closeSent) {
        ctx.close();
      } else {
        closeSent = true;
        int code = close.statusCode();
        ctx.writeAndFlush(code < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, ""))
            .addListener(ChannelFutureListener.CLOSE);
      }
    }
  }

  /**
   * Starts a closing handshake, from any thread: the socket is closed when the client answers, or
   * after 5 s.
   */
  void closeWith(int code, String reason) {
    if (!channel.eventLoop().inEventLoop()) {
      channel.eventLoop().execute(() -> closeWith(code, reason));
      return;
    }
    if (closeSent || !channel.isActive()) {
      return;
    }
    closeSent = true;
    if (outbound != null) {
      outbound.flushQueued(); // what the hub sent before closing goes first: errors it owed
    }
    channel.writeAndFlush(new CloseWebSocketFrame(code, reason));
    channel.eventLoop().schedule(() -> channel.close(), CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (outbound != null) {
      outbound.completeIfRoom();
    }
    if (inbound != null && ctx.channel().isWritable()) {
      ctx.channel().config().setAutoRead(true); // after a ping flood, see channelRead0
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (outbound != null) {
      outbound.closed();
    }
    if (inbound != null) {
      inbound.onClosed();
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException) { // a fragmented message over the size
      closeWith(CloseCode.MESSAGE_TOO_BIG.code(), CloseCode.MESSAGE_TOO_BIG.reason());
    } else if (cause instanceof CorruptedWebSocketFrameException corrupted) {
      // A frame that breaks the protocol fails the connection, with the code the decoder chose;
      // what the hub sent before it goes out first, as it would have without the bad frame.
      if (outbound != null) {
        outbound.flushQueued();
      }
      closeSent = true;
      ctx.writeAndFlush(new CloseWebSocketFrame(corrupted.closeStatus()))
          .addListener(ChannelFutureListener.CLOSE);
    } else {
      log.debug("WebSocket connection dropped", cause);
      ctx.close();
    }
  }
}
