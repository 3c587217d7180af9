package io.github.wsproducer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.wsproducer.protocol.CloseCode;
import io.github.wsproducer.protocol.Protocol;
import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.spi.Handshake;
import io.github.wsproducer.spi.HttpAdmission;
import io.github.wsproducer.spi.HttpRequest;
import io.github.wsproducer.spi.HttpResponse;
import io.github.wsproducer.spi.Inbound;
import io.github.wsproducer.spi.Replica;
import io.github.wsproducer.spi.TransportOptions;
import io.github.wsproducer.testkit.ManualClock;
import io.github.wsproducer.testkit.RecordingOutbound;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class HubTest {
  private static final TransportOptions LIMITS =
      RecordingOutbound.options(1 << 20, Duration.ofSeconds(30), Duration.ZERO);

  private Hub hub;

  /** A value whose accessor fails while it is serialized. */
  public record Exploding(int x) {
    @Override
    public int x() {
      throw new IllegalStateException("no x today");
    }
  }

  @AfterEach
  void closeHub() {
    if (hub != null) {
      hub.close();
    }
  }

  private Hub hub(Topic... topics) {
    Hub.Builder builder = Hub.builder();
    for (Topic t : topics) {
      builder.topic(t);
    }
    hub = builder.build();
    return hub;
  }

  private static Inbound subscribe(Hub hub, RecordingOutbound t, String topic, String since)
      throws InterruptedException {
    Inbound c = t.openEnvelope(hub);
    t.next("hello");
    c.onText(
        "{\"type\":\"subscribe\",\"topic\":\""
            + topic
            + "\""
            + (since == null ? "" : ",\"since\":" + since)
            + "}");
    return c;
  }

  private static void publishN(Hub hub, String topic, int from, int to) {
    for (int i = from; i <= to; i++) {
      hub.publish(topic, Map.of("n", i));
    }
  }

  @Test
  void helloListsTopicsWithTheirStateKindsAndWindowSizes() throws InterruptedException {
    hub(
        Topic.of("a", State.latest()),
        Topic.of("b", State.keyed()),
        Topic.of("c", State.window(3)));
    RecordingOutbound t = new RecordingOutbound();
    t.openEnvelope(hub);
    JsonNode hello = t.next("hello");
    assertThat(hello.path("server").asString()).startsWith("wsproducer/");
    assertThat(hello.path("topics").toString())
        .isEqualTo(
            "[{\"name\":\"a\",\"state\":\"latest\"},{\"name\":\"b\",\"state\":\"keyed\"},"
                + "{\"name\":\"c\",\"state\":\"window\",\"size\":3}]");
  }

  @Test
  void subscriberSeesEveryUpdateInSeqOrder() throws InterruptedException {
    hub(Topic.of("t", State.latest()));
    RecordingOutbound t = new RecordingOutbound();
    subscribe(hub, t, "t", null);
    JsonNode snapshot = t.next("snapshot");
    assertThat(snapshot.path("seq").asLong()).isZero();
    assertThat(snapshot.path("data").isNull()).isTrue();
    publishN(hub, "t", 1, 1000);
    for (int i = 1; i <= 1000; i++) {
      JsonNode update = t.next("update");
      assertThat(update.path("seq").asLong()).isEqualTo(i);
      assertThat(update.path("epoch").asLong()).isEqualTo(snapshot.path("epoch").asLong());
      assertThat(update.path("data").path("n").asInt()).isEqualTo(i);
    }
  }

  @RepeatedTest(30)
  void subscribingWhileAnotherThreadPublishesFastLeavesNoGapAndNoDuplicate() throws Exception {
    hub(Topic.of("t", State.latest()));
    int total = 3000;
    CountDownLatch started = new CountDownLatch(1);
    Thread publisher =
        new Thread(
            () -> {
              for (int i = 1; i <= total; i++) {
                hub.publish("t", Map.of("n", i));
                if (i == 100) {
                  started.countDown();
                }
              }
            });
    publisher.start();
    started.await();
    List<RecordingOutbound> clients = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      RecordingOutbound t = new RecordingOutbound();
      subscribe(hub, t, "t", null);
      clients.add(t);
    }
    publisher.join();
    for (RecordingOutbound t : clients) {
      JsonNode snapshot = t.next("snapshot");
      long seq = snapshot.path("seq").asLong();
      assertThat(snapshot.path("data").path("n").asLong()).isEqualTo(seq);
      while (seq < total) {
        JsonNode update = t.next("update");
        assertThat(update.path("seq").asLong()).isEqualTo(++seq);
        assertThat(update.path("data").path("n").asLong()).isEqualTo(seq);
      }
    }
    clients.get(0).assertQuiet();
    assertThat(clients).allSatisfy(t -> assertThat(t.frames).isEmpty());
  }

  @Test
  void resumeInsideTheHistoryWindowReplaysExactlyTheMissedUpdates() throws InterruptedException {
    hub(Topic.of("t", State.latest()).withHistory(100));
    RecordingOutbound first = new RecordingOutbound();
    subscribe(hub, first, "t", null);
    long epoch = first.next("snapshot").path("epoch").asLong();
    publishN(hub, "t", 1, 150);
    await().until(() -> hub.stats().updates() == 150);

    RecordingOutbound resumed = new RecordingOutbound();
    subscribe(hub, resumed, "t", "{\"epoch\":" + epoch + ",\"seq\":60}");
    for (int seq = 61; seq <= 150; seq++) {
      assertThat(resumed.next("update").path("seq").asLong()).isEqualTo(seq);
    }
    resumed.assertQuiet();

    RecordingOutbound upToDate = new RecordingOutbound();
    subscribe(hub, upToDate, "t", "{\"epoch\":" + epoch + ",\"seq\":150}");
    upToDate.assertQuiet();
    hub.publish("t", Map.of("n", 151));
    assertThat(upToDate.next("update").path("seq").asLong()).isEqualTo(151);
  }

  @Test
  void resumeOutsideTheWindowOrFromAnotherEpochGetsASnapshotWithReset()
      throws InterruptedException {
    hub(Topic.of("t", State.latest()).withHistory(10));
    RecordingOutbound first = new RecordingOutbound();
    subscribe(hub, first, "t", null);
    long epoch = first.next("snapshot").path("epoch").asLong();
    publishN(hub, "t", 1, 50);
    await().until(() -> hub.stats().updates() == 50);

    for (String since :
        List.of(
            "{\"epoch\":" + epoch + ",\"seq\":39}",
            "{\"epoch\":" + (epoch - 1) + ",\"seq\":45}",
            "{\"epoch\":" + epoch + ",\"seq\":51}")) {
      RecordingOutbound t = new RecordingOutbound();
      subscribe(hub, t, "t", since);
      JsonNode snapshot = t.next("snapshot");
      assertThat(snapshot.path("reset").asBoolean()).as(since).isTrue();
      assertThat(snapshot.path("seq").asLong()).isEqualTo(50);
      assertThat(snapshot.path("data").path("n").asInt()).isEqualTo(50);
      t.assertQuiet();
    }
    RecordingOutbound edge = new RecordingOutbound();
    subscribe(hub, edge, "t", "{\"epoch\":" + epoch + ",\"seq\":40}");
    for (int seq = 41; seq <= 50; seq++) {
      assertThat(edge.next("update").path("seq").asLong()).isEqualTo(seq);
    }
  }

  @Test
  void subscriberOverItsByteCapResyncsAndNeverGrowsPastTheCap() throws InterruptedException {
    hub(Topic.of("t", State.latest()));
    long cap = 4096;
    RecordingOutbound slow = new RecordingOutbound().stall();
    Inbound c = slow.openEnvelope(hub, capped(cap));
    c.onText("{\"type\":\"subscribe\",\"topic\":\"t\"}");
    // A healthy client with the same cap: frames that wait for a flush never count against it.
    RecordingOutbound healthy = new RecordingOutbound();
    healthy.openEnvelope(hub, capped(cap)).onText("{\"type\":\"subscribe\",\"topic\":\"t\"}");
    healthy.next("hello");
    healthy.next("snapshot");

    publishPadded(500, healthy);
    assertThat(hub.stats().dropped()).isPositive();
    assertThat(hub.stats().peakQueuedBytes()).isLessThanOrEqualTo(cap);

    slow.release();
    slow.next("hello");
    // the queued snapshot and updates were dropped when the cap was hit: a fresh snapshot instead
    JsonNode resync = slow.next("snapshot");
    assertThat(resync.has("reset")).isFalse();
    assertThat(resync.path("seq").asLong()).isEqualTo(500);
    assertThat(resync.path("data").path("n").asInt()).isEqualTo(500);
    assertThat(hub.stats().resyncs()).isEqualTo(1);

    hub.publish("t", Map.of("n", 501));
    assertThat(slow.next("update").path("seq").asLong()).isEqualTo(501);
    assertThat(hub.stats().peakQueuedBytes()).isLessThanOrEqualTo(cap);
  }

  @Test
  void aSubscriberThatFallsBehindStillGetsTheAnswersQueuedAmongItsUpdates()
      throws InterruptedException {
    hub(Topic.of("t", State.latest()));
    long cap = 4096;
    RecordingOutbound slow = new RecordingOutbound().stall();
    Inbound c = slow.openEnvelope(hub, capped(cap));
    // Behind the hello in flight: an answer, the snapshot, another answer, then the updates.
    c.onText("{\"type\":\"subscribe\",\"topic\":\"first\"}");
    c.onText("{\"type\":\"subscribe\",\"topic\":\"t\"}");
    c.onText("{\"type\":\"subscribe\",\"topic\":\"second\"}");
    RecordingOutbound witness = new RecordingOutbound();
    subscribe(hub, witness, "t", null);
    witness.next("snapshot");
    publishPadded(100, witness);
    assertThat(hub.stats().dropped()).isPositive();

    slow.release();
    slow.next("hello");
    assertThat(slow.next("error").path("topic").asString()).isEqualTo("first");
    assertThat(slow.next("error").path("topic").asString()).isEqualTo("second");
    JsonNode resync = slow.next("snapshot");
    assertThat(resync.path("seq").asLong()).isEqualTo(100);
    hub.publish("t", Map.of("n", 101));
    assertThat(slow.next("update").path("seq").asLong()).isEqualTo(101);
  }

  /** Transport options with this byte cap, a 5-minute write timeout and no pings. */
  private static TransportOptions capped(long cap) {
    return RecordingOutbound.options(cap, Duration.ofMinutes(5), Duration.ZERO);
  }

  /**
   * Publishes updates 1 to {@code n} of about 200 bytes on topic "t", and waits until {@code
   * witness}, subscribed and reading, has had each in order: all of them are then published.
   */
  private void publishPadded(int n, RecordingOutbound witness) throws InterruptedException {
    String padding = "x".repeat(200);
    for (int i = 1; i <= n; i++) {
      hub.publish("t", Map.of("n", i, "pad", padding));
    }
    for (int seq = 1; seq <= n; seq++) {
      assertThat(witness.next("update").path("seq").asLong()).isEqualTo(seq);
    }
  }

  @Test
  void framesQueuedBehindAWriteInFlightShareTheNextWrite() throws InterruptedException {
    hub(Topic.of("t", State.latest()));
    RecordingOutbound t = new RecordingOutbound();
    subscribe(hub, t, "t", null);
    t.next("snapshot");
    RecordingOutbound witness = new RecordingOutbound();
    subscribe(hub, witness, "t", null);
    witness.next("snapshot");

    t.stall();
    for (int i = 1; i <= 10; i++) {
      hub.publish("t", i);
    }
    for (int seq = 1; seq <= 10; seq++) {
      assertThat(witness.next("update").path("seq").asLong()).isEqualTo(seq);
    }
    int writes = t.writes.get();
    t.release();
    for (int seq = 1; seq <= 10; seq++) {
      assertThat(t.next("update").path("seq").asLong()).isEqualTo(seq);
    }
    assertThat(t.writes.get() - writes).as("writes after the one in flight").isLessThanOrEqualTo(1);
  }

  @Test
  void aJoinerGetsItsSnapshotAheadOfTheUpdatesWaitingAndThenEachOfThem()
      throws InterruptedException {
    Steps tasks = new Steps();
    hub = Hub.builder().topic(Topic.of("t", State.latest())).executor(tasks).build();
    hub.publish("t", 0);
    tasks.runAll();
    for (int i = 1; i <= 10; i++) {
      hub.publish("t", i);
    }
    RecordingOutbound joiner = new RecordingOutbound();
    Inbound c = joiner.openPlain(hub, "t", LIMITS);
    tasks.runAll();
    assertThat(joiner.nextText()).as("the snapshot, before the waiting updates").isEqualTo("0");
    for (int n = 1; n <= 10; n++) {
      assertThat(joiner.nextText()).isEqualTo("" + n);
    }
    c.onClosed();
    tasks.inlineFromNow();
  }

  /**
   * An executor whose tasks the test runs, step by step, until the test is done: then they run at
   * once, so that the hub's close need not wait for them.
   */
  private static final class Steps implements java.util.concurrent.Executor {
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean inline;

    @Override
    public void execute(Runnable task) {
      if (inline) {
        task.run();
      } else {
        tasks.add(task);
      }
    }

    void runAll() {
      for (Runnable r; (r = tasks.poll()) != null; ) {
        r.run();
      }
    }

    void inlineFromNow() {
      inline = true;
      runAll();
    }
  }

  @Test
  void updatesWaitingForATopicReachEachClientInOneWrite() throws InterruptedException {
    Steps tasks = new Steps();
    hub = Hub.builder().topic(Topic.of("t", State.latest())).executor(tasks).build();
    RecordingOutbound t = new RecordingOutbound();
    Inbound c = t.openPlain(hub, "t", LIMITS);
    tasks.runAll();
    int writes = t.writes.get();
    for (int i = 1; i <= 10; i++) {
      hub.publish("t", i);
    }
    tasks.runAll(); // the topic's backlog, worked off at once
    for (int n = 1; n <= 10; n++) {
      assertThat(t.nextText()).isEqualTo("" + n);
    }
    assertThat(t.writes.get() - writes).isEqualTo(1);
    c.onClosed();
    tasks.inlineFromNow();
  }

  @Test
  void aStateThatThrowsIsLoggedAndTheHubKeepsServing() throws InterruptedException {
    State picky =
        new State() {
          private JsonNode last = tools.jackson.databind.node.NullNode.getInstance();

          @Override
          public String kind() {
            return "picky";
          }

          @Override
          public JsonNode apply(JsonNode value) {
            if (value.has("boom")) {
              throw new IllegalStateException("boom");
            }
            return last = value;
          }

          @Override
          public JsonNode snapshot() {
            return last;
          }
        };
    hub(Topic.of("t", picky));
    RecordingOutbound t = new RecordingOutbound();
    subscribe(hub, t, "t", null);
    t.next("snapshot");
    hub.publish("t", Map.of("n", 1));
    hub.publish("t", Map.of("boom", true));
    hub.publish("t", Map.of("n", 2));
    assertThat(t.next("update").path("data").path("n").asInt()).isEqualTo(1);
    JsonNode second = t.next("update");
    assertThat(second.path("seq").asLong()).isEqualTo(2);
    assertThat(second.path("data").path("n").asInt()).isEqualTo(2);
    assertThat(hub.stats().errors()).isEqualTo(1);
  }

  @Test
  void aSourceThatThrowsIsLoggedAndTheHubKeepsServing() throws InterruptedException {
    UpdateSource broken =
        new UpdateSource() {
          @Override
          public void start(UpdateSink sink) {
            throw new IllegalStateException("cannot start");
          }

          @Override
          public void close() {
            throw new IllegalStateException("cannot close either");
          }
        };
    UpdateSource working =
        new UpdateSource() {
          @Override
          public void start(UpdateSink sink) {
            sink.publish("t", Map.of("n", 1));
          }

          @Override
          public void close() {}
        };
    hub = Hub.builder().topic(Topic.of("t", State.latest())).source(broken).source(working).build();
    await().until(() -> hub.stats().updates() == 1);
    assertThat(hub.stats().errors()).isEqualTo(1);
    RecordingOutbound t = new RecordingOutbound();
    subscribe(hub, t, "t", null);
    assertThat(t.next("snapshot").path("data").path("n").asInt()).isEqualTo(1);
  }

  @Test
  void eachUpdateIsEncodedOnceHoweverManySubscribers() throws InterruptedException {
    hub(Topic.of("t", State.latest()));
    List<RecordingOutbound> clients = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      RecordingOutbound t = new RecordingOutbound();
      subscribe(hub, t, "t", null);
      t.next("snapshot");
      clients.add(t);
    }
    long before = hub.stats().encodings();
    assertThat(before).as("one snapshot encoding shared by 200 subscribers").isEqualTo(1);
    publishN(hub, "t", 1, 50);
    for (RecordingOutbound t : clients) {
      for (int seq = 1; seq <= 50; seq++) {
        assertThat(t.next("update").path("seq").asLong()).isEqualTo(seq);
      }
    }
    assertThat(hub.stats().encodings() - before).isEqualTo(50);
  }

  @Test
  void plainConnectionsGetTheDataAloneSnapshotFirst() throws InterruptedException {
    hub(Topic.of("t", State.latest()));
    RecordingOutbound early = new RecordingOutbound();
    early.openPlain(hub, "t", LIMITS);
    early.assertQuiet(); // no data yet: nothing a plain client could read
    hub.publish("t", Map.of("variable", 3));
    assertThat(early.nextText()).isEqualTo("{\"variable\":3}");
    RecordingOutbound late = new RecordingOutbound();
    Inbound c = late.openPlain(hub, "t", LIMITS);
    assertThat(late.nextText()).isEqualTo("{\"variable\":3}");
    c.onText("not json, and ignored");
    hub.publish("t", Map.of("variable", 9));
    assertThat(late.nextText()).isEqualTo("{\"variable\":9}");
    assertThat(early.nextText()).isEqualTo("{\"variable\":9}");
    assertThatThrownBy(() -> new RecordingOutbound().openPlain(hub, "nope", LIMITS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope");
  }

  @Test
  void badClientMessagesGetErrorFramesAndTheConnectionStaysUp() throws InterruptedException {
    hub(Topic.of("t", State.latest()));
    RecordingOutbound t = new RecordingOutbound();
    Inbound c = t.openEnvelope(hub);
    t.next("hello");
    c.onText("{not json");
    assertThat(t.next("error").path("code").asString()).isEqualTo("malformed");
    c.onText("[1,2]");
    assertThat(t.next("error").path("code").asString()).isEqualTo("invalid");
    c.onText("{\"type\":\"dance\"}");
    assertThat(t.next("error").path("code").asString()).isEqualTo("unknown-type");
    c.onText("{\"type\":\"subscribe\"}");
    assertThat(t.next("error").path("code").asString()).isEqualTo("invalid");
    c.onText("{\"type\":\"subscribe\",\"topic\":\"missing\"}");
    JsonNode unknown = t.next("error");
    assertThat(unknown.path("code").asString()).isEqualTo("unknown-topic");
    assertThat(unknown.path("topic").asString()).isEqualTo("missing");
    c.onText("{\"type\":\"subscribe\",\"topic\":\"t\",\"since\":{\"epoch\":\"x\"}}");
    assertThat(t.next("error").path("code").asString()).isEqualTo("invalid");
    c.onText("{\"type\":\"subscribe\",\"topic\":\"t\"}");
    t.next("snapshot");
    assertThat(t.closeCode).isEqualTo(-1);
    c.onText("{\"type\":\"unsubscribe\",\"topic\":\"t\"}");
    hub.publish("t", 1);
    t.assertQuiet();
  }

  @Test
  void eachUpdateGoesToWhoeverIsSubscribedWhenItIsPublished() throws InterruptedException {
    hub(Topic.of("t", State.latest()));
    RecordingOutbound leaving = new RecordingOutbound();
    Inbound leaver = subscribe(hub, leaving, "t", null);
    leaving.next("snapshot");
    hub.publish("t", 1);
    assertThat(leaving.next("update").path("data").asInt()).isEqualTo(1);

    RecordingOutbound joining = new RecordingOutbound();
    subscribe(hub, joining, "t", null);
    assertThat(joining.next("snapshot").path("data").asInt()).isEqualTo(1);
    leaver.onText("{\"type\":\"unsubscribe\",\"topic\":\"t\"}");
    hub.publish("t", 2);
    assertThat(joining.next("update").path("data").asInt()).isEqualTo(2);
    leaving.assertQuiet();
  }

  @Test
  void invalidMessagesAreLimitedByRateNotByRuns() throws InterruptedException {
    ManualClock clock = new ManualClock();
    hub = Hub.builder().topic(Topic.of("t", State.latest())).clock(clock).build();
    RecordingOutbound t = new RecordingOutbound();
    Inbound c = t.openEnvelope(hub);
    t.next("hello");
    String valid = "{\"type\":\"subscribe\",\"topic\":\"t\"}";
    for (int i = 0; i < 10; i++) {
      c.onText("nope");
      c.onText(valid); // valid messages in between do not reset the count
    }
    clock.advance(Duration.ofSeconds(59));
    assertThat(t.closeCode).isEqualTo(-1);
    c.onText("nope");
    assertThat(t.closeCode).isEqualTo(CloseCode.POLICY_VIOLATION.code());
    await().until(() -> hub.stats().connections() == 0);

    RecordingOutbound patient = new RecordingOutbound();
    Inbound p = patient.openEnvelope(hub);
    for (int minute = 0; minute < 3; minute++) {
      for (int i = 0; i < 10; i++) {
        p.onText("nope");
      }
      clock.advance(Duration.ofSeconds(60));
    }
    assertThat(patient.closeCode).as("ten a minute is within the limit").isEqualTo(-1);
  }

  @Test
  void subscribesAreLimitedByRate() throws InterruptedException {
    hub(Topic.of("t", State.latest()));
    RecordingOutbound t = new RecordingOutbound();
    Inbound c = t.openEnvelope(hub);
    for (int i = 0; i < 100; i++) {
      c.onText(
          i % 2 == 0
              ? "{\"type\":\"subscribe\",\"topic\":\"t\"}"
              : "{\"type\":\"unsubscribe\",\"topic\":\"t\"}");
    }
    assertThat(t.closeCode).isEqualTo(-1);
    c.onText("{\"type\":\"subscribe\",\"topic\":\"t\"}");
    // The close goes out after what is queued, which a topic's thread may be writing meanwhile.
    await()
        .untilAsserted(() -> assertThat(t.closeCode).isEqualTo(CloseCode.POLICY_VIOLATION.code()));
  }

  @Test
  void aConnectionThatStopsReadingIsClosedAfterTheWriteTimeout() throws InterruptedException {
    ManualClock clock = new ManualClock();
    hub = Hub.builder().topic(Topic.of("t", State.latest())).clock(clock).build();
    RecordingOutbound stuck = new RecordingOutbound().stall();
    stuck.openEnvelope(hub, RecordingOutbound.options(4096, Duration.ofSeconds(10), Duration.ZERO));
    clock.advance(Duration.ofSeconds(9));
    stuck.assertQuiet();
    assertThat(stuck.closeCode).isEqualTo(-1);
    clock.advance(Duration.ofSeconds(2));
    await().until(() -> stuck.closeCode == CloseCode.SLOW_CONSUMER.code());
    await().until(() -> stuck.aborted);
    assertThat(hub.stats().slowConsumerCloses()).isEqualTo(1);
    assertThat(hub.stats().connections()).isZero();
  }

  @Test
  void aConnectionThatDoesNotAnswerPingsIsClosedAtAnyDataRate() throws InterruptedException {
    ManualClock clock = new ManualClock();
    hub = Hub.builder().topic(Topic.of("t", State.latest())).clock(clock).build();
    TransportOptions options =
        RecordingOutbound.options(1 << 20, Duration.ofSeconds(30), Duration.ofSeconds(5));
    RecordingOutbound silent = new RecordingOutbound();
    RecordingOutbound answering = new RecordingOutbound();
    silent.openPlain(hub, "t", options);
    Inbound a = answering.openPlain(hub, "t", options);
    for (int second = 1; second <= 40; second++) {
      hub.publish("t", Map.of("n", second)); // data flows all along: pings go out anyway
      clock.advance(Duration.ofSeconds(1));
      await().until(() -> answering.frames.size() > 0);
      answering.frames.clear();
      if (answering.pings.get() > 0) {
        a.onPong();
      }
    }
    await().until(() -> silent.closeCode == CloseCode.UNRESPONSIVE.code());
    assertThat(hub.stats().unresponsiveCloses()).isEqualTo(1);
    assertThat(answering.closeCode).as("it answers its pings").isEqualTo(-1);
  }

  @Test
  void idleConnectionsArePinged() throws InterruptedException {
    ManualClock clock = new ManualClock();
    hub = Hub.builder().topic(Topic.of("t", State.latest())).clock(clock).build();
    TransportOptions limits =
        RecordingOutbound.options(4096, Duration.ofSeconds(10), Duration.ofSeconds(5));
    RecordingOutbound envelope = new RecordingOutbound();
    RecordingOutbound plain = new RecordingOutbound();
    envelope.openEnvelope(hub, limits);
    plain.openPlain(hub, "t", limits);
    envelope.next("hello");
    clock.advance(Duration.ofSeconds(6));
    assertThat(envelope.next("ping").path("ts").asLong()).isEqualTo(clock.millis());
    await().until(() -> plain.pings.get() == 1);
  }

  @Test
  void connectionsMadeTogetherArePingedEachInAPhaseOfItsOwn() {
    ManualClock clock = new ManualClock();
    hub = Hub.builder().topic(Topic.of("t", State.latest())).clock(clock).build();
    TransportOptions options =
        RecordingOutbound.options(4096, Duration.ofSeconds(30), Duration.ofSeconds(10));
    List<RecordingOutbound> screens = Stream.generate(RecordingOutbound::new).limit(40).toList();
    screens.forEach(s -> s.openPlain(hub, "t", options));
    IntSupplier pinged = () -> (int) screens.stream().filter(s -> s.pings.get() > 0).count();
    clock.advance(Duration.ofSeconds(5));
    await().until(() -> pinged.getAsInt() > 0);
    assertThat(pinged.getAsInt()).as("half an interval in, not every one is pinged").isLessThan(40);
    clock.advance(Duration.ofSeconds(5));
    await().until(() -> pinged.getAsInt() == 40);
  }

  @Test
  void closingTheHubClosesConnectionsWithAReconnectHintOnce() throws InterruptedException {
    java.util.concurrent.atomic.AtomicInteger sourceCloses =
        new java.util.concurrent.atomic.AtomicInteger();
    hub =
        Hub.builder()
            .topic(Topic.of("t", State.latest()))
            .source(
                new UpdateSource() {
                  @Override
                  public void start(UpdateSink sink) {}

                  @Override
                  public void close() {
                    sourceCloses.incrementAndGet();
                  }
                })
            .build();
    RecordingOutbound t = new RecordingOutbound();
    t.openEnvelope(hub);
    hub.close();
    hub.close();
    assertThat(t.closeCode).isEqualTo(CloseCode.SERVICE_RESTART.code());
    assertThat(t.closeReason).matches("restart, reconnect in \\d+ ms");
    assertThat(t.closes).as("the second close does nothing").hasValue(1);
    assertThat(sourceCloses).hasValue(1);
    hub.publish("t", Map.of("n", 1));
    assertThat(hub.stats().published()).as("a publish after close is ignored").isZero();

    RecordingOutbound late = new RecordingOutbound();
    late.openEnvelope(hub);
    assertThat(late.closeCode).as("a connection after close").isEqualTo(1012);
  }

  @Test
  void invalidConfigurationFailsWithTheFieldAndTheValue() {
    assertThatThrownBy(() -> Topic.of("no spaces", State.latest()))
        .hasMessageContaining("[A-Za-z0-9._-]{1,128}")
        .hasMessageContaining("no spaces");
    assertThatThrownBy(() -> Topic.of("t", State.latest()).withHistory(0))
        .hasMessage("history must be at least 1, was 0");
    assertThatThrownBy(() -> Hub.builder().build()).hasMessage("a hub needs at least one topic");
    assertThatThrownBy(
            () -> Hub.builder().topic(Topic.of("a", State.latest())).defaultTopic("b").build())
        .hasMessageContaining("\"b\"");
    assertThatThrownBy(() -> RecordingOutbound.options(10, Duration.ofSeconds(1), Duration.ZERO))
        .hasMessage("maxQueuedBytes must be at least 1024, was 10");
    Hub h = hub(Topic.of("t", State.latest()));
    assertThatThrownBy(() -> h.publish("x", 1)).hasMessageContaining("unknown topic \"x\"");
    assertThatThrownBy(() -> h.publish("t", new Exploding(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be serialized");
    assertThatThrownBy(() -> h.publish("t", new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "topic \"t\": a value of type java.lang.Object cannot be serialized as JSON");
    assertThat(h.stats().published()).as("nothing was accepted").isZero();
  }

  /** A source that publishes on the topics it is given, declaring them or not. */
  private static final class TopicSource implements UpdateSource {
    final java.util.Set<String> declared;
    final java.util.concurrent.BlockingQueue<RuntimeException> failures =
        new java.util.concurrent.LinkedBlockingQueue<>();
    volatile UpdateSink sink;

    TopicSource(String... declared) {
      this.declared = java.util.Set.of(declared);
    }

    @Override
    public java.util.Set<String> topics() {
      return declared;
    }

    @Override
    public void start(UpdateSink sink) {
      this.sink = sink;
    }

    void publish(String topic, Object value) {
      try {
        sink.publish(topic, value);
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
      return "TopicSource" + declared;
    }
  }

  /** What a logger writes while this is open: the refusals' logger, or another. */
  private static final class LogLines implements AutoCloseable {
    private final ch.qos.logback.classic.Logger logger;
    private final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>
        appender = new ch.qos.logback.core.read.ListAppender<>();
    final List<ch.qos.logback.classic.spi.ILoggingEvent> list = appender.list;

    LogLines() {
      this("io.github.wsproducer.handshake");
    }

    LogLines(String name) {
      logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(name);
      appender.start();
      logger.addAppender(appender);
    }

    @Override
    public void close() {
      logger.detachAppender(appender);
    }
  }

  /** A push to {@code notes} from {@code address}, announcing {@code length} bytes of body. */
  private static HttpRequest pushHead(String address, String token, long length) {
    return new HttpRequest(
        "POST",
        "/topics/notes",
        null,
        false,
        "127.0.0.1",
        5000,
        address,
        address + ":40000",
        token == null
            ? Map.of("content-length", List.of(Long.toString(length)))
            : Map.of(
                "content-length",
                List.of(Long.toString(length)),
                "authorization",
                List.of("Bearer " + token)),
        new byte[0]);
  }

  @Test
  void anHttpRequestIsDecidedFromItsHeadAndAdmittedBodiesAreBoundedPerAddressAndInAll() {
    Map<String, String> tokens = new java.util.HashMap<>();
    for (int i = 0; i < 60; i++) {
      tokens.put("pusher-" + i, "a-push-token-of-16-" + i); // 10 requests a second each
    }
    hub =
        Hub.builder()
            .topic(Topic.of("notes", State.latest()))
            .push(TokenAuthenticator.of(tokens), "notes")
            .build();
    Endpoint endpoint = Endpoint.of(hub, TransportOptions.DEFAULTS);
    assertThat(endpoint.admit(pushHead("10.0.0.1", null, 65_536)))
        .as("no token: answered from the head, its body never read")
        .isInstanceOfSatisfying(
            HttpAdmission.Answer.class, a -> assertThat(a.response().status()).isEqualTo(401));

    List<HttpAdmission.ReadBody> held = new ArrayList<>();
    for (int i = 0; i < 16; i++) { // 16 x 64 KiB: the 1 MiB of one address
      held.add(
          (HttpAdmission.ReadBody)
              endpoint.admit(pushHead("10.0.0.1", "a-push-token-of-16-" + i, 65_536)));
    }
    HttpAdmission over = endpoint.admit(pushHead("10.0.0.1", "a-push-token-of-16-16", 65_536));
    assertThat(over).isInstanceOf(HttpAdmission.Answer.class);
    HttpResponse busy = ((HttpAdmission.Answer) over).response();
    assertThat(busy.status()).isEqualTo(503);
    assertThat(busy.headers()).containsKey("Retry-After");
    assertThat(endpoint.admit(pushHead("10.0.0.2", "a-push-token-of-16-17", 65_536)))
        .as("another address has a budget of its own")
        .isInstanceOf(HttpAdmission.ReadBody.class);

    held.get(0).close(); // a dropped body gives its place back, once
    held.get(0).close();
    HttpAdmission again = endpoint.admit(pushHead("10.0.0.1", "a-push-token-of-16-18", 13));
    assertThat(again).isInstanceOf(HttpAdmission.ReadBody.class);
    HttpResponse served =
        ((HttpAdmission.ReadBody) again)
            .serve("{\"text\":\"hi\"}".getBytes(UTF_8))
            .toCompletableFuture()
            .join();
    assertThat(served.status()).isEqualTo(202);

    for (int i = 0; i < 240; i++) { // to the 16 MiB in all, from many addresses
      assertThat(
              endpoint.admit(
                  pushHead("10.0.1." + i, "a-push-token-of-16-" + (20 + i % 40), 65_536)))
          .isInstanceOf(HttpAdmission.ReadBody.class);
    }
    assertThat(endpoint.admit(pushHead("10.0.2.1", "a-push-token-of-16-19", 65_536)))
        .as("the budget in all")
        .isInstanceOfSatisfying(
            HttpAdmission.Answer.class, a -> assertThat(a.response().status()).isEqualTo(503));
  }

  @Test
  void refusalsAreLoggedByKindAndAddressNotByTextAndAtMostSixtyLinesAMinute() {
    ManualClock clock = new ManualClock();
    hub =
        Hub.builder()
            .topic(Topic.of("orders", State.latest()))
            .push(TokenAuthenticator.of(Map.of("ci", "a-push-token-of-16")), "orders")
            .clock(clock)
            .build();
    Endpoint endpoint = Endpoint.of(hub, TransportOptions.DEFAULTS);
    try (LogLines lines = new LogLines()) {
      for (int i = 0; i < 5_000; i++) { // a path of its own each: the text varies, the kind not
        endpoint.decide(handshake("/x" + i, List.of(), null));
        endpoint.serve(
            new HttpRequest(
                "POST",
                "/topics/x" + i,
                null,
                false,
                "127.0.0.1",
                5000,
                "127.0.0.1",
                "127.0.0.1:40000",
                Map.of(),
                new byte[0]));
      }
      assertThat(lines.list)
          .as("one line for the unknown topics, one for the pushes without a token")
          .hasSize(2);
      for (int i = 0; i < 500; i++) { // from many addresses
        endpoint.decide(
            new Handshake(
                "/x",
                List.of(),
                null,
                false,
                "127.0.0.1",
                5000,
                "10.0." + i / 200 + "." + i % 200,
                "10.0." + i / 200 + "." + i % 200 + ":40000",
                null,
                Map.of()));
      }
      assertThat(lines.list).as("at most sixty lines a minute").hasSize(60);
      clock.advance(Duration.ofSeconds(61));
      endpoint.decide(handshake("/x", List.of(), null));
      assertThat(lines.list).hasSize(61);
      assertThat(lines.list.get(60).getFormattedMessage()).contains("(4999 more of this kind");
    }
  }

  @Test
  void theEndpointDecidesHandshakesAndLogsRefusalsOncePerCauseThenOnceAMinute() {
    ManualClock clock = new ManualClock();
    hub = Hub.builder().topic(Topic.of("orders", State.latest())).clock(clock).build();
    Endpoint endpoint = Endpoint.of(hub, TransportOptions.DEFAULTS);
    try (LogLines lines = new LogLines()) {
      Handshake foreign = handshake("/", List.of(), "http://evil.example");
      for (int i = 0; i < 5; i++) {
        assertThat(endpoint.decide(foreign))
            .isEqualTo(new Handshake.Refuse(403, "origin not allowed", null));
      }
      assertThat(lines.list).hasSize(1);
      clock.advance(Duration.ofSeconds(61));
      endpoint.decide(foreign);
      assertThat(lines.list).hasSize(2);
      assertThat(lines.list.get(1).getFormattedMessage())
          .isEqualTo(
              "refused a WebSocket handshake from 127.0.0.1:40000 with 403: origin"
                  + " \"http://evil.example\" is not allowed (4 more of this kind from 127.0.0.1"
                  + " since the last line)");

      assertThat(endpoint.decide(handshake("/", List.of(), "http://127.0.0.1:5000")))
          .as("the server's own origin")
          .isEqualTo(new Handshake.Accept(null, "orders", "127.0.0.1"));
      assertThat(endpoint.decide(handshake("/orders", List.of(), null)))
          .isEqualTo(new Handshake.Accept(null, "orders", "127.0.0.1"));
      assertThat(endpoint.decide(handshake("/ordrs", List.of(), null)))
          .isEqualTo(new Handshake.Refuse(404, "no such topic", null));
      assertThat(lines.list.get(2).getFormattedMessage())
          .endsWith("with 404: no topic \"ordrs\"; the hub has [orders]");
      Handshake rebinding =
          new Handshake(
              "/",
              List.of(),
              "http://evil.example:5000",
              false,
              "evil.example",
              5000,
              "10.0.0.9",
              "10.0.0.9:1",
              null,
              Map.of());
      assertThat(endpoint.decide(rebinding))
          .as("a DNS-rebinding page: its origin matches its Host, which is not ours")
          .isEqualTo(new Handshake.Refuse(403, "host not allowed", null));
      for (String ours : List.of("localhost", "127.0.0.1", "[::1]", "LOCALHOST")) {
        assertThat(
                endpoint.decide(
                    new Handshake(
                        "/", List.of(), null, false, ours, 5000, "127.0.0.1", "x", null, Map.of())))
            .as(ours)
            .isInstanceOf(Handshake.Accept.class);
      }
      Endpoint proxied =
          Endpoint.of(hub, TransportOptions.builder().allowHost("wall.example.com").build());
      ;
      assertThat(
              proxied.decide(
                  new Handshake(
                      "/",
                      List.of(),
                      "HTTPS://Wall.Example.com",
                      true,
                      "WALL.example.com",
                      443,
                      "10.0.0.9",
                      "x",
                      null,
                      Map.of())))
          .as("an allowed host, compared without regard to case, and its own origin")
          .isInstanceOf(Handshake.Accept.class);

      List<String> envelope = List.of("other", Protocol.SUBPROTOCOL);
      assertThat(endpoint.decide(handshake("/", envelope, null)))
          .isEqualTo(new Handshake.Accept(Protocol.SUBPROTOCOL, null, "127.0.0.1"));
      assertThat(endpoint.decide(handshake("/orders", envelope, null)))
          .isInstanceOf(Handshake.Refuse.class);
    }
  }

  @Test
  void credentialsNeverReachTheLogsAndAFailingAuthenticatorRefuses() {
    String secret = "query-secret-0123456789";
    String bearer = "header-secret-0123456789";
    hub =
        Hub.builder()
            .topic(Topic.of("orders", State.latest()))
            .authenticator(
                request -> {
                  if (request.queryParameter("boom").isPresent()) {
                    throw new IllegalStateException("authenticator bug");
                  }
                  return TokenAuthenticator.of(Map.of("wall", "wall-token-0123456789"))
                      .authenticate(request);
                })
            .build();
    Endpoint endpoint = Endpoint.of(hub, TransportOptions.DEFAULTS);
    try (LogLines lines = new LogLines(org.slf4j.Logger.ROOT_LOGGER_NAME)) {
      Handshake withSecrets =
          withCredentials(
              "token=" + secret,
              Map.of(
                  "authorization", List.of("Bearer " + bearer),
                  "cookie", List.of("wsproducer_token=" + secret)));
      assertThat(endpoint.decide(withSecrets))
          .isEqualTo(new Handshake.Refuse(401, "authentication required", null));
      Handshake failing = withCredentials("boom=1&token=" + secret, Map.of());
      assertThat(endpoint.decide(failing))
          .isEqualTo(new Handshake.Refuse(401, "authentication required", null));
      Handshake good = withCredentials("a=1&token=wall-token-0123456789", Map.of());
      assertThat(endpoint.decide(good))
          .isEqualTo(new Handshake.Accept(null, "orders", "127.0.0.1", Identity.of("wall")));
      assertThat(lines.list).isNotEmpty();
      for (var line : lines.list) {
        String logged =
            line.getFormattedMessage()
                + (line.getThrowableProxy() == null ? "" : line.getThrowableProxy().getMessage());
        assertThat(logged).doesNotContain(secret, bearer, "wall-token");
      }
      assertThat(lines.list)
          .anySatisfy(l -> assertThat(l.getFormattedMessage()).contains("authenticator failed"));
    }
  }

  @Test
  void aHandshakesHeadersAreCopiedOnlyWhenAnAuthenticatorReadsThem() {
    AtomicInteger copies = new AtomicInteger();
    Map<String, List<String>> headers =
        Handshake.headersWhenRead(
            () -> {
              copies.incrementAndGet();
              return Map.of("authorization", List.of("Bearer wall-token-0123456789"));
            });
    hub = Hub.builder().topic(Topic.of("orders", State.latest())).build();
    assertThat(Endpoint.of(hub, TransportOptions.DEFAULTS).decide(withCredentials(null, headers)))
        .isEqualTo(new Handshake.Accept(null, "orders", "127.0.0.1"));
    assertThat(copies).as("no authenticator: nothing reads them").hasValue(0);
    hub.close();

    hub =
        Hub.builder()
            .topic(Topic.of("orders", State.latest()))
            .authenticator(TokenAuthenticator.of(Map.of("wall", "wall-token-0123456789")))
            .build();
    Handshake handshake = withCredentials(null, headers);
    assertThat(Endpoint.of(hub, TransportOptions.DEFAULTS).decide(handshake))
        .isEqualTo(new Handshake.Accept(null, "orders", "127.0.0.1", Identity.of("wall")));
    assertThat(handshake.headers())
        .containsEntry("authorization", List.of("Bearer wall-token-0123456789"));
    assertThat(copies).as("copied once, however often read").hasValue(1);

    Map<String, List<String>> mutable = new java.util.HashMap<>(Map.of("a", List.of("1")));
    Handshake copied = withCredentials(null, mutable);
    mutable.put("b", List.of("2"));
    assertThat(copied.headers()).as("other maps are copied").containsOnlyKeys("a");
  }

  @Test
  void aTokenAuthenticatorRefusesWeakOrSharedTokens() {
    assertThatThrownBy(() -> TokenAuthenticator.of(Map.of("wall", "short")))
        .hasMessage("the token of \"wall\" must have at least 16 characters");
    assertThatThrownBy(
            () ->
                TokenAuthenticator.of(
                    new java.util.TreeMap<>(
                        Map.of("a", "same-token-0123456789", "b", "same-token-0123456789"))))
        .hasMessage("\"b\" and \"a\" have the same token");
    assertThatThrownBy(() -> TokenAuthenticator.of(Map.of()))
        .hasMessage("no tokens: every client would be refused");
  }

  private static Handshake handshake(String path, List<String> subprotocols, String origin) {
    return new Handshake(
        path,
        subprotocols,
        origin,
        false,
        "127.0.0.1",
        5000,
        "127.0.0.1",
        "127.0.0.1:40000",
        null,
        Map.of());
  }

  /** A plain-form handshake for {@code /orders} with this query and these headers. */
  private static Handshake withCredentials(String query, Map<String, List<String>> headers) {
    return new Handshake(
        "/orders",
        List.of(),
        null,
        false,
        "127.0.0.1",
        5000,
        "127.0.0.1",
        "127.0.0.1:40000",
        query,
        headers);
  }

  @Test
  void aSourceDeclaringATopicTheHubLacksFailsTheBuildNamingBoth() {
    assertThatThrownBy(
            () ->
                Hub.builder()
                    .topic(Topic.of("orders", State.keyed()))
                    .topic(Topic.of("random", State.latest()))
                    .source(new TopicSource("ordrs"))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "source TopicSource[ordrs] publishes on topic \"ordrs\", which the hub lacks;"
                + " its topics are [orders, random]");
  }

  @Test
  void aPublishOnAnUnknownTopicIsCountedAndShownOnTheSourcesTopics() throws Exception {
    TopicSource source = new TopicSource("orders");
    hub =
        Hub.builder()
            .topic(Topic.of("orders", State.keyed()))
            .topic(Topic.of("other", State.latest()))
            .source(source)
            .build();
    RecordingOutbound screen = new RecordingOutbound();
    subscribe(hub, screen, "orders", null);
    screen.next("snapshot");

    source.publish("ordrs", Map.of("open", 1));
    assertThat(source.failures.poll(5, java.util.concurrent.TimeUnit.SECONDS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown topic \"ordrs\"; the hub has [orders, other]");
    assertThat(hub.stats().errors()).isEqualTo(1);
    assertThat(screen.next("status").path("error").asString()).isEqualTo("source error");

    source.publish("orders", Map.of("open", 1));
    assertThat(screen.next("update").path("data").path("open").asInt()).isEqualTo(1);
    assertThat(screen.next("status").has("error")).as("data flows again").isFalse();
  }

  @Test
  void closeReturnsInBoundedTimeWhateverASourceDoesInItsClose() {
    CountDownLatch never = new CountDownLatch(1);
    UpdateSource stuck =
        new UpdateSource() {
          @Override
          public void start(UpdateSink sink) {}

          @Override
          public void close() {
            try {
              never.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    hub = Hub.builder().topic(Topic.of("t", State.latest())).source(stuck).build();
    RecordingOutbound t = new RecordingOutbound();
    t.openEnvelope(hub);
    long start = System.nanoTime();
    hub.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    assertThat(t.closeCode).isEqualTo(CloseCode.SERVICE_RESTART.code());
    assertThat(hub.stats().errors()).as("the stuck source is counted").isEqualTo(1);
    never.countDown();
  }

  @Test
  void aQuietTopicIsAnnouncedStaleAndFreshAgainWhenDataFlows() throws InterruptedException {
    ManualClock clock = new ManualClock();
    hub =
        Hub.builder()
            .topic(Topic.of("t", State.latest()).withStaleAfter(Duration.ofSeconds(10)))
            .clock(clock)
            .build();
    RecordingOutbound t = new RecordingOutbound();
    Inbound c = t.openEnvelope(hub);
    assertThat(t.next("hello").path("topics").get(0).path("staleAfterMs").asLong())
        .isEqualTo(10_000);
    c.onText("{\"type\":\"subscribe\",\"topic\":\"t\"}");
    t.next("snapshot");
    hub.publish("t", Map.of("n", 1));
    long publishedAt = t.next("update").path("ts").asLong();
    clock.advance(Duration.ofSeconds(9));
    t.assertQuiet();
    clock.advance(Duration.ofSeconds(2));
    JsonNode stale = t.next("status");
    assertThat(stale.path("stale").asBoolean()).isTrue();
    assertThat(stale.has("error")).isFalse();
    assertThat(stale.path("ts").asLong()).isEqualTo(publishedAt);

    RecordingOutbound late = new RecordingOutbound();
    subscribe(hub, late, "t", null);
    late.next("snapshot");
    assertThat(late.next("status").path("stale").asBoolean()).isTrue();

    hub.publish("t", Map.of("n", 2));
    t.next("update");
    JsonNode fresh = t.next("status");
    assertThat(fresh.path("stale").asBoolean()).isFalse();
    assertThat(fresh.path("ts").asLong()).isEqualTo(clock.millis());
  }

  @Test
  void aReportedErrorIsAnnouncedUntilDataFlowsAgain() throws InterruptedException {
    hub(Topic.of("t", State.latest()));
    RecordingOutbound t = new RecordingOutbound();
    subscribe(hub, t, "t", null);
    t.next("snapshot");
    hub.reportError("t", "database unreachable");
    hub.reportError("t", "database unreachable");
    JsonNode error = t.next("status");
    assertThat(error.path("error").asString()).isEqualTo("database unreachable");
    assertThat(error.path("stale").asBoolean()).isFalse();
    t.assertQuiet(); // the same error twice is announced once

    RecordingOutbound late = new RecordingOutbound();
    subscribe(hub, late, "t", null);
    late.next("snapshot");
    assertThat(late.next("status").path("error").asString()).isEqualTo("database unreachable");

    hub.heartbeat("t");
    assertThat(t.next("status").has("error")).isFalse();
    assertThat(late.next("status").has("error")).isFalse();
    assertThatThrownBy(() -> hub.reportError("nope", "x")).hasMessageContaining("unknown topic");
  }

  @Test
  void aTopicIsWatchedWhileItHasSubscribers() throws InterruptedException {
    hub(Topic.of("t", State.latest()));
    assertThat(hub.isWatched("t")).isFalse();
    RecordingOutbound t = new RecordingOutbound();
    Inbound c = subscribe(hub, t, "t", null);
    t.next("snapshot");
    assertThat(hub.isWatched("t")).isTrue();
    c.onClosed();
    await().until(() -> !hub.isWatched("t"));
  }

  @Test
  void replicatedPositionsKeepTheirSeqAndAGapStartsOverWithAReset() throws InterruptedException {
    hub(Topic.of("t", State.keyed()));
    Replica replica = Replica.of(hub);
    RecordingOutbound t = new RecordingOutbound();
    subscribe(hub, t, "t", null);
    t.next("snapshot");

    replica.apply("t", 77, 5, "{\"a\":1}", false);
    JsonNode adopted = t.next("snapshot");
    assertThat(adopted.path("reset").asBoolean()).as("a position this node never saw").isTrue();
    assertThat(adopted.path("epoch").asLong()).isEqualTo(77);
    assertThat(adopted.path("seq").asLong()).isEqualTo(5);

    replica.apply("t", 77, 6, "{\"a\":2}", false);
    replica.apply("t", 77, 6, "{\"a\":3}", false); // a duplicate: ignored
    replica.apply("t", 77, 7, "{\"a\":2}", false); // no change: still seq 7
    JsonNode six = t.next("update");
    assertThat(six.path("seq").asLong()).isEqualTo(6);
    assertThat(six.path("data").path("a").asInt()).isEqualTo(2);
    JsonNode seven = t.next("update");
    assertThat(seven.path("seq").asLong()).isEqualTo(7);
    assertThat(seven.path("data").isNull()).isTrue();

    replica.apply("t", 77, 9, "{\"b\":1}", false); // seq 8 never arrived
    JsonNode gap = t.next("snapshot");
    assertThat(gap.path("reset").asBoolean()).isTrue();
    assertThat(gap.path("seq").asLong()).isEqualTo(9);
    assertThat(gap.path("data")).hasSize(2);
    t.assertQuiet();

    RecordingOutbound resumed = new RecordingOutbound();
    subscribe(hub, resumed, "t", "{\"epoch\":77,\"seq\":9}");
    replica.apply("t", 77, 10, "{\"b\":2}", false);
    assertThat(resumed.next("update").path("seq").asLong()).isEqualTo(10);
  }
}
