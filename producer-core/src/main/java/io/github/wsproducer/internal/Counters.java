package io.github.wsproducer.internal;

import io.github.wsproducer.HubStats;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * The hub's counters and delivery listeners, written from any thread without contention, read as
 * {@link HubStats}.
 */
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

  /** The most bytes ever queued for one connection; raised only when a connection passes it. */
  final LongAccumulator peakQueuedBytes = new LongAccumulator(Math::max, 0);

  /** Open connections in the plain form. */
  final LongAdder plainConnections = new LongAdder();

  private volatile LongConsumer delivery; // or null

  /** Adds a listener of delivery times; see {@link HubImpl#onDelivery}. */
  synchronized void onDelivery(LongConsumer listener) {
    LongConsumer before = delivery;
    delivery = before == null ? listener : before.andThen(listener);
  }

  /** The delivery listeners, or {@code null}: a connection times its writes only when asked. */
  LongConsumer delivery() {
    return delivery;
  }

  /** Counts a refused handshake; {@code reason} is one of {@link #REJECTIONS}. */
  void rejected(String reason) {
    rejected.get(reason).increment();
  }

  /** The counters now, without a pass over the connections: a scrape costs the same for any. */
  HubStats stats(long encodings, int connections) {
    Map<String, Long> refused = new LinkedHashMap<>();
    rejected.forEach((reason, n) -> refused.put(reason, n.sum()));
    return new HubStats(
        published.sum(),
        updates.sum(),
        encodings,
        connections,
        plainConnections.intValue(),
        framesSent.sum(),
        bytesSent.sum(),
        dropped.sum(),
        resyncs.sum(),
        slowConsumerCloses.sum(),
        unresponsiveCloses.sum(),
        peakQueuedBytes.get(),
        errors.sum(),
        Collections.unmodifiableMap(refused));
  }
}
