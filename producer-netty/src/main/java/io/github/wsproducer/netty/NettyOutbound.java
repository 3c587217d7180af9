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
 * <p>Netty runs the write on the connection's event loop and counts its bytes in the channel's
 * outbound buffer at once. A send is complete as soon as that buffer is under its high water mark
 * (the byte cap), on the hub's own thread, so that no completion crosses threads while the socket
 * keeps up; otherwise once the buffer has drained below the low one. A client that stops reading
 * thus stops the hub's sends, and the byte cap and the write timeout apply.
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
    handler.wrote();
    if (deflate) {
      for (TextFrame frame : frames) {
        channel.write(
            new TextWebSocketFrame(Unpooled.wrappedBuffer(frame.payload())), channel.voidPromise());
      }
      channel.flush();
    } else {
      // A failed write reaches the pipeline, which closes the channel: see closed().
      channel.writeAndFlush(wire(frames), channel.voidPromise());
    }
    if (channel.isWritable()) {
      callback.succeeded();
      return;
    }
    waiting.set(callback);
    writabilityChanged(); // it may have drained meanwhile, before the event could see the callback
  }

  /** The frames' shared bytes as one buffer, for one gathering write. */
  private static ByteBuf wire(List<TextFrame> frames) {
    if (frames.size() == 1) {
      return Unpooled.wrappedBuffer(frames.get(0).wire());
    }
    ByteBuffer[] wires = new ByteBuffer[frames.size()];
    for (int i = 0; i < wires.length; i++) {
      wires[i] = frames.get(i).wire();
    }
    return Unpooled.wrappedBuffer(wires.length, wires);
  }

  /** Completes the waiting send once the outbound buffer has room; on any thread. */
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

  @Override
  public void ping() {
    handler.wrote();
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
