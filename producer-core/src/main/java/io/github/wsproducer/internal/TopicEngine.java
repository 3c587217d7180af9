package io.github.wsproducer.internal;

import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import io.github.wsproducer.TopicStats;
import io.github.wsproducer.protocol.ClientMessage.Position;
import io.github.wsproducer.protocol.ErrorCode;
import io.github.wsproducer.spi.HistoryStore;
import io.github.wsproducer.spi.HistoryStore.TopicHistory;
import io.github.wsproducer.spi.WatchesTopics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/**
 * One topic: its state, sequence, history and subscribers. Every method body runs as a task of the
 * topic's {@link SerialExecutor}, so the fields need no lock and subscribing is atomic with respect
 * to publishing.
 *
 * <p>Every update also goes to the topic's {@link TopicHistory}, with a snapshot of the state at
 * most every {@link #SNAPSHOT_EVERY} updates or {@link #SNAPSHOT_MILLIS}: a restart restores the
 * latest snapshot and folds the few updates after it.
 */
final class TopicEngine {
  private static final Logger log = LoggerFactory.getLogger(TopicEngine.class);

  /** The most updates between two stored snapshots, so that a restart folds few. */
  static final int SNAPSHOT_EVERY = 512;

  /** The longest time between two stored snapshots of a topic that changes. */
  static final long SNAPSHOT_MILLIS = 1000;

  private record Entry(long seq, Frame frame) {}

  private final Topic topic;
  private final String name;
  private final State state;
  private final int historySize;
  private final Clock clock;
  private final Codec codec;
  private final Counters counters;
  private final SerialExecutor serial;
  private final HistoryStore store;
  private final TopicHistory stored;
  private final List<WatchesTopics> watchers; // those that follow this topic
  private long epoch; // changes only when a replicated log starts a new epoch
  private long snapshotSeq; // the seq and ts of the latest snapshot stored
  private long snapshotTs;
  // Restored after a crash: positions after the restored one may have been sent with data that
  // is lost, so the next update starts a new epoch instead of sending them again.
  private boolean newEpochNext;

  private final ArrayDeque<Entry> history = new ArrayDeque<>();
  private final FanOut subscribers;
  private final long staleAfterMillis; // 0: never stale
  private long seq;
  private long ts;
  private long updateTs; // the time of the newest update, 0 before the first
  // Written on the topic's executor, read by stats() from any thread.
  private volatile long freshAt; // when the data was last known to be current
  private volatile boolean stale;
  private volatile String error;
  private final LongAdder errors = new LongAdder();
  // The state at the current seq, serialized on demand and shared by every joiner until the
  // next update; null when stale.
  private String snapshotData;
  private Frame envelopeSnapshot;
  private Frame plainSnapshot;

  TopicEngine(
      Topic topic,
      long epoch,
      Clock clock,
      Codec codec,
      Counters counters,
      Executor executor,
      HistoryStore store,
      List<WatchesTopics> watchers) {
    this.topic = topic;
    this.name = topic.name();
    this.watchers = watchers;
    this.state = topic.state();
    this.historySize = topic.history();
    this.clock = clock;
    this.codec = codec;
    this.counters = counters;
    this.epoch = epoch;
    this.serial = new SerialExecutor("topic " + name, executor);
    this.subscribers = new FanOut(serial);
    this.staleAfterMillis = topic.staleAfter() == null ? 0 : topic.staleAfter().toMillis();
    this.ts = clock.millis();
    this.store = store;
    this.stored = store.topic(name, topic.retention(), topic.retentionBytes());
    restore();
    this.freshAt = ts;
  }

