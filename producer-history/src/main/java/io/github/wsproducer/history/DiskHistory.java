package io.github.wsproducer.history;

import io.github.wsproducer.spi.HistoryStore;
import io.github.wsproducer.spi.NamedThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link HistoryStore} on disk, for one node: every topic's updates and latest snapshot in one
 * file of H2's MVStore ({@value #FILE} in the directory it is given), so that a hub restarts with
 * every topic's state, {@code epoch} and {@code seq}, and its charts' history.
 *
 * <pre>{@code
 * Hub hub = Hub.builder()
 *     .topic(Topic.of("orders", State.keyed()).withRetention(Duration.ofHours(24), 64 << 20))
 *     .history(DiskHistory.open(Path.of("data")))
 *     .build();
 * }</pre>
 *
 * <p>Updates are committed every {@link Builder#commitInterval} (200 ms by default), in the
 * background: {@code kill -9} loses at most the updates of the last interval, never the file. What
 * waits for {@link #durable()} (a push, before its 202) is committed and synced to the disk at
 * once, together with whatever else waits. A file that cannot be read is moved aside with one
 * warning naming it, and the store starts empty; it never stops a server from starting. The
 * directory is locked while the store is open.
 */
public final class DiskHistory implements HistoryStore {
  private static final Logger log = LoggerFactory.getLogger(DiskHistory.class);

  /** The store's file in its directory. */
  public static final String FILE = "history.mv.db";

  /** The default time between two background commits: what {@code kill -9} may lose. */
  public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(200);

  private static final String UPDATES = "updates.";
  private static final String SERIES = "series."; // a snapshot a minute, by its time
  private static final String CLOSED = "closed"; // in the meta map: how the store was last closed
  private static final String CLEANLY = "cleanly";

  private final Path file;
  private final MVStore store;
  private final MVMap<String, byte[]> snapshots;
  private final MVMap<String, Long> sizes; // the bytes kept of each topic's updates
  private final MVMap<String, String> meta;
  private final boolean closedCleanly;
  private final ExecutorService committer =
      Executors.newSingleThreadExecutor(new NamedThreads("wsproducer-history-commit"));
  private final Queue<CompletableFuture<Void>> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean commitQueued = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean failed = new AtomicBoolean(); // logged once

  private DiskHistory(Path directory, Duration commitInterval) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the history directory " + directory, e);
    }
    this.file = directory.resolve(FILE);
    this.store = openOrMoveAside(file);
    store.setAutoCommitDelay((int) Math.max(1, commitInterval.toMillis()));
    this.snapshots = store.openMap("snapshots");
    this.sizes = store.openMap("sizes");
    this.meta = store.openMap("meta");
    String closed = meta.put(CLOSED, "crashed, unless close() says otherwise");
    this.closedCleanly = closed == null || closed.equals(CLEANLY);
    if (!closedCleanly) {
      log.warn(
          "{} was not closed cleanly (the process was killed or crashed): it restores {}, and"
              + " what came after was lost; each restored topic starts a new epoch with its next"
              + " update",
          file,
          lastCommitted());
    }
  }

  /** Each topic's last update kept, as "orders at seq 12 of epoch 1 (2026-12-07T03:10:00Z)". */
  private String lastCommitted() {
    List<String> topics = new ArrayList<>();
    for (String map : store.getMapNames()) {
      if (map.startsWith(UPDATES)) {
        MVMap<Long, byte[]> updates = store.openMap(map);
        Long last = updates.lastKey();
        if (last != null) {
          Entry update = Entries.decode(updates.get(last));
          topics.add(
              map.substring(UPDATES.length())
                  + " at seq "
                  + update.seq()
                  + " of epoch "
                  + update.epoch()
                  + " ("
                  + Instant.ofEpochMilli(update.ts())
                  + ")");
        }
      }
    }
    return topics.isEmpty() ? "no update" : String.join(", ", topics);
  }

  @Override
  public boolean closedCleanly() {
    return closedCleanly;
  }

  /** A store in {@code directory} (created if missing) with the default commit interval. */
  public static DiskHistory open(Path directory) {
    return builder(directory).open();
  }

  /** A builder of a store in {@code directory}. */
  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  /** The options of a {@link DiskHistory}. */
  public static final class Builder {
    private final Path directory;
    private Duration commitInterval = DEFAULT_COMMIT_INTERVAL;

    private Builder(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
    }

    /**
     * How often updates are committed in the background, which is what {@code kill -9} may lose;
     * positive. Shorter costs more writes; {@link DiskHistory#durable()} commits at once anyway.
     */
    public Builder commitInterval(Duration commitInterval) {
      Objects.requireNonNull(commitInterval, "commitInterval");
      if (commitInterval.isNegative() || commitInterval.isZero()) {
        throw new IllegalArgumentException(
            "commitInterval must be positive, was " + commitInterval);
      }
      this.commitInterval = commitInterval;
      return this;
    }

    /**
     * Opens the store.
     *
     * @throws IllegalStateException if another process has the directory's store open
     * @throws UncheckedIOException if the directory cannot be created or written
     */
    public DiskHistory open() {
      return new DiskHistory(directory, commitInterval);
    }
  }

  /**
   * Opens the file; one that cannot be read is moved aside, named in a warning, and replaced by an
   * empty one.
   */
  private static MVStore openOrMoveAside(Path file) {
    try {
      return openStore(file);
    } catch (MVStoreException e) {
      if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
        throw new IllegalStateException(
            file + " is in use by another process; each server needs a directory of its own", e);
      }
      Path aside = file.resolveSibling(FILE + ".unreadable-" + Instant.now().toEpochMilli());
      try {
        Files.move(file, aside);
      } catch (IOException moving) {
        e.addSuppressed(moving);
        throw new UncheckedIOException(
            "cannot move the unreadable " + file + " aside", new IOException(e));
      }
      log.warn(
          "{} could not be read ({}), so every topic's stored state and history in it is lost;"
              + " the file was moved to {} and history starts empty",
          file,
          e.getMessage(),
          aside);
      return openStore(file);
    }
  }

  private static MVStore openStore(Path file) {
    return new MVStore.Builder().fileName(file.toString()).compress().open();
  }

  @Override
  public TopicHistory topic(String topic, Duration retention, long maxBytes) {
    return new TopicOnDisk(topic, retention.toMillis(), maxBytes);
  }

  /** Commits and syncs at once what was appended, together with whatever else waits. */
  @Override
  public CompletionStage<Void> durable() {
    CompletableFuture<Void> durable = new CompletableFuture<>();
    if (closed.get()) {
      durable.completeExceptionally(new IllegalStateException("the history store is closed"));
      return durable;
    }
    waiting.add(durable);
    if (commitQueued.compareAndSet(false, true)) {
      committer.execute(this::commitWaiting);
    }
    return durable;
  }

  /** One commit for everything that waits: a group commit under load. */
  private void commitWaiting() {
    commitQueued.set(false);
    List<CompletableFuture<Void>> batch = new ArrayList<>();
    for (CompletableFuture<Void> next; (next = waiting.poll()) != null; ) {
      batch.add(next);
    }
    if (batch.isEmpty()) {
      return;
    }
    try {
      store.commit();
      store.sync();
      batch.forEach(durable -> durable.complete(null));
    } catch (RuntimeException e) {
      failed(e);
      batch.forEach(durable -> durable.completeExceptionally(e));
    }
  }

  /** Commits, syncs and closes the file; what waits for {@link #durable()} is answered first. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    committer.execute(this::commitWaiting);
    committer.shutdown();
    try {
      committer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      meta.put(CLOSED, CLEANLY);
      store.close();
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  /** The file the store keeps. */
  public Path file() {
    return file;
  }

  @Override
  public String toString() {
    return "DiskHistory[" + file + "]";
  }

  private void failed(RuntimeException e) {
    if (closed.get() && store.isClosed()) {
      return; // a topic's task after the hub closed the store
    }
    if (failed.compareAndSet(false, true)) {
      log.error("the history store {} failed; history is not being kept", file, e);
    }
  }

  /** One topic's updates by a running number, oldest first, and its latest snapshot. */
  private final class TopicOnDisk implements TopicHistory {
    private final String topic;
    private final long retentionMillis;
    private final long maxBytes;
    private final MVMap<Long, byte[]> updates;
    private final MVMap<Long, byte[]> series;
    private long nextKey;
    private long bytes;
    private volatile Entry snapshot;

    TopicOnDisk(String topic, long retentionMillis, long maxBytes) {
      this.topic = topic;
      this.retentionMillis = retentionMillis;
      this.maxBytes = maxBytes;
      this.updates = store.openMap(UPDATES + topic);
      this.series = store.openMap(SERIES + topic);
      Long last = updates.lastKey();
      this.nextKey = last == null ? 0 : last + 1;
      Long kept = sizes.get(topic);
      this.bytes = kept != null ? kept : countBytes();
      byte[] saved = snapshots.get(topic);
      this.snapshot = saved == null ? null : Entries.decode(saved);
      if (last != null) {
        trim(Entries.decode(updates.get(last)).ts()); // the retention may have shrunk
      }
    }

    private long countBytes() {
      long total = 0;
      for (var cursor = updates.cursor(null); cursor.hasNext(); ) {
        cursor.next();
        total += Entries.bytes(cursor.getValue());
      }
      return total;
    }

    @Override
    public void append(Entry update) {
      try {
        updates.put(nextKey++, Entries.encode(update));
        bytes += update.bytes();
        trim(update.ts());
        sizes.put(topic, bytes);
      } catch (RuntimeException e) {
        failed(e);
      }
    }

    /** Drops the oldest updates past the retention, never one after the latest snapshot. */
    private void trim(long now) {
      long from = Long.MIN_VALUE; // the oldest update's time, once one went
      for (Long oldest; (oldest = updates.firstKey()) != null; ) {
        byte[] kept = updates.get(oldest);
        boolean over = bytes > maxBytes || Entries.ts(kept) < now - retentionMillis;
        if (!over || (snapshot != null && Entries.isAfter(kept, snapshot))) {
          from = from == Long.MIN_VALUE ? Long.MIN_VALUE : Entries.ts(kept);
          break;
        }
        updates.remove(oldest);
        bytes -= Entries.bytes(kept);
        from = now;
      }
      if (from == Long.MIN_VALUE) {
        return; // none went
      }
      // The series reaches back as far as the updates: one snapshot at or before the oldest.
      for (Long first; (first = series.firstKey()) != null; ) {
        Long second = series.higherKey(first);
        if (second == null || second > from) {
          return;
        }
        series.remove(first);
      }
    }

    @Override
    public void saveSnapshot(Entry snapshot) {
      try {
        byte[] kept = Entries.encode(snapshot);
        snapshots.put(topic, kept);
        Long last = series.lastKey();
        if (last == null || snapshot.ts() - last >= SNAPSHOT_SERIES.toMillis()) {
          series.put(snapshot.ts(), kept);
        }
        this.snapshot = snapshot;
      } catch (RuntimeException e) {
        failed(e);
      }
    }

    @Override
    public Entry latestSnapshot() {
      return snapshot;
    }

    @Override
    public Entry snapshotAt(long ts) {
      Entry latest = snapshot;
      if (latest != null && latest.ts() <= ts) {
        return latest;
      }
      Long at = series.floorKey(ts);
      byte[] kept = at == null ? null : series.get(at);
      return kept == null ? null : Entries.decode(kept);
    }

    @Override
    public List<Entry> last(int count) {
      Long last = updates.lastKey();
      List<Entry> entries = new ArrayList<>();
      if (last != null) {
        for (var cursor = updates.cursor(Math.max(0, last - count + 1)); cursor.hasNext(); ) {
          cursor.next();
          entries.add(Entries.decode(cursor.getValue()));
        }
      }
      return entries;
    }

    @Override
    public void scan(long since, long until, java.util.function.Predicate<Entry> visitor) {
      Long first = updates.firstKey();
      Long last = updates.lastKey();
      if (first == null || last == null) {
        return;
      }
      long low = first; // the first key sent at or after since: time never goes back in a topic
      long high = last + 1;
      while (low < high) {
        long middle = (low + high) >>> 1;
        byte[] kept = updates.get(middle);
        if (kept == null || Entries.ts(kept) < since) {
          low = middle + 1;
        } else {
          high = middle;
        }
      }
      for (var cursor = updates.cursor(low); cursor.hasNext(); ) {
        cursor.next();
        Entry update = Entries.decode(cursor.getValue());
        if (update.ts() > until || !visitor.test(update)) {
          return;
        }
      }
    }
  }
}
