package io.github.wsproducer.netty;

import io.github.wsproducer.spi.Outbound;
import io.github.wsproducer.spi.TextFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A connection as the hub writes to it. Without compression, each frame's {@link TextFrame#wire()
 * wire bytes}, shared by every connection, go to the socket as they are, all frames of one send in
 * one gathering write; with permessage-deflate each frame is compressed for this connection.
 *
 * <p>Writes are handed to the connection's event loop. A send is complete as soon as Netty's
 * outbound buffer is below its high water mark (64 KiB), or once it drains below the low one: the
 * hub goes on queuing while the socket keeps up, and a client that stops reading stops its sends,
 * so that the hub's byte cap and write timeout apply. The hub has one send in flight at a time.
 */
final class NettyOutbound implements Outbound {
  private static final ByteBuffer PING =
      ByteBuffer.allocateDirect(2).put((byte) 0x89).put((byte) 0).flip().asReadOnlyBuffer();

  private final Channel channel;
  private final WebSocketHandler handler;
  private final boolean deflate;
  private final AtomicReference<SendCallback> waiting = new AtomicReference<>();

  NettyOutbound(Channel channel, WebSocketHandler handler, boolean deflate) {
    this.channel = channel;
    this.handler = handler;
    this.deflate = deflate;
  }

  @Override
  public void send(List<TextFrame> frames, SendCallback callback) {
    waiting.set(callback);
    int last = frames.size() - 1;
    if (deflate) {
      for (int i = 0; i < last; i++) {
        channel.write(compressible(frames.get(i)), channel.voidPromise());
      }
      channel.writeAndFlush(compressible(frames.get(last)), channel.voidPromise());
      writabilityChanged();
      return;
    }
    ByteBuf bytes;
    if (last == 0) {
      bytes = Unpooled.wrappedBuffer(frames.get(0).wire());
    } else {
      ByteBuffer[] wires = new ByteBuffer[last + 1];
      for (int i = 0; i <= last; i++) {
        wires[i] = frames.get(i).wire();
      }
      bytes = Unpooled.wrappedBuffer(wires.length, wires);
    }
    // A failed write reaches the pipeline, which closes the channel: see closed().
    channel.writeAndFlush(bytes, channel.voidPromise());
    writabilityChanged();
  }

  /** Completes the waiting send if there is room in the outbound buffer; on any thread. */
  void writabilityChanged() {
    if (channel.isWritable()) {
      SendCallback callback = waiting.getAndSet(null);
      if (callback != null) {
        callback.succeeded();
      }
    }
  }

  /** The channel closed: a waiting send failed. */
  void closed() {
    SendCallback callback = waiting.getAndSet(null);
    if (callback != null) {
      callback.failed(new ClosedChannelException());
    }
  }

  private static TextWebSocketFrame compressible(TextFrame frame) {
    return new TextWebSocketFrame(Unpooled.wrappedBuffer(frame.payload()));
  }

  @Override
  public void ping() {
    channel.writeAndFlush(Unpooled.wrappedBuffer(PING.duplicate()), channel.voidPromise());
  }

  @Override
  public void close(int code, String reason) {
    handler.closeWith(code, reason);
  }

  @Override
  public void abort() {
    channel.close();
  }

  @Override
  public String describe() {
    return String.valueOf(channel.remoteAddress());
  }
}
