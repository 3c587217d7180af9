package io.github.wsproducer.jakarta.internal;

import io.github.wsproducer.spi.NamedThreads;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads of one filter's connections: a few for the container calls that may block (closing a
 * session), one timer for their deadlines. Given by the application, or made here and stopped with
 * the filter ({@link #close()}).
 */
public final class JakartaThreads implements AutoCloseable {
  /** Threads for the calls that may block, when none are given; idle ones end after 30 s. */
  static final int CONTROL_THREADS = 8;

  private final Executor control;
  private final ScheduledExecutorService timer;
  private final ExecutorService ownedControl; // or null: given
  private final ScheduledExecutorService ownedTimer; // or null: given

  /** {@code control} and {@code timer}, or threads of its own for those that are {@code null}. */
  public JakartaThreads(Executor control, ScheduledExecutorService timer) {
    if (control == null) {
      ThreadPoolExecutor pool =
          new ThreadPoolExecutor(
              CONTROL_THREADS,
              CONTROL_THREADS,
              30,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              new NamedThreads("wsproducer-jakarta-control"));
      pool.allowCoreThreadTimeOut(true);
      ownedControl = pool;
      control = pool;
    } else {
      ownedControl = null;
    }
    if (timer == null) {
      ownedTimer =
          Executors.newSingleThreadScheduledExecutor(new NamedThreads("wsproducer-jakarta-timer"));
      timer = ownedTimer;
    } else {
      ownedTimer = null;
    }
    this.control = control;
    this.timer = timer;
  }

  /** Runs a call that may block; not once the filter stopped. */
  void control(Runnable call) {
    try {
      control.execute(call);
    } catch (RejectedExecutionException e) {
      // stopped: the container closes what is left
    }
  }

  /** Runs {@code task} after {@code nanos}; not once the filter stopped. */
  void schedule(Runnable task, long nanos) {
    try {
      timer.schedule(task, nanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // stopped: the container closes what is left
    }
  }

  /** Stops the threads it made; idempotent. */
  @Override
  public void close() {
    if (ownedControl != null) {
      ownedControl.shutdown();
    }
    if (ownedTimer != null) {
      ownedTimer.shutdownNow();
    }
  }
}
