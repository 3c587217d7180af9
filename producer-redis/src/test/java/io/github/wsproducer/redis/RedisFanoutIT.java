package io.github.wsproducer.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.wsproducer.Hub;
import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import io.github.wsproducer.UpdateSink;
import io.github.wsproducer.UpdateSource;
import io.github.wsproducer.spi.Inbound;
import io.github.wsproducer.testkit.ManualClock;
import io.github.wsproducer.testkit.RecordingOutbound;
import io.github.wsproducer.testkit.Services;
import io.github.wsproducer.testkit.TcpProxy;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/** Several nodes in one JVM sharing topics through the real Redis. */
class RedisFanoutIT {
  private static final Logger log = LoggerFactory.getLogger(RedisFanoutIT.class);

  /** One server node: its hub and its Redis link. */
  record Node(Hub hub, RedisFanout fanout) implements AutoCloseable {
    RecordingOutbound subscriber(String since) throws InterruptedException {
      RecordingOutbound t = new RecordingOutbound();
      Inbound c = t.openEnvelope(hub);
      t.next("hello");
      c.onText(
          "{\"type\":\"subscribe\",\"topic\":\"t\""
              + (since == null ? "" : ",\"since\":" + since)
              + "}");
      return t;
    }

    @Override
    public void close() {
      fanout.close();
      hub.close();
    }
  }

  /** A source the test drives: whichever node leads publishes through {@link #sink}. */
  final AtomicReference<UpdateSink> sink = new AtomicReference<>();

  /** The clock of the nodes made next. */
  Clock clock = Clock.systemUTC();

  /** The state of topic {@code t} on every node. */
  Supplier<State> state = State::latest;

  final List<Node> nodes = new ArrayList<>();
  final List<TcpProxy> proxies = new ArrayList<>();
  String prefix;
  InetSocketAddress redis;

  @BeforeEach
  void prefix() {
    redis = Services.redis();
    prefix = "test-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void stop() throws Exception {
    for (Node n : nodes) {
      n.close();
    }
    for (TcpProxy p : proxies) {
      p.close();
    }
  }

  Node node(String name, String redisHostPort) {
    Hub hub = Hub.builder().topic(Topic.of("t", state.get())).build();
    RedisFanout fanout =
        RedisFanout.builder("redis://" + redisHostPort, hub)
            .prefix(prefix)
            .node(name)
            .leaseTtl(Duration.ofMillis(1500))
            .clock(clock)
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
            .build();
    Node n = new Node(hub, fanout);
    nodes.add(n);
    return n;
  }

  Node node(String name) {
    return node(name, redis.getHostString() + ":" + redis.getPort());
  }

  TcpProxy proxy() throws Exception {
    TcpProxy p = new TcpProxy(redis);
    proxies.add(p);
    return p;
  }

  void publish(int from, int to) {
    await().until(() -> sink.get() != null);
    for (int i = from; i <= to; i++) {
      sink.get().publish("t", Map.of("n", i));
    }
  }

  /** Reads updates until one carries {@code n == last}; returns their seqs, checked consecutive. */
  static List<Long> readUntil(RecordingOutbound t, long seqBefore, int last)
      throws InterruptedException {
    List<Long> seqs = new ArrayList<>();
    long seq = seqBefore;
    while (true) {
      JsonNode u = t.next("update");
      assertThat(u.path("seq").asLong()).as("no gap, no duplicate").isEqualTo(++seq);
      seqs.add(seq);
      if (u.path("data").path("n").asInt() == last) {
        return seqs;
      }
    }
  }

