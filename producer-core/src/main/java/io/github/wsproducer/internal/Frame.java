package io.github.wsproducer.internal;

import io.github.wsproducer.spi.TextFrame;

/**
 * One frame as the hub queues it: shared by every connection it is sent to.
 *
 * @param topic the topic it belongs to, {@code null} for control frames (hello, error, ping)
 * @param text the encoded message
 */
record Frame(String topic, TextFrame text) {

  static Frame of(String topic, String text) {
    return new Frame(topic, TextFrame.of(text));
  }

  /** What the frame costs in a connection's byte cap. */
  int bytes() {
    return text.size();
  }
}
