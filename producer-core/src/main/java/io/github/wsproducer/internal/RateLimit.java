package io.github.wsproducer.internal;

/**
 * At most {@code max} events per window of {@code windowMillis}, counted in fixed windows that
 * start with the first event after the last one ended. Cheap enough for every client message. Not
 * thread-safe: the caller guards it.
 */
final class RateLimit {
  private final int max;
  private final long windowMillis;
  private long windowStart = Long.MIN_VALUE;
  private int count;

  RateLimit(int max, long windowMillis) {
    this.max = max;
    this.windowMillis = windowMillis;
  }

  /** Counts an event at {@code now}; whether it is within the limit. */
  boolean allow(long now) {
    roll(now);
    return ++count <= max;
  }

  /** Whether the limit is reached at {@code now}, without counting. */
  boolean reached(long now) {
    roll(now);
    return count >= max;
  }

  /** Uncounts an event of this window, which turned out not to be one that the limit is for. */
  void giveBack() {
    if (count > 0) {
      count--;
    }
  }

  private void roll(long now) {
    if (windowStart == Long.MIN_VALUE || now - windowStart >= windowMillis) {
      windowStart = now;
      count = 0;
    }
  }
}
