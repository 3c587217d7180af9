package io.github.wsproducer.internal;

import io.github.wsproducer.HubStats;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  final LongAdder framesSent = new LongAdder();
  final LongAdder bytesSent = new LongAdder();

  /** Why a handshake may be refused: the keys of {@link HubStats#rejectedHandshakes()}. */
  static final List<String> REJECTIONS =
      List.of("host", "origin", "capacity", "unauthenticated", "forbidden", "not-found");

  private final Map<String, LongAdder> rejected = new LinkedHashMap<>();

  Counters() {
    REJECTIONS.forEach(reason -> rejected.put(reason, new LongAdder()));
  }

  private final LongAccumulator peakOfClosed = new LongAccumulator(Math::max, 0);

  /** Counts a refused handshake; {@code reason} is one of {@link #REJECTIONS}. */
  void rejected(String reason) {
    rejected.get(reason).increment();
  }

  /** Keeps a closed connection's peak queue, which {@link HubStats} reports across all time. */
  void closed(ClientConnection connection) {
    peakOfClosed.accumulate(connection.peakQueuedBytes());
  }

  HubStats stats(long encodings, Collection<ClientConnection> open) {
    long peak = peakOfClosed.get();
    int plain = 0;
    for (ClientConnection c : open) {
      peak = Math.max(peak, c.peakQueuedBytes());
      plain += c.isEnvelope() ? 0 : 1;
    }
    Map<String, Long> refused = new LinkedHashMap<>();
    rejected.forEach((reason, n) -> refused.put(reason, n.sum()));
    return new HubStats(
        published.sum(),
        updates.sum(),
        encodings,
        open.size(),
        plain,
        framesSent.sum(),
        bytesSent.sum(),
        dropped.sum(),
        resyncs.sum(),
        slowConsumerCloses.sum(),
        unresponsiveCloses.sum(),
        peak,
        errors.sum(),
        Collections.unmodifiableMap(refused));
  }
}
