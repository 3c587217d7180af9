package io.github.wsproducer;

import java.util.Set;

/**
 * Produces values over time and hands them to a sink. A source owns no transport.
 *
 * <p>Lifecycle: {@link #start(UpdateSink)} is called once; the source then publishes from its own
 * threads (its own scheduler, or one given to it), never from the caller's, until {@link #close()}.
 * The hub that a source is registered with starts it on {@code build()} and closes it on {@link
 * Hub#close()}. {@code close()} must be idempotent; the hub waits a bounded time for it.
 *
 * <p>A source that knows its topics declares them in {@link #topics()}, so that a hub without one
 * of them fails at {@code build()} instead of at the first publish. The sink a hub gives a source
 * reports a publish to an unknown topic (logged with the source, counted in {@link
 * HubStats#errors()}, and shown as an error on the source's declared topics) besides throwing.
 *
 * <pre>{@code
 * final class Clock implements UpdateSource {
 *   private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
 *
 *   public void start(UpdateSink sink) {
 *     timer.scheduleAtFixedRate(
 *         () -> sink.publish("time", Map.of("now", Instant.now().toString())), 0, 1, SECONDS);
 *   }
 *
 *   public void close() {
 *     timer.shutdownNow();
 *   }
 * }
 * }</pre>
 */
public interface UpdateSource extends AutoCloseable {

  /** Starts producing values into {@code sink}. Must return promptly. */
  void start(UpdateSink sink);

  /**
   * The topics this source publishes on, checked by {@link Hub.Builder#build()}; empty (the
   * default) when they are not known in advance.
   */
  default Set<String> topics() {
    return Set.of();
  }

  /** Stops producing and releases the source's threads. Idempotent. */
  @Override
  void close();
}
