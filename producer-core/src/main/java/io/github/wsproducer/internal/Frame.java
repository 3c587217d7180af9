package io.github.wsproducer.internal;

import java.nio.charset.StandardCharsets;

/**
 * One encoded text frame, shared by every connection it is sent to.
 *
 * @param topic the topic it belongs to, {@code null} for control frames (hello, error, ping)
 * @param text the frame
 * @param bytes its UTF-8 length, what it costs in a connection's byte cap
 */
record Frame(String topic, String text, int bytes) {

  static Frame of(String topic, String text) {
    return new Frame(topic, text, utf8Length(text));
  }

  private static int utf8Length(String s) {
    int n = s.length();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        return s.getBytes(StandardCharsets.UTF_8).length;
      }
    }
    return n;
  }
}
