package io.github.wsproducer.spi;

import io.github.wsproducer.UpdateSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a polling source's poll on a schedule, for the modules that poll a database, an HTTP API or
 * a broker: never two polls at once and never faster than the interval (a slow poll delays the
 * next, polls do not pile up), at once on {@link #wakeUp()}, and with exponential backoff while
 * polls fail, reported to the sink as the topic's error in the words {@code describe} gives. The
 * first good poll clears the error. {@link #close()} returns in bounded time.
 */
public final class Poller implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Poller.class);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);

  /** What a poll found, which decides when the next one runs. */
  public enum Outcome {
    /** Polled; the next poll after the interval. */
    DONE,
    /** More rows are waiting: poll again at once. */
    MORE,
    /** Skipped because nobody watches: check again soon, so a new viewer waits little. */
    PAUSED
  }

  /** One poll, publishing to the sink the source was started with. */
  public interface Task {
    /**
     * Polls once.
     *
     * @throws Exception when the poll failed: reported as the topic's error, then retried
     */
    Outcome poll(UpdateSink sink) throws Exception;
  }

  /** How long {@link #close()} waits for a poll under way. */
  public static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  /** How often a paused source checks whether someone watches again. */
  private static final Duration PAUSED_RECHECK = Duration.ofMillis(250);

  private final String topic;
  private final Duration interval;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final Task task;
  private final Function<Exception, String> describe;

  private final Object lock = new Object();
  private UpdateSink sink; // guarded by lock
  private ScheduledFuture<?> next; // guarded by lock
  private Thread polling; // guarded by lock; the thread of the poll under way, if any
  private boolean rerun; // guarded by lock
  private boolean closed; // guarded by lock
  private boolean sealed; // guarded by lock; set when close returns: the sink refuses from then on
  private final Backoff backoff; // confined to the running poll
  private final UpdateSink guarded = new Guarded();

  /**
   * A poller of {@code topic}, not yet started.
   *
   * @param interval the time between the end of one poll and the start of the next
   * @param maxBackoff the longest wait between polls while they fail
   * @param scheduler where polls run; {@code null} for a thread of the poller's own, {@code
   *     wsproducer-source-<topic>-1}, which {@link #close()} stops
   * @param describe the words screens show for a failure: never an exception's own text, which may
   *     name hosts, users or secrets
   */
  public Poller(
      String topic,
      Duration interval,
      Duration maxBackoff,
      ScheduledExecutorService scheduler,
      Task task,
      Function<Exception, String> describe) {
    this.topic = topic;
    this.interval = interval;
    this.ownsScheduler = scheduler == null;
    this.scheduler =
        scheduler != null
            ? scheduler
            : Executors.newSingleThreadScheduledExecutor(
                new NamedThreads("wsproducer-source-" + topic));
    // Retries start at the interval, or 1 s if that is shorter, and grow up to maxBackoff.
    this.backoff =
        new Backoff(interval.compareTo(FIRST_RETRY) < 0 ? interval : FIRST_RETRY, maxBackoff);
    this.task = task;
    this.describe = describe;
  }

  /**
   * Starts polling at once, publishing to {@code sink}.
   *
   * @throws IllegalStateException if started before
   */
  public void start(UpdateSink sink) {
    synchronized (lock) {
      if (this.sink != null) {
        throw new IllegalStateException("the source of topic \"" + topic + "\" was started twice");
      }
      this.sink = sink;
    }
    schedule(0);
  }

  /** Polls as soon as possible, for example when the database announced a change. */
  public void wakeUp() {
    synchronized (lock) {
      if (sink == null || closed) {
        return;
      }
      if (polling != null) {
        rerun = true;
        return;
      }
    }
    schedule(0);
  }

  private void schedule(long delayNanos) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (next != null) {
        next.cancel(false);
      }
      try {
        next = scheduler.schedule(this::run, delayNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        log.debug("topic {}: scheduler shut down, polling stopped", topic);
      }
    }
  }

  private void run() {
    synchronized (lock) {
      if (closed || polling != null) {
        return;
      }
      polling = Thread.currentThread();
      rerun = false;
    }
    long delay = interval.toNanos();
    try {
      delay = pollOnce();
    } finally {
      boolean again;
      synchronized (lock) {
        polling = null;
        lock.notifyAll();
        again = rerun;
      }
      schedule(again ? 0 : delay);
    }
  }

  /** Runs the task once; returns how long to wait before the next poll. */
  private long pollOnce() {
    try {
      Outcome outcome = task.poll(guarded);
      if (backoff.failures() > 0 && outcome != Outcome.PAUSED) {
        log.info(
            "topic {}: the source works again after {} failed polls", topic, backoff.failures());
        backoff.reset();
      }
      return switch (outcome) {
        case MORE -> 0;
        case PAUSED -> Math.min(interval.toNanos(), PAUSED_RECHECK.toNanos());
        case DONE -> interval.toNanos();
      };
    } catch (Exception e) {
      if (isClosed()) {
        log.debug("topic {}: a poll ended by close: {}", topic, e.toString());
        return 0;
      }
      long delay = backoff.next().toNanos();
      String message = describe.apply(e);
      if (backoff.failures() == 1) {
        log.warn("topic {}: {}; retrying with backoff", topic, message, e);
      } else {
        log.debug(
            "topic {}: still failing ({} times): {}", topic, backoff.failures(), e.toString());
      }
      try {
        guarded.reportError(topic, message);
      } catch (RuntimeException reportFailed) {
        log.debug("topic {}: the error could not be reported: {}", topic, reportFailed.toString());
      }
      return delay;
    }
  }

  private boolean isClosed() {
    synchronized (lock) {
      return closed;
    }
  }

  /**
   * Stops polling. A poll under way may finish first, for up to {@link #CLOSE_WAIT}, so that a
   * source's position is final; one that takes longer (a query or a connection that hangs) is left
   * behind, and since the sink refuses everything after close, nothing is published after close
   * returns.
   */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      if (next != null) {
        next.cancel(false);
      }
      long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
      while (polling != null && polling != Thread.currentThread()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          log.warn(
              "topic {}: a poll still runs {} after close; closing without it", topic, CLOSE_WAIT);
          break;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      sealed = true;
    }
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
  }

  /**
   * The sink as the task sees it: refuses everything once {@link #close()} returns (atomically with
   * it), so that a poll left behind by close publishes nothing.
   */
  private final class Guarded implements UpdateSink {
    private UpdateSink open() {
      if (sealed) {
        throw new IllegalStateException("the source of topic \"" + topic + "\" is closed");
      }
      return sink;
    }

    @Override
    public Clock clock() {
      return sink.clock();
    }

    @Override
    public void publish(String t, Object value) {
      synchronized (lock) {
        open().publish(t, value);
      }
    }

    @Override
    public void replace(String t, Object value) {
      synchronized (lock) {
        open().replace(t, value);
      }
    }

    @Override
    public void publishAt(String t, Object value, Instant at) {
      synchronized (lock) {
        open().publishAt(t, value, at);
      }
    }

    @Override
    public void heartbeat(String t) {
      synchronized (lock) {
        open().heartbeat(t);
      }
    }

    @Override
    public void reportError(String t, String message) {
      synchronized (lock) {
        open().reportError(t, message);
      }
    }

    @Override
    public boolean isWatched(String t) {
      synchronized (lock) {
        return open().isWatched(t);
      }
    }
  }
}
