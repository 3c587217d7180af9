package io.github.wsproducer.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A bare Netty 4.2 broadcast loop, no library: each update's whole WebSocket frame is encoded once
 * and the same bytes are written to every channel; a new client gets the latest. The floor of the
 * Netty transport's design.
 */
final class BareNetty implements AutoCloseable {
  private final EventLoopGroup group;
  private final Channel listener;
  private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final AtomicReference<byte[]> latest = new AtomicReference<>();

  private BareNetty(EventLoopGroup group, String host, int port) {
    this.group = group;
    boolean epoll = Epoll.isAvailable();
    this.listener =
        new ServerBootstrap()
            .group(group)
            .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 4096)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(8192))
                        .addLast(new WebSocketServerProtocolHandler("/load"))
                        .addLast(new Joiner());
                  }
                })
            .bind(host, port)
            .syncUninterruptibly()
            .channel();
  }

  static BareNetty start(String host, int port) {
    boolean epoll = Epoll.isAvailable();
    return new BareNetty(
        new MultiThreadIoEventLoopGroup(
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory()),
        host,
        port);
  }

  int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** Encodes the frame once and writes a view of it to every client. */
  void broadcast(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    int n = payload.length;
    ByteBuf frame = Unpooled.directBuffer(n + 10);
    frame.writeByte(0x81);
    if (n < 126) {
      frame.writeByte(n);
    } else if (n < 65_536) {
      frame.writeByte(126).writeShort(n);
    } else {
      frame.writeByte(127).writeLong(n);
    }
    frame.writeBytes(payload);
    latest.set(ByteBufUtil.getBytes(frame));
    clients.writeAndFlush(frame); // a retained duplicate per channel; releases the frame
  }

  @Override
  public void close() {
    listener.close().syncUninterruptibly();
    clients.close().syncUninterruptibly();
    group.shutdownGracefully().syncUninterruptibly();
  }

  /** Adds a client once its handshake is done and sends it the latest frame. */
  private final class Joiner extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
      if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
        clients.add(ctx.channel());
        byte[] frame = latest.get();
        if (frame != null) {
          ctx.writeAndFlush(Unpooled.wrappedBuffer(frame));
        }
      }
      super.userEventTriggered(ctx, event);
    }
  }
}