  /**
   * Takes up where the stored history left off: the latest snapshot, the updates after it folded
   * in, their epoch, seq and time, and the recent updates for resume.
   */
  private void restore() {
    HistoryStore.Entry snapshot;
    List<HistoryStore.Entry> recent;
    try {
      snapshot = stored.latestSnapshot();
      recent = snapshot == null ? List.of() : stored.last(Math.max(historySize, SNAPSHOT_EVERY));
    } catch (RuntimeException e) {
      counters.errors.increment();
      log.warn("topic {}: its stored history could not be read, so it starts without it", name, e);
      return;
    }
    if (snapshot == null) {
      return;
    }
    try {
      state.restore(codec.parse(snapshot.data()));
    } catch (RuntimeException e) {
      counters.errors.increment();
      log.warn(
          "topic {}: the stored snapshot at epoch {} seq {} does not fit its {} state, so it"
              + " starts without it",
          name,
          snapshot.epoch(),
          snapshot.seq(),
          state.kind(),
          e);
      return;
    }
    epoch = snapshot.epoch();
    seq = snapshotSeq = snapshot.seq();
    ts = snapshotTs = snapshot.ts();
    newEpochNext = !store.closedCleanly();
    for (HistoryStore.Entry update : recent) {
      if (update.epoch() != epoch) {
        continue; // before the snapshot's epoch began
      }
      long sum = -1; // unknown for the updates before the snapshot
      if (update.seq() > seq) {
        if (update.seq() != seq + 1) {
          log.warn(
              "topic {}: stored updates jump from seq {} to {}; it restores up to {}",
              name,
              seq,
              update.seq(),
              seq);
          break;
        }
        try {
          state.apply(codec.parse(update.data()));
        } catch (RuntimeException e) {
          // An update that changed nothing, stored as null for its position (a replica's).
        }
        seq = update.seq();
        ts = update.ts();
        sum = state.checksum();
      }
      history.addLast(
          new Entry(
              update.seq(),
              Codec.update(name, epoch, update.seq(), update.ts(), sum, update.data(), 0)));
    }
    while (history.size() > historySize) {
      history.removeFirst();
    }
    updateTs = ts;
    tellWatchers();
  }

  /** Tells the watchers the state as it is now. */
  private void tellWatchers() {
    if (watchers.isEmpty()) {
      return;
    }
    JsonNode value = state.snapshot();
    Instant at = Instant.ofEpochMilli(ts);
    for (WatchesTopics watcher : watchers) {
      try {
        watcher.changed(name, value, at);
      } catch (RuntimeException e) {
        counters.errors.increment();
        log.error("topic {}: {} failed on an update", name, watcher, e);
      }
    }
  }

  /** Where this topic's history is kept. */
  TopicHistory stored() {
    return stored;
  }

  /** The kind of this topic's state ({@link State#kind()}). */
  String kind() {
    return state.kind();
  }

  /** The most values this topic's state keeps ({@link State#capacity()}). */
  int capacity() {
    return state.capacity();
  }

  /** Whether this topic's state takes only JSON objects, merged by key. */
  /** The topic as declared. */
  Topic topic() {
    return topic;
  }

  boolean keyed() {
    return state.kind().equals("keyed");
  }

  boolean isWatched() {
    return subscribers.count() > 0;
  }

  void heartbeat() {
    serial.execute(() -> fresh(clock.millis()));
  }

  void reportError(String message) {
    errors.increment();
    serial.execute(
        () -> {
          if (!message.equals(error)) {
            error = message;
            broadcastStatus();
          }
        });
  }

  TopicStats stats() {
    return new TopicStats(
        name, subscribers.count(), stale, error, errors.sum(), Instant.ofEpochMilli(freshAt));
  }

  /** Called by the hub's timer: announces the topic stale once it has been quiet too long. */
  void checkStale(long now) {
    if (staleAfterMillis > 0) {
      serial.execute(
          () -> {
            if (!stale && now - freshAt >= staleAfterMillis) {
              stale = true;
              broadcastStatus();
            }
          });
    }
  }

  private void fresh(long now) {
    freshAt = now;
    if (stale || error != null) {
      stale = false;
      error = null;
      broadcastStatus();
    }
  }

  private Frame status() {
    return codec.status(name, stale, error, freshAt);
  }

  private void broadcastStatus() {
    subscribers.offerEnvelope(this::status);
  }

  /** After a snapshot: the status too, unless all is well. */
  private void offerStatusIfNotOk(ClientConnection connection) {
    if (stale || error != null) {
      connection.offer(status());
    }
  }

  /** A value from a source: a change, or with {@code whole} the topic's whole new value. */
  void publish(JsonNode value, boolean whole, long pastTs) {
    long at = System.nanoTime();
    serial.execute(() -> apply(value, whole, at, pastTs));
  }

  /**
   * Publishes a change, and completes once its update is durable in the history store; fails with
   * an {@link IllegalArgumentException} naming why if the state refuses the value.
   */
  CompletableFuture<Void> publishDurably(JsonNode value) {
    long at = System.nanoTime();
    CompletableFuture<Void> durable = new CompletableFuture<>();
    serial.execute(
        () -> {
          String refused = apply(value, false, at, -1);
          if (refused != null) {
            durable.completeExceptionally(new IllegalArgumentException(refused));
          } else {
            store
                .durable()
                .whenComplete(
                    (done, e) -> {
                      if (e == null) {
                        durable.complete(null);
                      } else {
                        durable.completeExceptionally(e);
                      }
                    });
          }
        });
    return durable;
  }

