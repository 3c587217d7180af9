package io.github.wsproducer.internal;

import io.github.wsproducer.UpdateSink;
import io.github.wsproducer.UpdateSource;
import io.github.wsproducer.spi.NamedThreads;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's sources: each is started with a sink of its own ({@link SourceSink}) and closed within
 * a bounded time. A source that fails either way is logged and counted, and the hub goes on.
 */
final class Sources {
  private static final Logger log = LoggerFactory.getLogger(Sources.class);

  /** How long closing waits for the sources. */
  static final long CLOSE_MILLIS = 10_000;

  private final List<UpdateSource> sources;
  private final Counters counters;

  Sources(List<UpdateSource> sources, Counters counters) {
    this.sources = sources;
    this.counters = counters;
  }

  /** Starts each source with the sink {@code sinks} makes for it. */
  void start(Function<UpdateSource, UpdateSink> sinks) {
    for (UpdateSource source : sources) {
      try {
        source.start(sinks.apply(source));
      } catch (RuntimeException e) {
        counters.errors.increment();
        log.error("source {} failed to start; the hub serves without it", source, e);
      }
    }
  }

  /**
   * Closes the sources side by side and waits for them a bounded time: a source stuck in its close
   * (a query that hangs) must not keep the hub from closing. Whatever such a source publishes later
   * is ignored, the hub being closed.
   */
  void close() {
    if (sources.isEmpty()) {
      return;
    }
    ExecutorService closer = Executors.newCachedThreadPool(new NamedThreads("wsproducer-close"));
    Map<UpdateSource, Future<?>> closing = new LinkedHashMap<>();
    for (UpdateSource source : sources) {
      closing.put(source, closer.submit(() -> close(source)));
    }
    closer.shutdown();
    try {
      closer.awaitTermination(CLOSE_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closing.forEach(
        (source, done) -> {
          if (!done.isDone()) {
            counters.errors.increment();
            log.warn(
                "source {} did not close within {} ms; the hub closes without waiting for it",
                source,
                CLOSE_MILLIS);
          }
        });
  }

  private void close(UpdateSource source) {
    try {
      source.close();
    } catch (RuntimeException e) {
      counters.errors.increment();
      log.error("source {} failed to close", source, e);
    }
  }
}
