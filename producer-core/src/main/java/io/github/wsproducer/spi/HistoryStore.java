package io.github.wsproducer.spi;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * Where a hub keeps its topics' updates by time, and the state it restores them from after a
 * restart ({@link io.github.wsproducer.Hub.Builder#history}). Without one a hub keeps history in
 * memory, bounded by each topic's retention and lost with the process.
 *
 * <p>The hub opens each topic's history once, when it is built, and from then on calls a {@link
 * TopicHistory} from one thread at a time, in {@code seq} order; reads ({@link TopicHistory#scan})
 * may come from other threads meanwhile. Appends must not block: they are kept at once and become
 * durable at the store's next commit, which {@link #durable} waits for.
 */
public interface HistoryStore extends AutoCloseable {

  /**
   * One update or snapshot as kept.
   *
   * @param epoch the topic's epoch at the time
   * @param seq its position in the epoch
   * @param ts when the hub sent it, in milliseconds since the epoch, by the hub's clock
   * @param data the update's or snapshot's {@code data}, as JSON text
   */
  record Entry(long epoch, long seq, long ts, String data) {
    /** Checks that there is data. */
    public Entry {
      Objects.requireNonNull(data, "data");
    }

    /** Whether this entry comes after {@code other} in the topic's history. */
    public boolean isAfter(Entry other) {
      return epoch != other.epoch ? epoch > other.epoch : seq > other.seq;
    }

    /** Roughly what keeping this entry costs, for the byte bound of a topic's retention. */
    public long bytes() {
      return 32L + data.length();
    }
  }

  /**
   * Opens one topic's history, kept for {@code retention} and at most {@code maxBytes} (by {@link
   * Entry#bytes()}), whichever is less; the hub calls it once per topic when it is built.
   */
  TopicHistory topic(String topic, Duration retention, long maxBytes);

  /**
   * Completes once everything appended before this call is durable: at once for a store in memory,
   * after the next commit for one on disk; fails if the store cannot make it so (a full disk, or a
   * store closed first). Callers must not block on it: it may complete on the store's thread.
   */
  CompletionStage<Void> durable();

  /**
   * Whether the store was last {@link #close}d, so that it kept everything it was given; {@code
   * false} after a crash ({@code kill -9}, a power cut), when the updates of its last moments may
   * be lost. A topic restored after a crash starts a new epoch with its next update, so that no
   * {@code seq} a client saw before the crash is used again for other data.
   */
  boolean closedCleanly();

  /** Commits what was appended and releases the store. The hub calls it last when it closes. */
  @Override
  void close();

  /** One topic's history. */
  interface TopicHistory {
    /** How far apart the snapshots a store keeps for {@link #snapshotAt} are: a minute. */
    Duration SNAPSHOT_SERIES = Duration.ofMinutes(1);

    /** Keeps an update. Updates older than the retention, or over its bytes, may go. */
    void append(Entry update);

    /**
     * Keeps the topic's state at a position. A restart restores the latest one and folds the
     * updates after it, so a store keeps every update after its latest snapshot, whatever the
     * retention says. A store also keeps one snapshot a {@link #SNAPSHOT_SERIES} for as far back as
     * it keeps updates, for {@link #snapshotAt}.
     */
    void saveSnapshot(Entry snapshot);

    /** The latest snapshot kept, or {@code null}. */
    Entry latestSnapshot();

    /**
     * The latest snapshot kept from at or before {@code ts}: with the updates after it, the state
     * at a past moment. {@code null} when none is that old.
     */
    Entry snapshotAt(long ts);

    /** The newest {@code count} updates kept, oldest first. */
    List<Entry> last(int count);

    /**
     * Visits the updates sent from {@code since} to {@code until} (milliseconds, both included),
     * oldest first, while {@code visitor} returns {@code true}.
     */
    void scan(long since, long until, Predicate<Entry> visitor);
  }
}
