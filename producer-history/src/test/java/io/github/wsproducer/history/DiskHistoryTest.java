package io.github.wsproducer.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.wsproducer.spi.HistoryStore.Entry;
import io.github.wsproducer.spi.HistoryStore.TopicHistory;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The store on a real disk: retention, reads by time, and files that are cut short or damaged. */
class DiskHistoryTest {
  private static final Duration HOUR = Duration.ofHours(1);

  @TempDir Path data;
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(DiskHistory.class);

  @BeforeEach
  void listen() {
    log.start();
    logger.addAppender(log);
  }

  @AfterEach
  void stopListening() {
    logger.detachAppender(log);
  }

  private static Entry update(long seq, long ts) {
    return new Entry(1, seq, ts, "{\"n\":" + seq + "}");
  }

  @Test
  void updatesAreKeptForTheRetentionAndWithinTheBytesButNeverPastTheLatestSnapshot() {
    try (DiskHistory store = DiskHistory.open(data)) {
      TopicHistory byTime = store.topic("by-time", Duration.ofSeconds(10), 1 << 20);
      for (long seq = 1; seq <= 100; seq++) { // one a second
        byTime.append(update(seq, seq * 1000));
        if (seq % 5 == 0) {
          byTime.saveSnapshot(update(seq, seq * 1000));
        }
      }
      assertThat(byTime.last(1000)).extracting(Entry::seq).first().isEqualTo(90L);

      long oneEntry = update(100, 0).bytes(); // as long as each of those that stay
      TopicHistory byBytes = store.topic("by-bytes", HOUR, 20 * oneEntry);
      for (long seq = 1; seq <= 100; seq++) {
        byBytes.append(update(seq, seq));
      }
      byBytes.saveSnapshot(update(100, 100));
      assertThat(byBytes.last(1000)).hasSize(20);

      TopicHistory behind = store.topic("behind", Duration.ofSeconds(1), 1 << 20);
      behind.saveSnapshot(update(10, 10_000));
      for (long seq = 11; seq <= 20; seq++) { // ten seconds after the snapshot
        behind.append(update(seq, seq * 1000));
      }
      assertThat(behind.last(1000))
          .as("a restart folds every update after the snapshot, so they stay")
          .extracting(Entry::seq)
          .containsExactly(11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L);
    }
  }

  @Test
  void aSnapshotAMinuteIsKeptForTheStateAtAPastMomentAsFarBackAsTheUpdates() {
    try (DiskHistory store = DiskHistory.open(data)) {
      TopicHistory t = store.topic("t", Duration.ofMinutes(3), 1 << 20);
      for (long s = 0; s <= 600; s += 30) { // an update and a snapshot every 30 s, for 10 min
        t.append(update(s, s * 1000));
        t.saveSnapshot(update(s, s * 1000));
      }
      assertThat(t.snapshotAt(600_000).seq()).isEqualTo(600);
      assertThat(t.snapshotAt(599_999).seq()).as("one a minute").isEqualTo(540);
      assertThat(t.snapshotAt(450_000).seq()).isEqualTo(420);
      long oldest = t.last(1000).get(0).ts();
      assertThat(oldest).isEqualTo(420_000); // three minutes kept
      assertThat(t.snapshotAt(oldest)).as("one at or before the oldest update").isNotNull();
      assertThat(t.snapshotAt(oldest - 60_001)).as("none older than that").isNull();
    }
  }

  @Test
  void aScanVisitsTheUpdatesOfATimeRangeOldestFirstUntilTheVisitorStops() {
    try (DiskHistory store = DiskHistory.open(data)) {
      TopicHistory t = store.topic("t", HOUR, 1 << 20);
      for (long seq = 1; seq <= 1000; seq++) {
        t.append(update(seq, 10 * seq));
      }
      List<Long> seen = new ArrayList<>();
      t.scan(
          5000,
          5100,
          e -> {
            seen.add(e.seq());
            return true;
          });
      assertThat(seen)
          .containsExactly(500L, 501L, 502L, 503L, 504L, 505L, 506L, 507L, 508L, 509L, 510L);
      seen.clear();
      t.scan(0, Long.MAX_VALUE, e -> seen.add(e.seq()) && seen.size() < 3);
      assertThat(seen).containsExactly(1L, 2L, 3L);
    }
  }

