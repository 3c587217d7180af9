package io.github.wsproducer.spi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One text message the hub sends, encoded once and shared by every connection it goes to.
 *
 * <p>A transport that frames messages itself sends {@link #payload()}, or {@link #text()} when its
 * API takes strings. One that writes bytes to the socket sends {@link #wire()}: the whole WebSocket
 * frame, header included, which is the same for every client because server frames are not masked
 * (RFC 6455, section 5.1). It is built on first use, once, off the heap so that a socket write does
 * not copy it. Thread-safe.
 */
public final class TextFrame {
  private final ByteBuffer utf8;
  private volatile ByteBuffer wire;
  private volatile String text;

  private TextFrame(ByteBuffer utf8) {
    this.utf8 = utf8;
  }

  /** A frame of {@code text}. */
  public static TextFrame of(String text) {
    return new TextFrame(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer());
  }

  /** The payload's size in bytes. */
  public int size() {
    return utf8.capacity();
  }

  /** The UTF-8 payload: a read-only view with its own position, for one send. */
  public ByteBuffer payload() {
    return utf8.duplicate();
  }

  /**
   * The payload as a string, for a transport whose API takes text (Jakarta WebSocket): decoded on
   * first use, once, and shared.
   */
  public String text() {
    String t = text;
    if (t == null) {
      text = t = StandardCharsets.UTF_8.decode(utf8.duplicate()).toString();
    }
    return t;
  }

  /**
   * The whole frame (FIN, text opcode, unmasked length, payload): a read-only view with its own
   * position, for one send.
   */
  public ByteBuffer wire() {
    ByteBuffer w = wire;
    if (w == null) {
      // Two threads may both encode it; they build the same bytes, and one of them is kept.
      wire = w = encode(utf8.duplicate());
    }
    return w.duplicate();
  }

  private static ByteBuffer encode(ByteBuffer payload) {
    int n = payload.remaining();
    int header = n < 126 ? 2 : n < 65_536 ? 4 : 10;
    ByteBuffer frame = ByteBuffer.allocateDirect(header + n);
    frame.put((byte) 0x81); // FIN, text
    if (n < 126) {
      frame.put((byte) n);
    } else if (n < 65_536) {
      frame.put((byte) 126).putShort((short) n);
    } else {
      frame.put((byte) 127).putLong(n);
    }
    frame.put(payload).flip();
    return frame.asReadOnlyBuffer();
  }

  @Override
  public String toString() {
    return StandardCharsets.UTF_8.decode(payload()).toString();
  }
}
