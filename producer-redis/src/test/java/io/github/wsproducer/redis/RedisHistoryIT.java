package io.github.wsproducer.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.wsproducer.Hub;
import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import io.github.wsproducer.UpdateSink;
import io.github.wsproducer.UpdateSource;
import io.github.wsproducer.spi.HistoryStore;
import io.github.wsproducer.spi.HistoryStore.Entry;
import io.github.wsproducer.spi.HistoryStore.TopicHistory;
import io.github.wsproducer.spi.Inbound;
import io.github.wsproducer.testkit.ForkedMain;
import io.github.wsproducer.testkit.RecordingOutbound;
import io.github.wsproducer.testkit.Services;
import io.github.wsproducer.testkit.TcpProxy;
import io.github.wsproducer.testkit.WsTestClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** History kept in the real Redis: by the store alone, by a cluster, and across real restarts. */
class RedisHistoryIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final List<AutoCloseable> open = new ArrayList<>();
  private final AtomicReference<UpdateSink> sink = new AtomicReference<>();
  private String uri;
  private String prefix;

  @BeforeEach
  void redis() {
    InetSocketAddress redis = Services.redis();
    uri = "redis://" + redis.getHostString() + ":" + redis.getPort();
    prefix = "test-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private <T extends AutoCloseable> T opened(T closeable) {
    open.add(closeable);
    return closeable;
  }

  private RedisHistory store(String node) {
    return opened(RedisHistory.builder(uri).prefix(prefix).node(node).open());
  }

  private static void durable(HistoryStore store) throws Exception {
    store.durable().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static List<Entry> all(TopicHistory history) {
    List<Entry> entries = new ArrayList<>();
    history.scan(0, Long.MAX_VALUE / 2, entries::add);
    return entries;
  }

  private static Entry update(long seq, long ts) {
    return new Entry(7, seq, ts, "{\"n\":" + seq + "}");
  }

  @Test
  void eachPositionIsKeptOnceHoweverManyNodesAppendIt() throws Exception {
    RedisHistory a = store("a");
    RedisHistory b = store("b");
    TopicHistory onA = a.topic("t", Duration.ofHours(1), 1 << 20);
    TopicHistory onB = b.topic("t", Duration.ofHours(1), 1 << 20);
    onA.append(update(1, 1_000));
    durable(a);
    onB.append(update(1, 1_003)); // b's clock is 3 ms ahead: a's came first
    onB.append(update(2, 1_004));
    durable(b);
    onA.append(update(2, 999)); // a's clock is behind: its time is raised, and it is a duplicate
    onA.append(update(3, 999));
    durable(a);

    assertThat(all(onB)).extracting(Entry::seq).containsExactly(1L, 2L, 3L);
    assertThat(all(onB)).extracting(Entry::ts).containsExactly(1_000L, 1_004L, 1_004L);
    assertThat(all(onA)).isEqualTo(all(onB));
    assertThat(onA.last(2)).extracting(Entry::seq).containsExactly(2L, 3L);
    List<Entry> from1004 = new ArrayList<>();
    onA.scan(1_004, 1_004, from1004::add);
    assertThat(from1004).extracting(Entry::seq).containsExactly(2L, 3L);
    assertThat(a.topic("other", Duration.ofHours(1), 1 << 20).last(10)).isEmpty();
  }

  @Test
  void keepsItsRetentionButEveryUpdateAfterTheLatestSnapshot() throws Exception {
    RedisHistory store = store("a");
    TopicHistory t = store.topic("t", Duration.ofSeconds(10), 1 << 20);
    for (int seq = 1; seq <= 50; seq++) {
      t.append(update(seq, seq * 1_000L));
    }
    t.saveSnapshot(new Entry(7, 50, 50_000, "{\"n\":50}"));
    for (int seq = 51; seq <= 100; seq++) {
      t.append(update(seq, seq * 1_000L));
    }
    durable(store);
    // Older than 10 s but after the latest snapshot: kept, so that a restart can fold them.
    assertThat(all(t)).extracting(Entry::seq).startsWith(51L).endsWith(100L).hasSize(50);

    t.saveSnapshot(new Entry(7, 100, 100_000, "{\"n\":100}"));
    t.append(update(101, 101_000));
    t.append(update(102, 102_000));
    durable(store);
    assertThat(all(t)).extracting(Entry::seq).startsWith(92L).endsWith(102L).hasSize(11);

    // By bytes: at most ten updates' worth, with no snapshot holding any back.
    TopicHistory small = store.topic("small", Duration.ofHours(1), 10 * update(30, 0).bytes());
    for (int seq = 1; seq <= 30; seq++) {
      small.append(update(seq, 1_000));
    }
    durable(store);
    assertThat(all(small)).extracting(Entry::seq).startsWith(21L).endsWith(30L).hasSize(10);
  }

  @Test
  void keepsASnapshotAMinuteForTimeTravel() throws Exception {
    RedisHistory store = store("a");
    TopicHistory t = store.topic("t", Duration.ofHours(1), 1 << 20);
    for (int seq = 1; seq <= 180; seq++) { // three minutes, a snapshot a second
      long ts = 1_000_000L + seq * 1_000L;
      t.append(update(seq, ts));
      t.saveSnapshot(new Entry(7, seq, ts, "{\"n\":" + seq + "}"));
    }
    durable(store);
    assertThat(t.latestSnapshot().seq()).isEqualTo(180);
    assertThat(t.snapshotAt(1_000_000L + 180_000).seq()).isEqualTo(180);
    assertThat(t.snapshotAt(1_000_000L + 90_000).seq()).as("a minute apart").isEqualTo(61);
    assertThat(t.snapshotAt(1_000_000L + 30_000).seq()).isEqualTo(1);
    assertThat(t.snapshotAt(1_000_000L)).isNull();
  }

  @Test
  void isNotDurableWhileRedisIsUnreachableAndIsAgainOnceItReturns() throws Exception {
    TcpProxy link = opened(new TcpProxy(Services.redis()));
    RedisHistory store =
        opened(RedisHistory.builder("redis://" + link.hostPort()).prefix(prefix).open());
    TopicHistory t = store.topic("t", Duration.ofHours(1), 1 << 20);
    t.append(update(1, 1_000));
    durable(store);

    link.cut();
    t.append(update(2, 2_000)); // lost: the push that made it must not be answered 202
    assertThat(store.durable().toCompletableFuture()).failsWithin(Duration.ofSeconds(10));

    link.restore();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              t.append(update(3, 3_000));
              assertThat(store.durable().toCompletableFuture())
                  .succeedsWithin(Duration.ofSeconds(5));
            });
    assertThat(all(t)).extracting(Entry::seq).contains(1L, 3L).doesNotContain(2L);

    store.close();
    assertThat(store.durable().toCompletableFuture())
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .withMessageContaining("closed");
  }

  /** A node of a cluster: a hub whose topic t is replicated and kept in Redis. */
  private Hub node(String name) {
    Hub hub =
        opened(
            Hub.builder()
                .topic(Topic.of("t", State.keyed()))
                .history(RedisHistory.builder(uri).prefix(prefix).node(name).open())
                .build());
    opened(
        RedisFanout.builder(uri, hub)
            .prefix(prefix)
            .node(name)
            .source(
                "t",
                () ->
                    new UpdateSource() {
                      @Override
                      public void start(UpdateSink s) {
                        sink.set(s);
                      }

                      @Override
                      public void close() {
                        sink.compareAndSet(sink.get(), null);
                      }
                    })
            .build());
    return hub;
  }

  private static JsonNode history(Hub hub) throws InterruptedException {
    RecordingOutbound screen = new RecordingOutbound();
    Inbound in = screen.openEnvelope(hub);
    screen.next("hello");
    in.onText("{\"type\":\"history\",\"topic\":\"t\",\"since\":0,\"points\":5000,\"id\":\"h\"}");
    return screen.next("history").path("updates");
  }

  @Test
  void everyNodeOfAClusterServesTheSameHistoryAndANewNodeStartsWithIt() throws Exception {
    Hub a = node("a");
    Hub b = node("b");
    await().until(() -> sink.get() != null);
    for (int i = 1; i <= 300; i++) {
      sink.get().publish("t", Map.of("k" + (i % 7), i));
    }
    await().until(() -> a.stats().updates() >= 300 && b.stats().updates() >= 300);
    await().untilAsserted(() -> assertThat(history(a)).hasSize(300));
    JsonNode onA = history(a);
    assertThat(history(b)).as("the same updates, at the same times").isEqualTo(onA);
    assertThat(onA.get(299).path("seq").asLong()).isEqualTo(300);

    Hub c = node("c"); // starts late: its state, epoch and seq come from Redis at once
    assertThat(history(c)).isEqualTo(onA);
    RecordingOutbound screen = new RecordingOutbound();
    Inbound in = screen.openEnvelope(c);
    screen.next("hello");
    in.onText("{\"type\":\"subscribe\",\"topic\":\"t\"}");
    JsonNode snapshot = screen.next("snapshot");
    assertThat(snapshot.path("seq").asLong()).isEqualTo(300);
    assertThat(snapshot.path("epoch").asLong()).isEqualTo(onA.get(0).path("epoch").asLong());
    assertThat(snapshot.path("data")).hasSize(7);
  }

  @Test
  void afterACleanStopAndAfterKillMinus9EveryAcknowledgedPushIsThereAndScreensResume()
      throws Exception {
    ForkedMain first = opened(ForkedMain.start(RedisHistoryServer.class, uri, prefix));
    WsTestClient screen = subscribed(first.root(), "notes", null);
    long epoch = screen.next("snapshot").path("epoch").asLong();
    assertThat(push(first.root(), "note 1").statusCode()).isEqualTo(202);
    assertThat(screen.next("update").path("seq").asLong()).isEqualTo(1);
    screen.close();
    for (int i = 2; i <= 9; i++) { // acknowledged, then the server dies at once
      assertThat(push(first.root(), "note " + i).statusCode()).isEqualTo(202);
    }
    first.kill();

    ForkedMain second = opened(ForkedMain.start(RedisHistoryServer.class, uri, prefix));
    assertThat(second.output()).anyMatch(line -> line.contains("was not closed cleanly"));
    WsTestClient resumed =
        subscribed(second.root(), "notes", "{\"epoch\":" + epoch + ",\"seq\":1}");
    for (int i = 2; i <= 9; i++) {
      JsonNode update = resumed.next();
      assertThat(update.path("type").asString()).as("no reset, no gap").isEqualTo("update");
      assertThat(update.path("seq").asLong()).isEqualTo(i);
      assertThat(update.path("data").path("text").asString()).isEqualTo("note " + i);
    }
    // After a crash the next update starts a new epoch: positions sent just before the crash
    // may be lost, and are not used again for other data.
    assertThat(push(second.root(), "note 10").statusCode()).isEqualTo(202);
    JsonNode reset = resumed.next();
    assertThat(reset.path("reset").asBoolean()).isTrue();
    long epoch2 = reset.path("epoch").asLong();
    assertThat(epoch2).isGreaterThan(epoch);
    assertThat(reset.path("data")).hasSize(9);
    resumed.next("update");
    resumed.close();

    // A clean stop: no new epoch after it, and the notes are all there.
    RedisHistoryServer third = opened(new RedisHistoryServer(uri, prefix));
    third.close();
    RedisHistoryServer fourth = opened(new RedisHistoryServer(uri, prefix));
    URI root = fourth.server.uri();
    WsTestClient again = subscribed(root, "notes", "{\"epoch\":" + epoch2 + ",\"seq\":1}");
    assertThat(push(root, "note 11").statusCode()).isEqualTo(202);
    JsonNode eleven = again.next();
    assertThat(eleven.path("type").asString()).isEqualTo("update");
    assertThat(eleven.path("epoch").asLong()).isEqualTo(epoch2);
    assertThat(eleven.path("seq").asLong()).isEqualTo(2);
    assertThat(eleven.path("data").path("text").asString()).isEqualTo("note 11");
  }

  private static WsTestClient subscribed(URI root, String topic, String since) throws Exception {
    WsTestClient client = WsTestClient.envelope(URI.create("ws" + root.toString().substring(4)));
    client.send(
        "{\"type\":\"subscribe\",\"topic\":\""
            + topic
            + "\""
            + (since == null ? "" : ",\"since\":" + since)
            + "}");
    return client;
  }

  private static HttpResponse<String> push(URI root, String text) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(root.resolve("/topics/notes"))
            .header("Authorization", "Bearer " + RedisHistoryServer.TOKEN)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + text + "\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