  @Test
  void whatIsStoredSurvivesReopeningAndAStoreClosedCleanlySaysSo() {
    try (DiskHistory store = DiskHistory.open(data)) {
      TopicHistory t = store.topic("t", HOUR, 1 << 20);
      t.append(update(1, 1));
      t.saveSnapshot(update(1, 1));
    }
    try (DiskHistory store = DiskHistory.open(data)) {
      assertThat(store.closedCleanly()).isTrue();
      TopicHistory t = store.topic("t", HOUR, 1 << 20);
      assertThat(t.latestSnapshot()).isEqualTo(update(1, 1));
      assertThat(t.last(10)).containsExactly(update(1, 1));
    }
    assertThat(log.list).isEmpty();
  }

  @Test
  void aFileCutShortRestoresItsLastCommitWithOneWarningNamingTheFileAndWhatItKeeps()
      throws Exception {
    DiskHistory store = DiskHistory.open(data);
    TopicHistory t = store.topic("orders", HOUR, 1 << 20);
    for (long seq = 1; seq <= 3000; seq++) {
      t.append(update(seq, seq));
      if (seq % 500 == 0) {
        t.saveSnapshot(update(seq, seq));
        store.durable().toCompletableFuture().join();
      }
    }
    store.close();
    Path file = data.resolve(DiskHistory.FILE);
    try (RandomAccessFile cut = new RandomAccessFile(file.toFile(), "rw")) {
      cut.setLength(cut.length() - 5000); // the last commit, and the close, torn off
    }

    try (DiskHistory again = DiskHistory.open(data)) {
      assertThat(again.closedCleanly()).isFalse();
      TopicHistory orders = again.topic("orders", HOUR, 1 << 20);
      Entry snapshot = orders.latestSnapshot();
      assertThat(snapshot.seq()).isLessThan(3000);
      assertThat(orders.last(1).get(0).seq()).isGreaterThanOrEqualTo(snapshot.seq());
      assertThat(log.list).hasSize(1);
      ILoggingEvent warning = log.list.get(0);
      assertThat(warning.getLevel()).isEqualTo(Level.WARN);
      assertThat(warning.getFormattedMessage())
          .contains(file.toString())
          .contains("orders at seq " + orders.last(1).get(0).seq() + " of epoch 1");
    }
  }

  @Test
  void aFileThatCannotBeReadIsMovedAsideNamedInAWarningAndTheStoreStartsEmpty() throws Exception {
    try (DiskHistory store = DiskHistory.open(data)) {
      store.topic("t", HOUR, 1 << 20).append(update(1, 1));
    }
    Path file = data.resolve(DiskHistory.FILE);
    Files.write(file, new byte[(int) Files.size(file)]); // zeros all through

    try (DiskHistory again = DiskHistory.open(data)) {
      assertThat(again.topic("t", HOUR, 1 << 20).last(10)).isEmpty();
    }
    try (Stream<Path> files = Files.list(data)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(name -> name.startsWith(DiskHistory.FILE + ".unreadable-"));
    }
    assertThat(log.list).hasSize(1);
    assertThat(log.list.get(0).getFormattedMessage())
        .contains(file.toString())
        .contains("moved to");
  }

  @Test
  void aDirectoryInUseByAnotherStoreIsRefusedNamingIt() {
    try (DiskHistory store = DiskHistory.open(data)) {
      assertThat(store.file()).exists();
      assertThatThrownBy(() -> DiskHistory.open(data))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(data.resolve(DiskHistory.FILE).toString())
          .hasMessageContaining("in use");
    }
  }

  @Test
  void durableCompletesOnceCommittedAndFailsAfterClose() {
    DiskHistory store = DiskHistory.open(data);
    store.topic("t", HOUR, 1 << 20).append(update(1, 1));
    store.durable().toCompletableFuture().join();
    store.close();
    assertThat(store.durable().toCompletableFuture()).isCompletedExceptionally();
  }
}
