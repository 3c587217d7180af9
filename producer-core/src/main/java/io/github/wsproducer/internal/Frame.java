package io.github.wsproducer.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One text frame, encoded to UTF-8 once and shared by every connection it is sent to.
 *
 * @param topic the topic it belongs to, {@code null} for control frames (hello, error, ping)
 * @param utf8 the frame's bytes, read-only; connections send {@link #payload() views} of it
 */
record Frame(String topic, ByteBuffer utf8) {

  static Frame of(String topic, String text) {
    return new Frame(
        topic, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer());
  }

  /** What the frame costs in a connection's byte cap. */
  int bytes() {
    return utf8.capacity();
  }

  /** A view of the bytes with its own position, for one send. */
  ByteBuffer payload() {
    return utf8.duplicate();
  }
}
