package io.github.wsproducer.netty;

import io.github.wsproducer.spi.Outbound;
import io.github.wsproducer.spi.TextFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;

/**
 * A connection as the hub writes to it. Without compression, each frame's {@link TextFrame#wire()
 * wire bytes}, shared by every connection, go to the socket as they are; with permessage-deflate
 * each frame is compressed for this connection.
 *
 * <p>Sends queue here and one task on the connection's event loop writes all that queued and
 * flushes once: under load, many frames go out in one gathering write instead of one system call
 * each. A send is complete as soon as what waits (here and in Netty's outbound buffer) is under the
 * byte cap, on the hub's own thread, so that no completion crosses threads while the socket keeps
 * up; otherwise once the event loop has written and the buffer has drained. A client that stops
 * reading thus stops the hub's sends, and the byte cap and the write timeout apply.
 */
final class NettyOutbound implements Outbound {
  // Never released: each ping writes a retained duplicate, one object, which the write releases.
  private static final ByteBuf PING = Unpooled.directBuffer(2).writeByte(0x89).writeByte(0);

  private final Channel channel;
  private final NettyConnection handler;
  private final boolean deflate;
  private final Queue<Object> queued = new ConcurrentLinkedQueue<>();
  private final Runnable flush = this::flushQueued;
  // Updated through the handles below rather than as atomic objects: thousands of idle
  // connections each keep one of these.
  private volatile long queuedBytes;
  private volatile boolean flushing;
  private volatile SendCallback waiting;

  private static final VarHandle QUEUED_BYTES;
  private static final VarHandle FLUSHING;
  private static final VarHandle WAITING;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      QUEUED_BYTES = lookup.findVarHandle(NettyOutbound.class, "queuedBytes", long.class);
      FLUSHING = lookup.findVarHandle(NettyOutbound.class, "flushing", boolean.class);
      WAITING = lookup.findVarHandle(NettyOutbound.class, "waiting", SendCallback.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  NettyOutbound(Channel channel, NettyConnection handler, boolean deflate) {
    this.channel = channel;
    this.handler = handler;
    this.deflate = deflate;
  }

  @Override
  public void send(List<TextFrame> frames, SendCallback callback) {
    long bytes = 0;
    for (TextFrame frame : frames) {
      Object message =
          deflate
              ? new TextWebSocketFrame(Unpooled.wrappedBuffer(frame.payload()))
              : Unpooled.wrappedBuffer(frame.wire());
      queued.add(message);
      bytes += size(message);
    }
    flushSoon(bytes, callback);
  }

  @Override
  public void sendBinary(ByteBuffer payload, SendCallback callback) {
    BinaryWebSocketFrame message = new BinaryWebSocketFrame(Unpooled.wrappedBuffer(payload));
    queued.add(message);
    flushSoon(size(message), callback);
  }

  /**
   * Schedules a flush of what is queued, unless one is pending, then completes if there is room.
   */
  private void flushSoon(long bytes, SendCallback callback) {
    handler.wrote();
    QUEUED_BYTES.getAndAdd(this, bytes);
    waiting = callback;
    if (FLUSHING.compareAndSet(this, false, true)) {
      try {
        channel.eventLoop().execute(flush);
      } catch (RejectedExecutionException e) { // the server is closing
        closed();
        return;
      }
    }
    completeIfRoom();
  }

  /** On the event loop: writes everything queued, flushes once, then completes if there is room. */
  void flushQueued() {
    flushing = false; // a send from now on schedules another flush
    long bytes = 0;
    for (Object message; (message = queued.poll()) != null; ) {
      bytes += size(message);
      // A failed write reaches the pipeline, which closes the channel: see closed().
      channel.write(message, channel.voidPromise());
    }
    QUEUED_BYTES.getAndAdd(this, -bytes);
    channel.flush();
    completeIfRoom();
  }

  private static int size(Object message) {
    return message instanceof ByteBufHolder frame
        ? frame.content().readableBytes()
        : ((ByteBuf) message).readableBytes();
  }

  /**
   * Completes the waiting send if what is queued and what Netty buffers is under the byte cap (the
   * channel's high water mark); on any thread.
   */
  void completeIfRoom() {
    if (channel.isWritable() && queuedBytes < channel.bytesBeforeUnwritable()) {
      SendCallback callback = (SendCallback) WAITING.getAndSet(this, null);
      if (callback != null) {
        callback.succeeded();
      }
    }
  }

  /** The channel closed: what is queued is dropped and a waiting send failed. */
  void closed() {
    for (Object message; (message = queued.poll()) != null; ) {
      ReferenceCountUtil.release(message);
    }
    SendCallback callback = (SendCallback) WAITING.getAndSet(this, null);
    if (callback != null) {
      callback.failed(new ClosedChannelException());
    }
  }

  @Override
  public void ping() {
    handler.wrote();
    channel.writeAndFlush(PING.retainedDuplicate(), channel.voidPromise());
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