  @Test
  void aWholeValueRemovesTheKeysItLacksOnEveryNode() throws Exception {
    state = State::keyed;
    List<Node> both = List.of(node("a"), node("b"));
    await().until(() -> sink.get() != null);
    List<RecordingOutbound> screens = new ArrayList<>();
    for (Node n : both) {
      RecordingOutbound screen = n.subscriber(null);
      screen.next("snapshot");
      screens.add(screen);
    }
    sink.get().replace("t", Map.of("open", 2, "shipped", 1));
    for (RecordingOutbound screen : screens) {
      // The stream's first entry starts its epoch: a snapshot with reset.
      assertThat(screen.next().path("data").size()).isEqualTo(2);
    }
    sink.get().replace("t", Map.of("shipped", 3));
    for (RecordingOutbound screen : screens) {
      assertThat(screen.next("update").path("data").toString())
          .isEqualTo("{\"open\":null,\"shipped\":3}");
    }
    for (Node n : both) {
      assertThat(n.subscriber(null).next("snapshot").path("data").toString())
          .isEqualTo("{\"shipped\":3}");
    }
  }

  @Test
  void everyNodeDeliversEveryUpdateWithTheSameSeq() throws Exception {
    Node a = node("a");
    Node b = node("b");
    Node c = node("c");
    publish(1, 1);
    List<RecordingOutbound> screens = new ArrayList<>();
    List<JsonNode> snapshots = new ArrayList<>();
    for (Node n : List.of(a, b, c)) {
      await().until(() -> n.hub().stats().updates() >= 1);
      RecordingOutbound screen = n.subscriber(null);
      snapshots.add(screen.next("snapshot"));
      screens.add(screen);
    }
    assertThat(snapshots)
        .extracting(s -> s.path("epoch").asLong())
        .containsOnly(snapshots.get(0).path("epoch").asLong());
    assertThat(snapshots).extracting(s -> s.path("seq").asLong()).containsOnly(1L);
    publish(2, 200);
    for (RecordingOutbound screen : screens) {
      assertThat(readUntil(screen, 1, 200)).hasSize(199);
    }
    assertThat(List.of(a, b, c)).filteredOn(n -> n.fanout().isProducing("t")).hasSize(1);
  }

  @Test
  void aClientResumesOnAnotherNodeWithExactlyWhatItMissed() throws Exception {
    Node a = node("a");
    Node b = node("b");
    publish(1, 10);
    await().until(() -> a.hub().stats().updates() >= 10 && b.hub().stats().updates() >= 10);
    RecordingOutbound onA = a.subscriber(null);
    JsonNode snapshot = onA.next("snapshot");
    long epoch = snapshot.path("epoch").asLong();
    assertThat(snapshot.path("seq").asLong()).isEqualTo(10);

    publish(11, 30); // the client is away meanwhile
    await().until(() -> b.hub().stats().updates() >= 30);
    RecordingOutbound onB = b.subscriber("{\"epoch\":" + epoch + ",\"seq\":10}");
    assertThat(readUntil(onB, 10, 30)).hasSize(20);
    onB.assertQuiet();

    RecordingOutbound wrongEpoch = b.subscriber("{\"epoch\":" + (epoch - 1) + ",\"seq\":10}");
    JsonNode reset = wrongEpoch.next("snapshot");
    assertThat(reset.path("reset").asBoolean()).isTrue();
    assertThat(reset.path("data").path("n").asInt()).isEqualTo(30);
  }

  @Test
  void aNodeStartedLateServesTheCurrentSnapshot() throws Exception {
    node("a");
    publish(1, 25);
    Node late = node("late");
    await().until(() -> late.hub().stats().updates() >= 1);
    RecordingOutbound t = late.subscriber(null);
    JsonNode snapshot = t.next("snapshot");
    // The late node may still be reading the stream; the snapshot is wherever it got to, and the
    // updates continue from there without a gap.
    long seq = snapshot.path("seq").asLong();
    if (seq < 25) {
      readUntil(t, seq, 25);
    } else {
      assertThat(snapshot.path("data").path("n").asInt()).isEqualTo(25);
    }
  }

