package io.github.wsproducer.internal;

import io.github.wsproducer.HubStats;
import java.util.Collection;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/** The hub's counters, written from any thread without contention, read as {@link HubStats}. */
final class Counters {
  final LongAdder published = new LongAdder();
  final LongAdder updates = new LongAdder();
  final LongAdder dropped = new LongAdder();
  final LongAdder resyncs = new LongAdder();
  final LongAdder slowConsumerCloses = new LongAdder();
  final LongAdder unresponsiveCloses = new LongAdder();
  final LongAdder errors = new LongAdder();
  private final LongAccumulator peakOfClosed = new LongAccumulator(Math::max, 0);

  /** Keeps a closed connection's peak queue, which {@link HubStats} reports across all time. */
  void closed(ClientConnection connection) {
    peakOfClosed.accumulate(connection.peakQueuedBytes());
  }

  HubStats stats(long encodings, Collection<ClientConnection> open) {
    long peak = peakOfClosed.get();
    for (ClientConnection c : open) {
      peak = Math.max(peak, c.peakQueuedBytes());
    }
    return new HubStats(
        published.sum(),
        updates.sum(),
        encodings,
        open.size(),
        dropped.sum(),
        resyncs.sum(),
        slowConsumerCloses.sum(),
        unresponsiveCloses.sum(),
        peak,
        errors.sum());
  }
}
