package io.github.wsproducer;

import io.github.wsproducer.spi.NamedThreads;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The original example's generator: after a random pause, uniform between 0 and 1 s, it adds a
 * random integer from 1 to 10 to a counter that starts at 0 and publishes {@code {"variable": N}}.
 *
 * <p>Runs on its own single thread ({@code wsproducer-source-<topic>-1}) unless given a scheduler,
 * which the caller then owns. Seed it for a reproducible sequence.
 *
 * <pre>{@code
 * RandomWalkSource source = RandomWalkSource.builder("random").seed(42).build();
 * }</pre>
 */
public final class RandomWalkSource implements UpdateSource {
  private static final Logger log = LoggerFactory.getLogger(RandomWalkSource.class);

  private final String topic;
  private final Random random;
  private final long maxPauseNanos;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private volatile boolean closed;
  private long counter; // confined to the scheduler's task chain

  private RandomWalkSource(Builder b) {
    this.topic = b.topic;
    this.random = b.seed == null ? new Random() : new Random(b.seed);
    this.maxPauseNanos = b.maxPause.toNanos();
    this.ownsScheduler = b.scheduler == null;
    this.scheduler =
        ownsScheduler
            ? Executors.newSingleThreadScheduledExecutor(
                new NamedThreads("wsproducer-source-" + topic))
            : b.scheduler;
  }

  /** A builder for a source publishing on {@code topic}. */
  public static Builder builder(String topic) {
    return new Builder(topic);
  }

  @Override
  public Set<String> topics() {
    return Set.of(topic);
  }

  @Override
  public void start(UpdateSink sink) {
    Objects.requireNonNull(sink, "sink");
    scheduleNext(sink);
  }

  private void scheduleNext(UpdateSink sink) {
    if (closed) {
      return;
    }
    long pause = (long) (random.nextDouble() * maxPauseNanos);
    try {
      scheduler.schedule(() -> step(sink), pause, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("random walk on {} stopped: scheduler shut down", topic);
    }
  }

  private void step(UpdateSink sink) {
    if (closed) {
      return;
    }
    counter += 1 + random.nextInt(10);
    try {
      sink.publish(topic, Map.of("variable", counter));
    } catch (RuntimeException e) {
      log.error("random walk on {} failed to publish", topic, e);
    }
    scheduleNext(sink);
  }

  @Override
  public void close() {
    closed = true;
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return "RandomWalkSource[" + topic + "]";
  }

  /** Configures a {@link RandomWalkSource}. */
  public static final class Builder {
    private final String topic;
    private Long seed;
    private Duration maxPause = Duration.ofSeconds(1);
    private ScheduledExecutorService scheduler;

    private Builder(String topic) {
      this.topic = Topic.requireValidName(topic);
    }

    /** Seeds the pauses and increments, for a reproducible sequence. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The longest pause between values; pauses are uniform in [0, maxPause). Default 1 s. */
    public Builder maxPause(Duration maxPause) {
      Objects.requireNonNull(maxPause, "maxPause");
      if (maxPause.isNegative() || maxPause.isZero()) {
        throw new IllegalArgumentException("maxPause must be positive, was " + maxPause);
      }
      this.maxPause = maxPause;
      return this;
    }

    /** Runs on this scheduler instead of a thread of its own; the caller owns it. */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** A new source. */
    public RandomWalkSource build() {
      return new RandomWalkSource(this);
    }
  }
}