  /** Stores a snapshot of the state if updates came after the last one; for a clean stop. */
  CompletableFuture<Void> saveSnapshot() {
    CompletableFuture<Void> saved = new CompletableFuture<>();
    serial.execute(
        () -> {
          if (seq != snapshotSeq) {
            storeSnapshot();
          }
          saved.complete(null);
        });
    return saved;
  }

  /**
   * Subscribing goes ahead of the updates waiting: the joiner gets the snapshot at once, then those
   * updates, instead of waiting for a backlog to drain (a connect storm on a busy server).
   */
  void subscribe(ClientConnection connection, Position since) {
    serial.executeFirst(() -> addSubscriber(connection, since));
  }

  void unsubscribe(ClientConnection connection) {
    serial.executeFirst(
        () -> {
          subscribers.remove(connection);
          connection.flush(); // what a broadcast queued for it
        });
  }

  /** Sends a fresh snapshot to a connection that fell behind and has drained its queue. */
  void resync(ClientConnection connection) {
    serial.execute(
        () -> {
          Frame snapshot =
              subscribers.contains(connection) ? snapshot(connection.isEnvelope(), false) : null;
          if (snapshot != null) {
            counters.resyncs.increment();
          }
          connection.resynced(name, snapshot);
          if (snapshot != null && connection.isEnvelope()) {
            offerStatusIfNotOk(connection);
          }
        });
  }

  private JsonNode fold(JsonNode value, boolean whole) {
    return whole ? state.replace(value) : state.apply(value);
  }

  /**
   * Folds a value in and sends its update, at {@code pastTs} if it is not negative; returns why the
   * state refused it, or null.
   */
  private String apply(JsonNode value, boolean whole, long publishedAt, long pastTs) {
    if (pastTs >= 0 && pastTs < updateTs) {
      return null; // the topic has that past already
    }
    if (newEpochNext) {
      newEpoch();
    }
    String data;
    boolean isSnapshot; // the data is the state's snapshot too, as with a latest state
    try {
      JsonNode update = fold(value, whole);
      if (update == null) {
        return null;
      }
      data = codec.data(update);
      isSnapshot = state.snapshot() == update;
    } catch (RuntimeException e) {
      counters.errors.increment();
      log.error(
          "topic {}: {} state failed to apply a value; the value is dropped",
          name,
          state.kind(),
          e);
      return "the topic's " + state.kind() + " state refused the value: " + e.getMessage();
    }
    seq++;
    broadcast(data, isSnapshot, publishedAt, pastTs);
    return null;
  }

  /** A value at a position assigned by a replicated log; see {@code Hub.applyReplicated}. */
  void applyAt(long atEpoch, long atSeq, JsonNode value, boolean whole) {
    long at = System.nanoTime();
    serial.execute(
        () -> {
          if (atEpoch == epoch && atSeq <= seq) {
            return; // applied already
          }
          boolean followsOn = atEpoch == epoch && atSeq == seq + 1;
          String data;
          try {
            JsonNode update = fold(value, whole);
            data = codec.data(update == null ? NullNode.getInstance() : update);
          } catch (RuntimeException e) {
            counters.errors.increment();
            log.error(
                "topic {}: {} state failed to apply the value at seq {}",
                name,
                state.kind(),
                atSeq,
                e);
            data = "null";
          }
          epoch = atEpoch;
          seq = atSeq;
          if (followsOn) {
            broadcast(data, false, at, -1);
            return;
          }
          // A new epoch, or positions this node never saw: every subscriber starts over.
          ts = updateTs = Math.max(ts, clock.millis());
          history.clear();
          clearSnapshot();
          counters.updates.increment();
          stored.append(new HistoryStore.Entry(epoch, seq, ts, data)); // a chart's point too
          storeSnapshot();
          tellWatchers();
          Frame reset = snapshot(true, true);
          Frame plain = snapshot(false, false);
          if (reset != null) {
            subscribers.offerEnvelope(() -> reset);
          }
          if (plain != null) {
            subscribers.offerPlain(plain);
          }
          fresh(ts);
        });
  }