  @Test
  void anotherNodeTakesOverWhenTheProducingNodeDies() throws Exception {
    TcpProxy aLink = proxy();
    Node a = node("a", aLink.hostPort());
    await().until(() -> a.fanout().isProducing("t"));
    Node b = node("b");
    publish(1, 5);
    await().until(() -> b.hub().stats().updates() >= 5);
    RecordingOutbound onB = b.subscriber(null);
    long seq = onB.next("snapshot").path("seq").asLong();

    long died = System.nanoTime();
    aLink.cut(); // a can reach Redis no more: its lease runs out
    await().atMost(Duration.ofSeconds(10)).until(() -> b.fanout().isProducing("t"));
    long tookOver = System.nanoTime();
    log.info("takeover after {} ms (lease TTL 1500 ms)", (tookOver - died) / 1_000_000);
    await().until(() -> !a.fanout().isProducing("t"));

    publish(6, 20);
    List<Long> seqs = readUntil(onB, seq, 20);
    assertThat(seqs).hasSize(15);
  }

  @Test
  void aProducerCutOffFromRedisKeepsItsSourceUntilItsLeaseRunsOutByItsClock() throws Exception {
    ManualClock manual = new ManualClock();
    clock = manual;
    TcpProxy link = proxy();
    Node a = node("a", link.hostPort());
    await().until(() -> a.fanout().isProducing("t"));
    link.cut(); // renewals fail from now on
    await()
        .during(Duration.ofSeconds(2)) // longer than the 1,500 ms lease in real time
        .atMost(Duration.ofSeconds(4))
        .until(() -> a.fanout().isProducing("t"));
    manual.advance(Duration.ofMillis(1500));
    await().atMost(Duration.ofSeconds(5)).until(() -> !a.fanout().isProducing("t"));
  }

  @Test
  void aRedisOutageIsAStatusAndEveryClientConvergesAfterIt() throws Exception {
    TcpProxy link = proxy();
    Node a = node("a", link.hostPort());
    Node b = node("b", link.hostPort());
    publish(1, 3);
    await().until(() -> a.hub().stats().updates() >= 3 && b.hub().stats().updates() >= 3);
    RecordingOutbound onA = a.subscriber(null);
    RecordingOutbound onB = b.subscriber(null);
    long seqA = onA.next("snapshot").path("seq").asLong();
    long seqB = onB.next("snapshot").path("seq").asLong();

    link.cut();
    assertThat(onA.next("status").path("error").asString()).isEqualTo(RedisFanout.UNREACHABLE);
    assertThat(onB.next("status").path("error").asString()).isEqualTo(RedisFanout.UNREACHABLE);
    assertThat(a.hub().stats().connections() + b.hub().stats().connections())
        .as("clients stay connected")
        .isEqualTo(2);

    link.restore();
    long restored = System.nanoTime();
    assertThat(onA.next("status").has("error")).isFalse();
    assertThat(onB.next("status").has("error")).isFalse();
    publish(4, 10);
    readUntil(onA, seqA, 10);
    readUntil(onB, seqB, 10);
    log.info(
        "after Redis returned, both clients had the latest value in {} ms",
        (System.nanoTime() - restored) / 1_000_000);
  }

  @Test
  void badSettingsFailWithTheFieldAndTheValue() {
    Hub hub = Hub.builder().topic(Topic.of("t", state.get())).build();
    try {
      assertThatThrownBy(() -> RedisFanout.builder("localhost:6379", hub))
          .hasMessage("uri must start with redis:// or rediss://, was \"localhost:6379\"");
      assertThatThrownBy(() -> RedisFanout.builder("redis://x", hub).topic("nope"))
          .hasMessage("the hub has no topic \"nope\"");
      assertThatThrownBy(() -> RedisFanout.builder("redis://127.0.0.1:1", hub).topic("t").build())
          .hasMessageStartingWith("cannot connect to Redis at redis://127.0.0.1:1");
    } finally {
      hub.close();
    }
  }
}
