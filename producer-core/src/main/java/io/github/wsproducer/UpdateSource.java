package io.github.wsproducer;

/**
 * Produces values over time and hands them to a sink. A source owns no transport.
 *
 * <p>Lifecycle: {@link #start(UpdateSink)} is called once; the source then publishes from its own
 * threads (its own scheduler, or one given to it), never from the caller's, until {@link #close()}.
 * The hub that a source is registered with starts it on {@code build()} and closes it on {@link
 * Hub#close()}. {@code close()} must be idempotent.
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

  /** Stops producing and releases the source's threads. Idempotent. */
  @Override
  void close();
}
