package io.github.wsproducer.bench;

/**
 * The benchmark's update, the same for every system: {@code {"n":<counter>,"ts":<nanoTime at
 * publish>,"pad":"xx..."}} padded to a total size. The load client reads {@code n} to find gaps and
 * {@code ts} for latency (same host, monotonic clock), see {@link LoadClient#field}.
 */
final class Payload {
  private Payload() {}

  /** The padding that brings an update to about {@code bytes}. */
  static String padding(int bytes) {
    int overhead = "{\"n\":1000000,\"ts\":1000000000000000,\"pad\":\"\"}".length();
    return "x".repeat(Math.max(0, bytes - overhead));
  }

  static String json(long n, long ts, String padding) {
    return "{\"n\":" + n + ",\"ts\":" + ts + ",\"pad\":\"" + padding + "\"}";
  }
}
