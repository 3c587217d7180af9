package io.github.wsproducer.internal;

import io.github.wsproducer.spi.TextFrame;

/**
 * One frame as the hub queues it: shared by every connection it is sent to.
 *
 * @param topic the topic it belongs to, {@code null} for control frames (hello, error, ping)
 * @param text the encoded message
 * @param publishedAt for an update, the {@link System#nanoTime()} at which its value was published,
 *     so that its delivery can be timed; 0 for every other frame
 */
record Frame(String topic, TextFrame text, long publishedAt) {

  static Frame of(String topic, String text) {
    return new Frame(topic, TextFrame.of(text), 0);
  }

  /** What the frame costs in a connection's byte cap. */
  int bytes() {
    return text.size();
  }

  /** This frame without its publish time: it is resent, and its delay is not the hub's. */
  Frame unstamped() {
    return publishedAt == 0 ? this : new Frame(topic, text, 0);
  }
}
