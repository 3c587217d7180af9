package io.github.wsproducer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RandomWalkSourceTest {

  /** Records each requested pause and runs the task at once, so the walk runs at full speed. */
  static final class ImpatientScheduler extends ScheduledThreadPoolExecutor {
    final List<Long> pausesNanos = new CopyOnWriteArrayList<>();

    ImpatientScheduler() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      pausesNanos.add(unit.toNanos(delay));
      return super.schedule(command, 0, TimeUnit.NANOSECONDS);
    }
  }

  private static List<Long> walk(long seed, int count, ImpatientScheduler scheduler)
      throws InterruptedException {
    BlockingQueue<Object> values = new LinkedBlockingQueue<>();
    try (RandomWalkSource source =
        RandomWalkSource.builder("random").seed(seed).scheduler(scheduler).build()) {
      source.start(
          (topic, value) -> {
            assertThat(topic).isEqualTo("random");
            values.add(value);
          });
      List<Long> counters = new java.util.ArrayList<>();
      for (int i = 0; i < count; i++) {
        Object value = values.poll(5, TimeUnit.SECONDS);
        assertThat(value).isInstanceOf(Map.class);
        counters.add(((Number) ((Map<?, ?>) value).get("variable")).longValue());
      }
      return counters;
    }
  }

  @Test
  void addsOneToTenAfterUniformPausesBelowOneSecond() throws InterruptedException {
    ImpatientScheduler scheduler = new ImpatientScheduler();
    try {
      List<Long> counters = walk(7, 2000, scheduler);
      long previous = 0;
      int[] seen = new int[11];
      for (long counter : counters) {
        long step = counter - previous;
        assertThat(step).isBetween(1L, 10L);
        seen[(int) step]++;
        previous = counter;
      }
      for (int step = 1; step <= 10; step++) {
        assertThat(seen[step]).as("how often %d was added", step).isGreaterThan(100);
      }
      // A copy first: the scheduler may still record a pause, and a live sub-list would then fail.
      List<Long> pauses = List.copyOf(scheduler.pausesNanos).subList(0, 2000);
      assertThat(pauses).allSatisfy(p -> assertThat(p).isBetween(0L, 999_999_999L));
      double meanSeconds = pauses.stream().mapToLong(Long::longValue).average().orElseThrow() / 1e9;
      assertThat(meanSeconds).isBetween(0.45, 0.55);
      assertThat(pauses.stream().filter(p -> p < 100_000_000L).count()).isBetween(150L, 250L);
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void theSameSeedGivesTheSameWalk() throws InterruptedException {
    ImpatientScheduler a = new ImpatientScheduler();
    ImpatientScheduler b = new ImpatientScheduler();
    try {
      assertThat(walk(42, 100, a)).isEqualTo(walk(42, 100, b));
      assertThat(List.copyOf(a.pausesNanos).subList(0, 100))
          .isEqualTo(List.copyOf(b.pausesNanos).subList(0, 100));
    } finally {
      a.shutdownNow();
      b.shutdownNow();
    }
  }
}