  /**
   * Sends the update at the current seq to every subscriber and keeps it in the history, with the
   * time now, or {@code pastTs} if it is not negative.
   */
  private void broadcast(String data, boolean isSnapshot, long publishedAt, long pastTs) {
    // A history by time needs update times that never go back.
    ts =
        pastTs >= 0 ? Math.max(updateTs, pastTs) : Math.max(Math.max(ts, updateTs), clock.millis());
    updateTs = ts;
    clearSnapshot();
    if (isSnapshot) {
      snapshotData = data;
    }
    Frame frame = Codec.update(name, epoch, seq, ts, state.checksum(), data, publishedAt);
    history.addLast(new Entry(seq, frame));
    if (history.size() > historySize) {
      history.removeFirst();
    }
    counters.updates.increment();
    subscribers.broadcast(
        frame, () -> data.equals("null") ? null : Codec.plain(name, data, publishedAt));
    // Stored once the subscribers have it: the store costs them no latency.
    stored.append(new HistoryStore.Entry(epoch, seq, ts, data));
    if (seq - snapshotSeq >= SNAPSHOT_EVERY || ts - snapshotTs >= SNAPSHOT_MILLIS) {
      storeSnapshot();
    }
    fresh(Math.max(freshAt, ts)); // a past value is news, not a sign of staleness
    tellWatchers();
  }

  /**
   * Starts a new epoch at seq 0 with the state as it is: subscribers get a snapshot with {@code
   * reset}.
   */
  private void newEpoch() {
    newEpochNext = false;
    epoch = Math.max(epoch + 1, clock.millis());
    seq = 0;
    history.clear();
    clearSnapshot();
    storeSnapshot();
    Frame reset = snapshot(true, true);
    if (reset != null) {
      subscribers.offerEnvelope(() -> reset);
    }
  }

  /** Stores the state at the current seq, serialized once for the joiners after it too. */
  private void storeSnapshot() {
    if (snapshot(true, false) != null) {
      stored.saveSnapshot(new HistoryStore.Entry(epoch, seq, ts, snapshotData));
      snapshotSeq = seq;
      snapshotTs = ts;
    }
  }

  private void clearSnapshot() {
    snapshotData = null;
    envelopeSnapshot = null;
    plainSnapshot = null;
  }

  private void addSubscriber(ClientConnection connection, Position since) {
    if (!connection.isOpen()) {
      return;
    }
    if (!connection.isEnvelope()) {
      subscribers.add(connection);
      Frame snapshot = snapshot(false, false);
      if (snapshot != null) {
        connection.offer(snapshot);
      }
      return;
    }
    List<Frame> missed = since == null ? null : missedSince(since);
    Frame snapshot = missed == null ? snapshot(true, since != null) : null;
    if (missed == null && snapshot == null) {
      connection.offer(
          codec.error(ErrorCode.UNAVAILABLE, "the topic's state could not be read", name));
      return;
    }
    subscribers.add(connection);
    if (missed != null) {
      missed.forEach(connection::offer);
    } else {
      connection.offer(snapshot);
    }
    offerStatusIfNotOk(connection);
  }

  /** The updates after {@code since}, or {@code null} if they are not all in the history. */
  private List<Frame> missedSince(Position since) {
    if (since.epoch() != epoch || since.seq() > seq || since.seq() < 0) {
      return null;
    }
    long oldest = history.isEmpty() ? seq + 1 : history.peekFirst().seq();
    if (since.seq() + 1 < oldest) {
      return null;
    }
    List<Frame> missed = new ArrayList<>((int) (seq - since.seq()));
    for (Entry e : history) {
      if (e.seq() > since.seq()) {
        missed.add(e.frame().unstamped());
      }
    }
    return missed;
  }

  /**
   * The snapshot frame at the current seq; {@code null} if the state failed, or for the plain form
   * while the state is JSON null (a plain client expects data it can read, so it waits for the
   * first value).
   */
  private Frame snapshot(boolean envelope, boolean reset) {
    if (snapshotData == null) {
      try {
        snapshotData = codec.data(state.snapshot());
      } catch (RuntimeException e) {
        counters.errors.increment();
        log.error("topic {}: {} state failed to serialize a snapshot", name, state.kind(), e);
        return null;
      }
    }
    if (!envelope) {
      if (plainSnapshot == null && !snapshotData.equals("null")) {
        plainSnapshot = Codec.plain(name, snapshotData, 0);
      }
      return plainSnapshot;
    }
    if (reset) {
      return Codec.snapshot(name, epoch, seq, ts, true, snapshotData);
    }
    if (envelopeSnapshot == null) {
      envelopeSnapshot = Codec.snapshot(name, epoch, seq, ts, false, snapshotData);
    }
    return envelopeSnapshot;
  }
}
