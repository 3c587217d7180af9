package io.github.wsproducer.spi;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Exponential backoff with full jitter, for every retry loop of the library: after the n-th failure
 * in a row the wait is drawn uniformly from {@code [0, min(cap, base × 2^(n-1))]}, so that many
 * screens, sources or nodes that failed together do not retry together. {@link #reset()} after a
 * success. Owned by one retry loop; not thread-safe.
 */
public final class Backoff {
  private final long baseNanos;
  private final long capNanos;
  private int failures;

  /**
   * @param base the bound of the first wait
   * @param cap the largest bound
   */
  public Backoff(Duration base, Duration cap) {
    this.baseNanos = base.toNanos();
    this.capNanos = Math.max(baseNanos, cap.toNanos());
  }

  /** Counts a failure and returns how long to wait before the next attempt. */
  public Duration next() {
    failures++;
    long bound = baseNanos << Math.min(failures - 1, 30);
    if (bound <= 0 || bound > capNanos) {
      bound = capNanos;
    }
    return Duration.ofNanos(ThreadLocalRandom.current().nextLong(bound + 1));
  }

  /**
   * For a retry loop on a thread of its own: counts a failure and sleeps its wait, or less if
   * {@code closed} opens meanwhile. An interrupt opens {@code closed}, which ends the loop.
   */
  public void pause(CountDownLatch closed) {
    try {
      closed.await(next().toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed.countDown();
    }
  }

  /** The failures in a row so far. */
  public int failures() {
    return failures;
  }

  /** After a success: the next failure waits at most {@code base} again. */
  public void reset() {
    failures = 0;
  }
}
