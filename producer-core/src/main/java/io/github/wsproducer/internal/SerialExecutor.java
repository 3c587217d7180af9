package io.github.wsproducer.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared executor. This gives each topic its
 * ordering without a lock: nothing ever waits for a topic, tasks just queue behind each other.
 * Tasks given to {@link #executeFirst} run before the ordinary ones that wait.
 */
final class SerialExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);
  private static final int BATCH = 256;

  private final String name;
  private final Executor executor;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final Queue<Runnable> firstTasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  SerialExecutor(String name, Executor executor) {
    this.name = name;
    this.executor = executor;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    schedule();
  }

  /** Runs the task after the one running, ahead of the ordinary tasks that wait. */
  void executeFirst(Runnable task) {
    firstTasks.add(task);
    schedule();
  }

  /** Whether ordinary tasks are waiting; called from a task, it means tasks queued behind it. */
  boolean hasQueued() {
    return !tasks.isEmpty();
  }

  private boolean isIdle() {
    return tasks.isEmpty() && firstTasks.isEmpty();
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      try {
        executor.execute(this::drain);
      } catch (RejectedExecutionException e) {
        scheduled.set(false);
        tasks.clear();
        firstTasks.clear();
        log.debug("{}: executor is shut down, tasks dropped", name);
      }
    }
  }

  private void drain() {
    try {
      // A bounded batch, so that one busy topic does not monopolize a shared pool thread.
      for (int i = 0; i < BATCH; i++) {
        Runnable task = firstTasks.poll();
        if (task == null) {
          task = tasks.poll();
        }
        if (task == null) {
          break;
        }
        try {
          task.run();
        } catch (RuntimeException | Error e) {
          log.error("{}: task failed", name, e);
        }
      }
    } finally {
      scheduled.set(false);
      if (!isIdle()) {
        schedule();
      }
    }
  }
}
