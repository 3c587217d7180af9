package io.github.wsproducer.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final long[] BOUNDS = {100, 200, 400, 800, 1000, 1000};

  private static Backoff backoff() {
    return new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
  }

  @Test
  void theNthWaitIsSpreadUnderABoundThatDoublesUpToTheCap() {
    for (int n = 0; n < BOUNDS.length; n++) {
      Set<Long> seen = new HashSet<>();
      for (int sample = 0; sample < 200; sample++) {
        Backoff backoff = backoff();
        for (int i = 0; i < n; i++) {
          backoff.next();
        }
        long wait = backoff.next().toMillis();
        assertThat(wait).isBetween(0L, BOUNDS[n]);
        seen.add(wait);
      }
      assertThat(seen).as("full jitter under %d ms", BOUNDS[n]).hasSizeGreaterThan(20);
    }
  }

  @Test
  void aSuccessStartsOverAtTheFirstBound() {
    Backoff backoff = backoff();
    for (int i = 0; i < 10; i++) {
      backoff.next();
    }
    assertThat(backoff.failures()).isEqualTo(10);
    backoff.reset();
    assertThat(backoff.failures()).isZero();
    assertThat(backoff.next()).isLessThanOrEqualTo(Duration.ofMillis(100));
  }
}
