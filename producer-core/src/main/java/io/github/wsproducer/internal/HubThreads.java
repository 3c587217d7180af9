package io.github.wsproducer.internal;

import io.github.wsproducer.spi.NamedThreads;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** A hub's executor and timer: those it was given, or its own, which it stops on close. */
final class HubThreads {
  final Executor executor;
  final ScheduledExecutorService scheduler;
  private final ExecutorService ownedExecutor; // or null
  private final ScheduledExecutorService ownedScheduler; // or null

  HubThreads(Executor executor, ScheduledExecutorService scheduler) {
    this.ownedExecutor =
        executor == null
            ? Executors.newFixedThreadPool(
                Math.max(2, Runtime.getRuntime().availableProcessors()),
                new NamedThreads("wsproducer-hub"))
            : null;
    this.executor = executor == null ? ownedExecutor : executor;
    this.ownedScheduler =
        scheduler == null
            ? Executors.newSingleThreadScheduledExecutor(new NamedThreads("wsproducer-timer"))
            : null;
    this.scheduler = scheduler == null ? ownedScheduler : scheduler;
  }

  /** Stops the hub's own threads; those it was given belong to the caller. */
  void close() {
    if (ownedScheduler != null) {
      ownedScheduler.shutdownNow();
    }
    if (ownedExecutor != null) {
      ownedExecutor.shutdown();
    }
  }
}
