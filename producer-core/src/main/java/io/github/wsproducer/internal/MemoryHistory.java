package io.github.wsproducer.internal;

import io.github.wsproducer.spi.HistoryStore;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * A hub's history when it is given no store: each topic's updates in memory, bounded by its
 * retention, gone with the process. Durable at once, as there is nothing more to wait for.
 */
final class MemoryHistory implements HistoryStore {

  @Override
  public TopicHistory topic(String topic, Duration retention, long maxBytes) {
    return new InMemory(retention.toMillis(), maxBytes);
  }

  @Override
  public CompletionStage<Void> durable() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public boolean closedCleanly() {
    return true; // nothing to restore
  }

  @Override
  public void close() {}

  /** One topic's updates, oldest first; guarded by itself, as scans come from other threads. */
  private static final class InMemory implements TopicHistory {
    private final long retentionMillis;
    private final long maxBytes;
    private final ArrayDeque<Entry> updates = new ArrayDeque<>();
    private final ArrayDeque<Entry> series = new ArrayDeque<>(); // one a SNAPSHOT_SERIES
    private long bytes;
    private Entry snapshot;

    InMemory(long retentionMillis, long maxBytes) {
      this.retentionMillis = retentionMillis;
      this.maxBytes = maxBytes;
    }

    @Override
    public synchronized void append(Entry update) {
      updates.addLast(update);
      bytes += update.bytes();
      Entry oldest;
      while ((oldest = updates.peekFirst()) != null
          && (bytes > maxBytes || oldest.ts() < update.ts() - retentionMillis)
          && (snapshot == null || !oldest.isAfter(snapshot))) {
        updates.removeFirst();
        bytes -= oldest.bytes();
      }
      // The series reaches back as far as the updates: one snapshot at or before the oldest.
      long from = updates.isEmpty() ? update.ts() : updates.peekFirst().ts();
      while (series.size() > 1 && secondOf(series).ts() <= from) {
        series.removeFirst();
      }
    }

    private static Entry secondOf(ArrayDeque<Entry> entries) {
      var it = entries.iterator();
      it.next();
      return it.next();
    }

    @Override
    public synchronized void saveSnapshot(Entry snapshot) {
      this.snapshot = snapshot;
      Entry last = series.peekLast();
      if (last == null || snapshot.ts() - last.ts() >= SNAPSHOT_SERIES.toMillis()) {
        series.addLast(snapshot);
      }
    }

    @Override
    public synchronized Entry snapshotAt(long ts) {
      if (snapshot != null && snapshot.ts() <= ts) {
        return snapshot;
      }
      Entry at = null;
      for (Entry s : series) {
        if (s.ts() > ts) {
          break;
        }
        at = s;
      }
      return at;
    }

    @Override
    public synchronized Entry latestSnapshot() {
      return snapshot;
    }

    @Override
    public synchronized List<Entry> last(int count) {
      List<Entry> last = new ArrayList<>(Math.min(count, updates.size()));
      var newestFirst = updates.descendingIterator();
      while (last.size() < count && newestFirst.hasNext()) {
        last.add(newestFirst.next());
      }
      Collections.reverse(last);
      return last;
    }

    @Override
    public synchronized void scan(long since, long until, Predicate<Entry> visitor) {
      for (Entry update : updates) {
        if (update.ts() > until || (update.ts() >= since && !visitor.test(update))) {
          return;
        }
      }
    }
  }
}
