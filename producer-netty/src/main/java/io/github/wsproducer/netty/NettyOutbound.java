package io.github.wsproducer.netty;

import io.github.wsproducer.spi.Outbound;
import io.github.wsproducer.spi.TextFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * A connection as the hub writes to it. Without compression, each frame's {@link TextFrame#wire()
 * wire bytes}, shared by every connection, go to the socket as they are, all frames of one send in
 * one gathering write; with permessage-deflate each frame is compressed for this connection.
 *
 * <p>Writes run on the connection's event loop. A send is complete once its bytes are in Netty's
 * outbound buffer and that buffer is under its high water mark (the byte cap), or later, once it
 * drains below the low one: the hub goes on while the socket keeps up, and a client that stops
 * reading stops the hub's sends, so that the byte cap and the write timeout apply. A send from the
 * event loop itself (the hub draining after a completion) writes at once.
 */
final class NettyOutbound implements Outbound {
  private static final ByteBuffer PING =
      ByteBuffer.allocateDirect(2).put((byte) 0x89).put((byte) 0).flip().asReadOnlyBuffer();

  private final Channel channel;
  private final EventLoop loop;
  private final WebSocketHandler handler;
  private final boolean deflate;
  private SendCallback waiting; // only on the event loop

  NettyOutbound(Channel channel, WebSocketHandler handler, boolean deflate) {
    this.channel = channel;
    this.loop = channel.eventLoop();
    this.handler = handler;
    this.deflate = deflate;
  }

  @Override
  public void send(List<TextFrame> frames, SendCallback callback) {
    Object message = deflate ? compressible(frames) : wire(frames);
    if (loop.inEventLoop()) {
      write(message, callback);
      return;
    }
    try {
      loop.execute(() -> write(message, callback));
    } catch (RejectedExecutionException e) { // the server is closing
      callback.failed(e);
    }
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

  private static TextWebSocketFrame[] compressible(List<TextFrame> frames) {
    TextWebSocketFrame[] texts = new TextWebSocketFrame[frames.size()];
    for (int i = 0; i < texts.length; i++) {
      texts[i] = new TextWebSocketFrame(Unpooled.wrappedBuffer(frames.get(i).payload()));
    }
    return texts;
  }

  /**
   * On the event loop. The send completes before the flush: the hub learns that it may go on before
   * the client can have the bytes, and what it sends meanwhile joins the same flush. A failed write
   * reaches the pipeline, which closes the channel.
   */
  private void write(Object message, SendCallback callback) {
    if (message instanceof TextWebSocketFrame[] texts) {
      for (TextWebSocketFrame text : texts) {
        channel.write(text, channel.voidPromise());
      }
    } else {
      channel.write(message, channel.voidPromise());
    }
    if (!channel.isActive()) {
      callback.failed(new ClosedChannelException());
    } else if (channel.isWritable()) {
      callback.succeeded();
    } else {
      waiting = callback;
    }
    channel.flush();
  }

  /** On the event loop: completes the waiting send once the outbound buffer has drained. */
  void writabilityChanged() {
    SendCallback callback = waiting;
    if (callback != null && channel.isWritable()) {
      waiting = null;
      callback.succeeded();
    }
  }

  /** On the event loop: the channel closed, so a waiting send failed. */
  void closed() {
    SendCallback callback = waiting;
    if (callback != null) {
      waiting = null;
      callback.failed(new ClosedChannelException());
    }
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
