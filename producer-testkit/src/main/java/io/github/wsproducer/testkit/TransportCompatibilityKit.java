package io.github.wsproducer.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.wsproducer.Hub;
import io.github.wsproducer.Identity;
import io.github.wsproducer.State;
import io.github.wsproducer.TokenAuthenticator;
import io.github.wsproducer.Topic;
import io.github.wsproducer.protocol.CloseCode;
import io.github.wsproducer.protocol.Protocol;
import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.spi.TransportOptions;
import io.github.wsproducer.spi.WebResources;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The protocol scenarios every transport must pass, against a real server of the transport on a
 * free loopback port and real WebSocket clients. A transport's test extends this class and says how
 * to serve an {@link Endpoint}: a hub's, or the {@link EchoEndpoint} of the conformance scenario,
 * which runs {@link Autobahn}. JUnit runs every scenario.
 *
 * <pre>{@code
 * class JettyTransportKitIT extends TransportCompatibilityKit {
 *   protected Served serve(Endpoint endpoint) throws Exception {
 *     Server server = new Server(new InetSocketAddress("127.0.0.1", 0));
 *     new HubWebSocket(endpoint).mount(server);
 *     server.start();
 *     return Served.of(server.getURI(), server::stop);
 *   }
 * }
 * }</pre>
 */
public abstract class TransportCompatibilityKit {

  /** A running server of the transport under test. */
  protected interface Served {
    /** The server's root, {@code ws://host:port/}. */
    URI root();

    /** Stops the server as on shutdown, gracefully. */
    void stop() throws Exception;

    /** A served transport at {@code root} ({@code http} or {@code ws}) stopped by {@code stop}. */
    static Served of(URI root, Stopper stop) {
      URI ws = URI.create("ws://" + root.getHost() + ":" + root.getPort() + "/");
      return new Served() {
        @Override
        public URI root() {
          return ws;
        }

        @Override
        public void stop() throws Exception {
          stop.stop();
        }
      };
    }
  }

  /** How to stop a server. */
  @FunctionalInterface
  protected interface Stopper {
    void stop() throws Exception;
  }

  /**
   * Starts the transport under test on a free loopback port, serving {@code endpoint} with exactly
   * its {@link Endpoint#options() options}.
   */
  protected abstract Served serve(Endpoint endpoint) throws Exception;

  /**
   * Starts the transport under test serving {@code hub} with {@code options}: {@link
   * #serve(Endpoint)} of the hub's endpoint. The fault scenarios' {@link ForkedServer} calls it; a
   * module that floods its own routes through a transport's public builder overrides it.
   */
  protected Served serve(Hub hub, TransportOptions options) throws Exception {
    return serve(Endpoint.of(hub, options));
  }

  /**
   * Whether the transport bounds the time a whole request takes to arrive, so that a handshake
   * trickled one byte at a time is dropped at the handshake timeout. Servlet containers bound only
   * the time between two reads, and a filter sees a request once its headers are all in: a
   * transport on them answers {@code false}, and the trickling scenario is skipped with that
   * reason; the defence is then a proxy's header timeout in front.
   */
  protected boolean boundsWholeRequests() {
    return true;
  }

  /**
   * Whether the transport sees connections before their first request, so that it limits the HTTP
   * connections of one address as it limits WebSockets. A servlet filter sees requests only: a
   * transport on a servlet container answers {@code false}, and the scenario is skipped with that
   * reason; the container's own connection limit applies then.
   */
  protected boolean seesConnections() {
    return true;
  }

  private final List<Hub> hubs = new ArrayList<>();
  private final List<Served> servers = new ArrayList<>();

  @AfterEach
  void stopEverything() throws Exception {
    for (Served s : servers) {
      s.stop();
    }
    hubs.forEach(Hub::close);
  }

  /** The kit's options: the defaults but with pings off, so that they do not interleave. */
  private static final TransportOptions QUIET = RecordingOutbound.NO_PINGS;

  /** Pings every 200 ms, a 600 ms pong deadline, and an idle timeout that never fires first. */
  private static TransportOptions pingsWithAShortDeadline() {
    return quiet()
        .idleTimeout(Duration.ofSeconds(30))
        .pingInterval(Duration.ofMillis(200))
        .pongTimeout(Duration.ofMillis(600))
        .build();
  }

  /** {@link #QUIET} but for what the scenario changes. */
  private static TransportOptions.Standalone quiet() {
    return TransportOptions.builder().options(QUIET);
  }

  private Hub hub;
  private URI root;

  private void start(TransportOptions options, Topic... topics) throws Exception {
    start(options, b -> b, topics);
  }

  /** A hub of {@code topics} with what {@code more} adds to its builder, served with options. */
  private void start(TransportOptions options, UnaryOperator<Hub.Builder> more, Topic... topics)
      throws Exception {
    Hub.Builder builder = more.apply(Hub.builder());
    for (Topic t : topics) {
      builder.topic(t);
    }
    hub = builder.build();
    hubs.add(hub);
    Served served = serve(Endpoint.of(hub, options));
    servers.add(served);
    root = served.root();
  }

  private URI at(String path) {
    return root.resolve(path);
  }

  private WsTestClient envelope() throws Exception {
    return WsTestClient.envelope(root);
  }

  private static String subscribe(String topic) {
    return "{\"type\":\"subscribe\",\"topic\":\"" + topic + "\"}";
  }

  @Test
  void plainFormSendsTheCurrentValueFirstThenEachUpdate() throws Exception {
    start(QUIET, Topic.of("random", State.latest()), Topic.of("other", State.latest()));
    hub.publish("random", Map.of("variable", 3));
    await().until(() -> hub.stats().updates() == 1);
    WsTestClient page = WsTestClient.connect(root, null, null);
    assertThat(page.nextText()).isEqualTo("{\"variable\":3}");
    hub.publish("random", Map.of("variable", 7));
    assertThat(page.nextText()).isEqualTo("{\"variable\":7}");

    WsTestClient byPath = WsTestClient.connect(at("/other"), null, null);
    hub.publish("other", Map.of("which", "other"));
    assertThat(byPath.nextText()).isEqualTo("{\"which\":\"other\"}");
  }

  @Test
  void envelopeFormSaysHelloThenSendsASnapshotThenUpdates() throws Exception {
    start(QUIET, Topic.of("t", State.keyed()).withStaleAfter(Duration.ofMinutes(1)));
    WsTestClient c = WsTestClient.connect(root, Protocol.SUBPROTOCOL, null);
    JsonNode hello = c.next("hello");
    assertThat(hello.path("server").asString()).startsWith("wsproducer/");
    assertThat(hello.path("topics").get(0).path("name").asString()).isEqualTo("t");
    assertThat(hello.path("topics").get(0).path("state").asString()).isEqualTo("keyed");
    assertThat(hello.path("topics").get(0).path("staleAfterMs").asLong()).isEqualTo(60_000);
    c.send(subscribe("t"));
    JsonNode snapshot = c.next("snapshot");
    assertThat(snapshot.path("seq").asLong()).isZero();
    assertThat(snapshot.path("data").toString()).isEqualTo("{}");
    hub.publish("t", Map.of("orders", 3));
    JsonNode update = c.next("update");
    assertThat(update.path("seq").asLong()).isEqualTo(1);
    assertThat(update.path("epoch").asLong()).isEqualTo(snapshot.path("epoch").asLong());
    assertThat(update.path("data").toString()).isEqualTo("{\"orders\":3}");
  }

  @Test
  void aLateJoinerGetsTheCurrentStateThenOnlyNewUpdates() throws Exception {
    start(QUIET, Topic.of("t", State.keyed()));
    hub.publish("t", Map.of("orders", 3, "payments", 4));
    hub.publish("t", Map.of("orders", 5));
    await().until(() -> hub.stats().updates() == 2);
    WsTestClient late = envelope();
    late.send(subscribe("t"));
    JsonNode snapshot = late.next("snapshot");
    assertThat(snapshot.path("seq").asLong()).isEqualTo(2);
    assertThat(snapshot.path("data"))
        .isEqualTo(WsTestClient.JSON.readTree("{\"orders\":5,\"payments\":4}"));
    hub.publish("t", Map.of("payments", 6));
    JsonNode update = late.next("update");
    assertThat(update.path("seq").asLong()).isEqualTo(3);
    assertThat(update.path("data").toString()).isEqualTo("{\"payments\":6}");
  }

  @Test
  void aResumeInsideTheHistoryReplaysExactlyTheMissedUpdatesAndOutsideItResets() throws Exception {
    start(QUIET, Topic.of("t", State.latest()).withHistory(4));
    WsTestClient first = envelope();
    first.send(subscribe("t"));
    long epoch = first.next("snapshot").path("epoch").asLong();
    for (int n = 1; n <= 3; n++) {
      hub.publish("t", Map.of("n", n));
    }
    for (int n = 1; n <= 3; n++) {
      assertThat(first.next("update").path("seq").asLong()).isEqualTo(n);
    }
    first.close();

    WsTestClient resumed = envelope();
    resumed.send(
        "{\"type\":\"subscribe\",\"topic\":\"t\",\"since\":{\"epoch\":" + epoch + ",\"seq\":1}}");
    assertThat(resumed.next("update").path("seq").asLong()).isEqualTo(2);
    assertThat(resumed.next("update").path("seq").asLong()).isEqualTo(3);
    hub.publish("t", Map.of("n", 4));
    assertThat(resumed.next("update").path("seq").asLong()).as("nothing in between").isEqualTo(4);

    for (int n = 5; n <= 12; n++) {
      hub.publish("t", Map.of("n", n));
    }
    await().until(() -> hub.stats().updates() == 12);
    WsTestClient tooLate = envelope();
    tooLate.send(
        "{\"type\":\"subscribe\",\"topic\":\"t\",\"since\":{\"epoch\":" + epoch + ",\"seq\":1}}");
    JsonNode reset = tooLate.next("snapshot");
    assertThat(reset.path("reset").asBoolean()).isTrue();
    assertThat(reset.path("seq").asLong()).isEqualTo(12);
  }

  @Test
  void aHistoryRequestIsAnsweredInOneFrameThinnedWhenAskedAndForbiddenWhereReadingIs()
      throws Exception {
    start(
        QUIET,
        b -> b.authorizer((who, topic) -> !topic.equals("secret")),
        Topic.of("t", State.latest()),
        Topic.of("secret", State.latest()));
    String padding = "x".repeat(4000); // 100 updates make an answer of about 400 KB
    for (int n = 1; n <= 100; n++) {
      hub.publish("t", Map.of("n", n, "padding", padding));
    }
    await().until(() -> hub.stats().updates() == 100);
    WsTestClient c = envelope();
    c.send("{\"type\":\"history\",\"topic\":\"t\",\"since\":0,\"id\":\"all\"}");
    JsonNode all = c.next("history");
    assertThat(all.path("id").asString()).isEqualTo("all");
    assertThat(all.path("updates")).hasSize(100);
    for (int n = 1; n <= 100; n++) {
      assertThat(all.path("updates").get(n - 1).path("seq").asLong()).isEqualTo(n);
    }
    c.send("{\"type\":\"history\",\"topic\":\"t\",\"since\":0,\"points\":1}");
    JsonNode one = c.next("history");
    assertThat(one.path("downsampled").asBoolean()).isTrue();
    assertThat(one.path("updates")).hasSize(1);
    assertThat(one.path("updates").get(0).path("data").path("n").asInt()).isEqualTo(100);
    c.send("{\"type\":\"history\",\"topic\":\"secret\",\"since\":0}");
    assertThat(c.next("error").path("code").asString()).isEqualTo("forbidden");
  }

  @Test
  void aTopicsHistoryIsExportedAsNdjsonAndABadRequestGetsItsReason() throws Exception {
    ManualClock clock = new ManualClock();
    start(
        QUIET,
        b -> b.clock(clock),
        Topic.of("t", State.latest()),
        Topic.of("big", State.latest()).withRetention(Duration.ofHours(1), 16 << 20));
    for (int n = 1; n <= 3; n++) {
      hub.publish("t", Map.of("n", n));
    }
    String padding = "x".repeat(40_000);
    for (int n = 1; n <= 110; n++) { // about 4.4 MB, a millisecond apart: over one answer
      clock.advance(Duration.ofMillis(1));
      long applied = hub.stats().updates();
      hub.publish("big", Map.of("n", n, "padding", padding));
      await()
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(1))
          .until(() -> hub.stats().updates() > applied);
    }
    await().until(() -> hub.stats().updates() == 113);
    var noBody = java.net.http.HttpRequest.BodyPublishers.noBody();
    java.net.http.HttpResponse<String> all = http("GET", "/topics/t/history", noBody);
    assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
    assertThat(all.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
    assertHeaders(all);
    List<String> lines = all.body().lines().toList();
    assertThat(lines).hasSize(3);
    JsonNode first = WsTestClient.JSON.readTree(lines.get(0));
    assertThat(first.path("seq").asLong()).isEqualTo(1);
    assertThat(first.path("epoch").asLong()).isPositive();
    assertThat(first.path("ts").asLong()).isPositive();
    assertThat(first.path("data").path("n").asInt()).isEqualTo(1);
    long third = WsTestClient.JSON.readTree(lines.get(2)).path("ts").asLong();
    assertThat(
            http("GET", "/topics/t/history?since=" + Instant.ofEpochMilli(third), noBody)
                .body()
                .lines())
        .as("since as an ISO-8601 instant")
        .hasSizeGreaterThanOrEqualTo(1)
        .last()
        .asString()
        .contains("\"seq\":3");

    java.net.http.HttpResponse<String> bad =
        http("GET", "/topics/t/history?since=yesterday", noBody);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("since is not a time").contains("2026-12-07T03:10:00Z");
    java.net.http.HttpResponse<String> part = http("GET", "/topics/big/history", noBody);
    String next = part.headers().firstValue("Link").orElseThrow();
    assertThat(next).startsWith("</topics/big/history?since=").endsWith(">; rel=\"next\"");
    java.net.http.HttpResponse<String> rest =
        http("GET", next.substring(1, next.indexOf('>')), noBody);
    assertThat(rest.headers().firstValue("Link")).isEmpty();
    assertThat(part.body().lines().count() + rest.body().lines().count())
        .as("every update once, in two answers")
        .isEqualTo(110);

    assertThat(http("GET", "/topics/nope/history", noBody).statusCode()).isEqualTo(404);
    assertThat(http("POST", "/topics/t/history", noBody).statusCode()).isEqualTo(405);
  }

  @Test
  void aThousandClientsEachReceiveEveryUpdateWithNoGapAndNoDuplicate() throws Exception {
    start(QUIET, Topic.of("fast", State.latest()));
    int clients = 1000;
    int updates = 200;
    List<CompletableFuture<WsTestClient>> connecting = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      connecting.add(WsTestClient.connectAsync(root, Protocol.SUBPROTOCOL, null));
    }
    List<WsTestClient> all = new ArrayList<>();
    for (CompletableFuture<WsTestClient> c : connecting) {
      all.add(c.get(60, TimeUnit.SECONDS));
    }
    for (WsTestClient c : all) {
      c.next("hello");
      c.send(subscribe("fast"));
    }
    Thread publisher =
        new Thread(
            () -> {
              for (int i = 1; i <= updates; i++) {
                hub.publish("fast", Map.of("n", i));
              }
            });
    publisher.start();
    for (WsTestClient c : all) {
      long seq = c.next("snapshot").path("seq").asLong();
      while (seq < updates) {
        JsonNode update = c.next("update");
        assertThat(update.path("seq").asLong()).isEqualTo(++seq);
        assertThat(update.path("data").path("n").asLong()).isEqualTo(seq);
      }
    }
    publisher.join();
    assertThat(hub.stats().dropped()).isZero();
    assertThat(hub.stats().connections()).isEqualTo(clients);
  }

  @Test
  void aClientThatStopsReadingStaysUnderItsCapAndDelaysNoOne() throws Exception {
    start(slowClientOptions(), Topic.of("big", State.latest()));
    hub.publish("big", Map.of("n", 0));
    await().until(() -> hub.stats().updates() == 1);
    WsTestClient stalled = WsTestClient.connect(at("/big"), null, null);
    assertThat(stalled.nextText()).contains("\"n\":0");
    stalled.stall();
    publishUntilTheSlowClientIsClosed();
  }

  @Test
  void aSlowReaderIsClosedInBoundedTimeAndDelaysNoOne() throws Exception {
    start(slowClientOptions(), Topic.of("big", State.latest()));
    java.net.Socket slow = Faults.slowReader(at("/big"), 4096);
    try {
      await().until(() -> hub.stats().connections() == 1);
      publishUntilTheSlowClientIsClosed();
    } finally {
      slow.close();
    }
  }

  private static final long SLOW_CLIENT_CAP = 64 * 1024;

  private static TransportOptions slowClientOptions() {
    return quiet().maxQueuedBytes(SLOW_CLIENT_CAP).writeTimeout(Duration.ofSeconds(3)).build();
  }

  /**
   * Publishes 8 KiB updates to {@code big} until the one client already connected, which reads
   * slowly or not at all, is closed as a slow consumer; a healthy client must get every single
   * update meanwhile.
   */
  private void publishUntilTheSlowClientIsClosed() throws Exception {
    WsTestClient healthy = envelope();
    healthy.send(subscribe("big"));
    long seq = healthy.next("snapshot").path("seq").asLong();
    long published = seq;
    String padding = "x".repeat(8 * 1024);
    // Publish until the slow client's socket buffers are full, the hub drops frames for it and
    // its write times out.
    // Bursts of a quarter of a cap: a transport that writes on its own I/O threads may report a
    // write done a moment after the client has the bytes, so a burst and the one before it must
    // fit the healthy client's queue together. A flood at memory speed would outrun any such
    // transport and resync the healthy client too; that is not what this scenario is about.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (hub.stats().slowConsumerCloses() == 0) {
      assertThat(System.nanoTime()).as("the slow client is closed in time").isLessThan(deadline);
      for (int i = 0; i < 2; i++) {
        hub.publish("big", Map.of("n", ++published, "pad", padding));
      }
      while (seq < published) {
        assertThat(healthy.next("update").path("seq").asLong()).isEqualTo(++seq);
      }
    }
    assertThat(hub.stats().dropped()).as("frames dropped for the slow client").isPositive();
    assertThat(hub.stats().peakQueuedBytes()).isLessThanOrEqualTo(SLOW_CLIENT_CAP);
    await().atMost(Duration.ofSeconds(15)).until(() -> hub.stats().connections() == 1);
    hub.publish("big", Map.of("n", ++published));
    assertThat(healthy.next("update").path("seq").asLong()).isEqualTo(++seq);
  }

  @Test
  void aStalledClientPinsNoMoreThanTheCapAndTheSendBufferItIsGiven() throws Exception {
    int cap = 64 * 1024;
    start(
        quiet().maxQueuedBytes(cap).sendBufferSize(16 * 1024).build(),
        Topic.of("t", State.latest()));
    // Upgraded with a small receive window, then it reads nothing.
    try (java.net.Socket stalled = new java.net.Socket()) {
      stalled.setReceiveBufferSize(4096);
      stalled.connect(new java.net.InetSocketAddress(root.getHost(), root.getPort()));
      stalled
          .getOutputStream()
          .write(
              Faults.upgradeRequest(root.getHost() + ":" + root.getPort(), null)
                  .getBytes(StandardCharsets.US_ASCII));
      await().until(() -> hub.stats().connections() == 1);
      String kilobyte = "x".repeat(1024);
      long published = 0;
      while (hub.stats().dropped() == 0 && published < 8L << 20) {
        for (int i = 0; i < 16; i++) {
          hub.publish("t", Map.of("pad", kilobyte));
          published += kilobyte.length();
        }
        long updates = published / kilobyte.length();
        await().until(() -> hub.stats().updates() == updates);
      }
      // What the hub and the transport hold (up to twice the cap), the send buffer (the kernel
      // doubles it) and the client's window; by default Linux would let the send buffer grow to
      // megabytes.
      assertThat(published).as("bytes taken before the first drop").isLessThan(512 * 1024);
    }
  }

  private static final String TOKEN = "lobby-screen-token-0123456789";

  private static void assertRefused(URI uri, String subprotocol, int status) {
    assertThatThrownBy(() -> WsTestClient.connect(uri, subprotocol, null))
        .as(uri.getPath())
        .isInstanceOfSatisfying(
            WsTestClient.Refused.class, e -> assertThat(e.status()).isEqualTo(status));
  }

  @Test
  void onlyAClientWithATokenConnectsAndItReadsOnlyTheTopicsItMay() throws Exception {
    start(
        quiet().build(),
        b ->
            b.authenticator(TokenAuthenticator.of(Map.of("lobby", TOKEN)))
                .authorizer(
                    (who, topic) -> who.name().equals("lobby") && !topic.startsWith("secret")),
        Topic.of("t", State.latest()),
        Topic.of("secret", State.latest()));
    hub.publish("t", Map.of("n", 1));
    hub.publish("secret", Map.of("n", 2));
    await().until(() -> hub.stats().updates() == 2);
    assertRefused(at("/t"), null, 401);
    assertRefused(at("/t?token=lobby-screen-token-0123456780"), null, 401);
    assertRefused(root, Protocol.SUBPROTOCOL, 401);
    assertRefused(at("/secret?token=" + TOKEN), null, 403);
    assertRefused(at("/secret-plans?token=" + TOKEN), null, 403); // no such topic: tells nothing

    WsTestClient plain = WsTestClient.connect(at("/t?token=" + TOKEN), null, null);
    assertThat(plain.nextText()).isEqualTo("{\"n\":1}");

    WsTestClient screen = WsTestClient.connect(at("/?token=" + TOKEN), Protocol.SUBPROTOCOL, null);
    assertThat(screen.next("hello").path("topics").findValuesAsString("name"))
        .as("hello names only the topics it may read")
        .containsExactly("t");
    screen.send(subscribe("secret"));
    JsonNode error = screen.next("error");
    assertThat(error.path("code").asString()).isEqualTo("forbidden");
    assertThat(error.path("topic").asString()).isEqualTo("secret");
    screen.send(subscribe("secret-plans"));
    assertThat(screen.next("error").path("code").asString())
        .as("a forbidden name that is no topic is forbidden too, not unknown")
        .isEqualTo("forbidden");
    screen.send(subscribe("t"));
    assertThat(screen.next("snapshot").path("data").path("n").asInt()).isEqualTo(1);
    hub.publish("secret", Map.of("n", 3));
    hub.publish("t", Map.of("n", 4));
    assertThat(screen.next("update").path("data").path("n").asInt())
        .as("nothing of the secret topic")
        .isEqualTo(4);
  }

  @Test
  void aConnectionWhoseIdentityExpiresIsClosedWith1008() throws Exception {
    start(
        quiet().build(),
        b ->
            b.authenticator(
                request ->
                    Optional.of(new Identity("brief", java.time.Instant.now().plusMillis(500)))),
        Topic.of("t", State.latest()));
    WsTestClient screen = envelope();
    WsTestClient.Close close = screen.awaitClose();
    assertThat(close.code()).isEqualTo(1008);
    assertThat(close.reason()).isEqualTo("authentication expired");
  }

  @Test
  void anAuthenticatorReadsHeadersWhateverTheirCaseAndEveryCookieLine() throws Exception {
    start(
        quiet().build(),
        b ->
            b.authenticator(
                request ->
                    request
                        .header("X-Screen")
                        .filter("lobby"::equals)
                        .flatMap(screen -> request.cookie("session"))
                        .filter("s1"::equals)
                        .map(session -> Identity.of("lobby"))),
        Topic.of("t", State.latest()));
    String upgrade =
        "GET / HTTP/1.1\r\nHost: "
            + root.getAuthority()
            + "\r\nupgrade: websocket\r\nCONNECTION: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Protocol: mqtt , "
            + Protocol.SUBPROTOCOL
            + "\r\nx-SCREEN: lobby\r\nCookie: theme=dark\r\n";
    assertThat(responseHead(upgrade + "Cookie: session=s1\r\n\r\n"))
        .startsWith("HTTP/1.1 101")
        .containsIgnoringCase("Sec-WebSocket-Protocol: " + Protocol.SUBPROTOCOL);
    assertThat(responseHead(upgrade + "\r\n")).startsWith("HTTP/1.1 401");
  }

  @Test
  void aPathWithAMalformedEscapeGets400() throws Exception {
    start(quiet().build(), Topic.of("t", State.latest()));
    String request = "GET /%zz HTTP/1.1\r\nHost: " + root.getAuthority() + "\r\n";
    assertThat(responseHead(request + "\r\n")).startsWith("HTTP/1.1 400");
    String upgrade =
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
    assertThat(responseHead(request + upgrade + "\r\n")).startsWith("HTTP/1.1 400");
    hub.publish("t", Map.of("n", 1));
    await().until(() -> hub.stats().updates() == 1);
    assertThat(WsTestClient.connect(at("/t"), null, null).nextText())
        .as("the server still serves")
        .isEqualTo("{\"n\":1}");
  }

  /** Sends a raw request and reads its response up to the end of the headers. */
  private String responseHead(String request) throws Exception {
    try (java.net.Socket socket = new java.net.Socket(root.getHost(), root.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      StringBuilder head = new StringBuilder();
      java.io.InputStream in = socket.getInputStream();
      for (int b; !head.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0; ) {
        head.append((char) b);
      }
      return head.toString();
    }
  }

  private static final String PUSH_TOKEN = "ci-pipeline-token-0123456789";

  /** A request to the server's HTTP side; {@code headers} in pairs. */
  private java.net.http.HttpResponse<String> http(
      String method, String path, java.net.http.HttpRequest.BodyPublisher body, String... headers)
      throws Exception {
    java.net.http.HttpRequest.Builder request =
        java.net.http.HttpRequest.newBuilder(URI.create("http://" + root.getAuthority() + path))
            .method(method, body);
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return java.net.http.HttpClient.newHttpClient()
        .send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  private java.net.http.HttpResponse<String> push(String topic, String json, String... headers)
      throws Exception {
    return http(
        "POST",
        "/topics/" + topic,
        java.net.http.HttpRequest.BodyPublishers.ofString(json),
        headers);
  }

  private static final String[] BEARER = {"Authorization", "Bearer " + PUSH_TOKEN};

  @Test
  void aPushPublishesToAPushableTopicAndABadOneGetsItsAnswerAndPublishesNothing() throws Exception {
    String[] cron = {"Authorization", "Bearer cron-" + PUSH_TOKEN}; // a rate limit of its own
    start(
        quiet().maxMessageSize(1024).build(),
        b ->
            b.push(
                TokenAuthenticator.of(Map.of("ci", PUSH_TOKEN, "cron", "cron-" + PUSH_TOKEN)),
                "notes",
                "board"),
        Topic.of("notes", State.latest()),
        Topic.of("board", State.keyed()),
        Topic.of("t", State.latest()));
    WsTestClient notes = WsTestClient.connect(at("/notes"), null, null);
    java.net.http.HttpResponse<String> ok = push("notes", "{\"text\":\"deploy done\"}", BEARER);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(202);
    assertThat(ok.headers().firstValue("Content-Type")).hasValue("application/json");
    assertHeaders(ok);
    assertThat(notes.nextText()).isEqualTo("{\"text\":\"deploy done\"}");

    Map<String, java.net.http.HttpResponse<String>> answers = new java.util.LinkedHashMap<>();
    answers.put("no token", push("notes", "{}"));
    answers.put("a wrong token", push("notes", "{}", "Authorization", "Bearer x" + PUSH_TOKEN));
    answers.put("the token in the query", push("notes?token=" + PUSH_TOKEN, "{}"));
    answers.put(
        "the token in a cookie",
        push("notes", "{}", "Cookie", TokenAuthenticator.COOKIE + "=" + PUSH_TOKEN));
    answers.put("a topic not pushable", push("t", "{}", BEARER));
    answers.put("no such topic", push("nope", "{}", BEARER));
    answers.put("malformed JSON", push("notes", "{\"text\":", BEARER));
    answers.put("an empty body", push("notes", "", BEARER));
    answers.put(
        "a body not in UTF-8",
        http(
            "POST",
            "/topics/notes",
            java.net.http.HttpRequest.BodyPublishers.ofByteArray(
                new byte[] {'{', '"', 't', '"', ':', '"', (byte) 0xff, '"', '}'}),
            BEARER));
    answers.put("an array to a keyed topic", push("board", "[1,2]", BEARER));
    answers.put("a number JSON cannot carry", push("notes", "{\"n\":-1e1000000}", cron));
    answers.put("over the size limit", push("notes", "\"" + "x".repeat(2000) + "\"", BEARER));
    answers.put(
        "over the size limit, chunked",
        http(
            "POST",
            "/topics/notes",
            java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                () ->
                    new java.io.ByteArrayInputStream(("\"" + "x".repeat(5000) + "\"").getBytes())),
            BEARER));
    answers.put(
        "a foreign origin",
        push("notes", "{}", "Authorization", BEARER[1], "Origin", "http://evil.example"));
    answers.put(
        "GET", http("GET", "/topics/notes", java.net.http.HttpRequest.BodyPublishers.noBody()));
    Map<String, String> expected = new java.util.LinkedHashMap<>();
    expected.put("no token", "401");
    expected.put("a wrong token", "401");
    expected.put("the token in the query", "401");
    expected.put("the token in a cookie", "401");
    expected.put("a topic not pushable", "403 topic \"t\" is not pushable");
    expected.put("no such topic", "404 no topic \"nope\"");
    expected.put("malformed JSON", "400 malformed JSON at line 1, column 9: ");
    expected.put("an empty body", "400 malformed JSON");
    expected.put("a body not in UTF-8", "400 malformed JSON at line 1");
    expected.put("an array to a keyed topic", "400 topic \"board\" is keyed");
    expected.put("a number JSON cannot carry", "400 a number is beyond the range of a double");
    expected.put("over the size limit", "413 the body is over 1024 bytes");
    expected.put("over the size limit, chunked", "413 the body is over 1024 bytes");
    expected.put("a foreign origin", "403 origin not allowed");
    expected.put("GET", "405 use POST");
    answers.forEach(
        (what, answer) -> {
          String[] want = expected.get(what).split(" ", 2);
          assertThat(answer.statusCode()).as(what).isEqualTo(Integer.parseInt(want[0]));
          assertThat(answer.headers().firstValue("Content-Type"))
              .as(what)
              .hasValue("application/json");
          if (want.length > 1) {
            assertThat(answer.body()).as(what).contains(want[1].replace("\"", "\\\""));
          }
        });
    assertThat(answers.get("malformed JSON").body())
        .as("the parser's message, without its notes on the source")
        .doesNotContain("Source:", "REDACTED");
    assertThat(answers.get("no token").headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(answers.get("GET").headers().firstValue("Allow")).hasValue("POST");

    assertThat(push("board", "{\"web-1\":\"up\"}", BEARER).statusCode()).isEqualTo(202);
    assertThat(push("notes", "{\"text\":\"second\"}", BEARER).statusCode()).isEqualTo(202);
    assertThat(notes.nextText())
        .as("nothing was published in between")
        .isEqualTo("{\"text\":\"second\"}");
    Hub h = hub;
    await().until(() -> h.stats().updates() == 3);
    assertThat(h.stats().updates()).as("only the three good pushes").isEqualTo(3);
  }

  @Test
  void aPushThatDoesNotFitItsTopicsShapeGets422AndRefusedOnesDoNotUseUpThePushesASecond()
      throws Exception {
    ManualClock clock = new ManualClock();
    start(
        QUIET,
        b -> b.clock(clock).push(TokenAuthenticator.of(Map.of("ci", PUSH_TOKEN)), "notes"),
        Topic.of("notes", State.latest())
            .withShape(io.github.wsproducer.Shape.of(Map.of("text", "string"))));
    for (int i = 0; i < 12; i++) { // a CI job that writes the wrong field
      java.net.http.HttpResponse<String> wrong = push("notes", "{\"message\":\"x\"}", BEARER);
      assertThat(wrong.statusCode()).isEqualTo(422);
      assertThat(wrong.body()).contains("field \\\"text\\\" is missing: expected a string");
    }
    assertThat(push("notes", "{\"text\":5}", BEARER).body())
        .contains("field \\\"text\\\" must be a string, was number");
    for (int i = 0; i < 10; i++) {
      assertThat(push("notes", "{\"text\":\"" + i + "\"}", BEARER).statusCode()).isEqualTo(202);
    }
    java.net.http.HttpResponse<String> over = push("notes", "{\"text\":\"10\"}", BEARER);
    assertThat(over.statusCode()).isEqualTo(429);
    assertThat(over.headers().firstValue("Retry-After")).hasValue("1");
    clock.advance(Duration.ofSeconds(1));
    assertThat(push("notes", "{\"text\":\"11\"}", BEARER).statusCode()).isEqualTo(202);
    Hub h = hub;
    await().until(() -> h.stats().updates() == 11);
  }

  @Test
  void withoutPushConfiguredThereIsNoPushApi() throws Exception {
    start(QUIET, Topic.of("notes", State.latest()));
    assertThat(push("notes", "{}", BEARER).statusCode()).isIn(404, 405);
    Hub h = hub;
    assertThat(h.stats().updates()).isZero();
  }

  @Test
  void aForeignOriginGets403AndTheOwnAndAllowedOnesConnect() throws Exception {
    start(quiet().allowOrigin("https://wall.example.com").build(), Topic.of("t", State.latest()));
    for (String foreign : new String[] {"http://evil.example", "null"}) {
      assertThatThrownBy(() -> WsTestClient.connect(root, null, foreign))
          .as(foreign)
          .isInstanceOfSatisfying(
              WsTestClient.Refused.class, e -> assertThat(e.status()).isEqualTo(403));
    }
    WsTestClient.connect(root, null, "https://wall.example.com");
    WsTestClient.connect(root, null, "http://" + root.getHost() + ":" + root.getPort());
    WsTestClient.connect(root, null, null);
    await().until(() -> hub.stats().connections() == 3);
  }

  @Test
  void aRequestForAnotherHostIsRefusedSoDnsRebindingFails() throws Exception {
    start(QUIET, Topic.of("t", State.latest()));
    int port = root.getPort();
    assertThat(upgradeStatus("evil.example:" + port, "http://evil.example:" + port))
        .as("a page on a name that resolves to this server")
        .isEqualTo(403);
    assertThat(upgradeStatus("localhost:" + port, "http://localhost:" + port)).isEqualTo(101);
  }

  /** The status a raw upgrade request with these headers gets; the JDK client cannot set Host. */
  private int upgradeStatus(String host, String origin) throws Exception {
    try (java.net.Socket socket = Faults.upgradeSent(root, host, origin)) {
      return Faults.readResponseHead(socket);
    }
  }

  @Test
  void theBrowserClientIsServedWithTheSecurityHeadersAndAnEtag() throws Exception {
    start(QUIET, Topic.of("t", State.latest()));
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    URI script = URI.create("http://" + root.getAuthority() + Protocol.CLIENT_SCRIPT_PATH);
    java.net.http.HttpResponse<byte[]> ok =
        http.send(
            java.net.http.HttpRequest.newBuilder(script).build(),
            java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.headers().firstValue("Content-Type").map(type -> type.replace("; ", ";")))
        .as("the media type (servlet containers leave out the space)")
        .hasValue(WebResources.CLIENT_SCRIPT_TYPE.replace("; ", ";"));
    assertThat(java.nio.ByteBuffer.wrap(ok.body())).isEqualTo(WebResources.clientScript());
    assertHeaders(ok);
    java.net.http.HttpResponse<byte[]> again =
        http.send(
            java.net.http.HttpRequest.newBuilder(script)
                .header("If-None-Match", ok.headers().firstValue("ETag").orElseThrow())
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    for (java.net.http.HttpResponse<?> answer : List.of(ok, again)) {
      assertThat(answer.headers().firstValue("ETag")).hasValue(WebResources.clientScriptEtag());
      assertThat(answer.headers().firstValue("Cache-Control"))
          .as("revalidated on every load")
          .hasValue("no-cache");
    }
    java.net.http.HttpResponse<byte[]> head =
        http.send(
            java.net.http.HttpRequest.newBuilder(script)
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValueAsLong("Content-Length"))
        .hasValue(WebResources.clientScript().remaining());
    assertThat(head.body()).isEmpty();
  }

  /** The security headers are there, and nothing names the server. */
  private static void assertHeaders(java.net.http.HttpResponse<?> response) {
    WebResources.SECURITY_HEADERS.forEach(
        (name, value) -> assertThat(response.headers().firstValue(name)).as(name).hasValue(value));
    assertThat(response.headers().firstValue("Server")).isEmpty();
  }

  @Test
  void connectionsOverTheLimitsGet503WithARetryAfter() throws Exception {
    for (int[] limits : new int[][] {{2, 100}, {100, 2}}) { // in total; from one address
      start(
          quiet().maxConnections(limits[0]).maxConnectionsPerAddress(limits[1]).build(),
          Topic.of("t", State.latest()));
      WsTestClient first = envelope();
      envelope();
      assertThatThrownBy(() -> WsTestClient.connect(root, null, null))
          .isInstanceOfSatisfying(
              WsTestClient.Refused.class,
              e -> {
                assertThat(e.status()).isEqualTo(503);
                assertThat(Integer.parseInt(e.retryAfter())).isBetween(10, 30);
              });
      first.close();
      Hub h = hub;
      await().until(() -> h.stats().connections() == 1);
      envelope(); // room again
    }
  }

  @Test
  void anUnknownPlainTopicGets404AndTheEnvelopeFormOnlyServesTheRoot() throws Exception {
    start(QUIET, Topic.of("t", State.latest()));
    assertThatThrownBy(() -> WsTestClient.connect(at("/nope"), null, null))
        .isInstanceOfSatisfying(
            WsTestClient.Refused.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThatThrownBy(() -> WsTestClient.connect(at("/t"), Protocol.SUBPROTOCOL, null))
        .isInstanceOfSatisfying(
            WsTestClient.Refused.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void anOversizedMessageClosesThatClientWith1009AndOthersKeepReceiving() throws Exception {
    start(quiet().maxMessageSize(1024).build(), Topic.of("t", State.latest()));
    WsTestClient offender = envelope();
    WsTestClient bystander = envelope();
    bystander.send(subscribe("t"));
    bystander.next("snapshot");
    offender.send(subscribe("x".repeat(2000)));
    assertThat(offender.awaitClose().code()).isEqualTo(CloseCode.MESSAGE_TOO_BIG.code());
    hub.publish("t", Map.of("n", 1));
    assertThat(bystander.next("update").path("seq").asLong()).isEqualTo(1);
  }

  @Test
  void aMessageInFragmentsIsJoinedAndOneOverTheSizeClosesWith1009() throws Exception {
    start(quiet().maxMessageSize(1024).build(), Topic.of("t", State.latest()));
    WsTestClient fragmented = envelope();
    String subscribe = subscribe("t");
    fragmented.sendInFragments(
        subscribe.substring(0, 5), subscribe.substring(5, 12), subscribe.substring(12));
    fragmented.next("snapshot");
    WsTestClient offender = envelope();
    offender.sendInFragments("x".repeat(600), "x".repeat(600));
    assertThat(offender.awaitClose().code()).isEqualTo(CloseCode.MESSAGE_TOO_BIG.code());
    hub.publish("t", Map.of("n", 1));
    assertThat(fragmented.next("update").path("seq").asLong()).isEqualTo(1);
  }

  @Test
  void aBinaryMessageClosesWith1003() throws Exception {
    start(QUIET, Topic.of("t", State.latest()));
    WsTestClient c = envelope();
    c.sendBinary(new byte[] {1, 2, 3});
    assertThat(c.awaitClose().code()).isEqualTo(CloseCode.UNSUPPORTED_DATA.code());
  }

  @Test
  void invalidUtf8ClosesWith1007AndOthersKeepReceiving() throws Exception {
    start(QUIET, Topic.of("t", State.latest()));
    WsTestClient bystander = envelope();
    bystander.send(subscribe("t"));
    bystander.next("snapshot");
    try (java.net.Socket raw = Faults.silentClient(root)) {
      assertThat(Faults.readResponseHead(raw)).isEqualTo(101);
      // A masked text frame (zero mask) whose two bytes are not UTF-8.
      raw.getOutputStream()
          .write(new byte[] {(byte) 0x81, (byte) 0x82, 0, 0, 0, 0, (byte) 0xC3, 0x28});
      java.io.DataInputStream in = new java.io.DataInputStream(raw.getInputStream());
      int opcode;
      int length;
      do { // skip the plain form's first frame
        opcode = in.readUnsignedByte() & 0x0F;
        length = in.readUnsignedByte() & 0x7F;
        length = length == 126 ? in.readUnsignedShort() : length;
        byte[] payload = new byte[length];
        in.readFully(payload);
        if (opcode == 0x8) {
          assertThat(((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF))
              .as("invalid frame payload data, RFC 6455")
              .isEqualTo(1007);
        }
      } while (opcode != 0x8);
    }
    hub.publish("t", Map.of("n", 1));
    assertThat(bystander.next("update").path("seq").asLong()).isEqualTo(1);
  }

  @Test
  void malformedJsonGetsAnErrorFrameAndTheConnectionStaysUp() throws Exception {
    start(QUIET, Topic.of("t", State.latest()));
    WsTestClient c = envelope();
    c.send("{\"type\":\"subscribe\",");
    JsonNode error = c.next("error");
    assertThat(error.path("code").asString()).isEqualTo("malformed");
    assertThat(error.path("message").asString()).startsWith("message is not valid JSON");
    c.send(subscribe("nope"));
    JsonNode unknown = c.next("error");
    assertThat(unknown.path("code").asString()).isEqualTo("unknown-topic");
    assertThat(unknown.path("topic").asString()).isEqualTo("nope");
    c.send(subscribe("t"));
    assertThat(c.next("snapshot").path("seq").asLong()).isZero();
  }

  @Test
  void anAbuserIsClosedWith1008ByRateWhileItsNeighboursSeeNoGap() throws Exception {
    start(QUIET, Topic.of("t", State.latest()));
    WsTestClient neighbour = envelope();
    neighbour.send(subscribe("t"));
    long seq = neighbour.next("snapshot").path("seq").asLong();
    WsTestClient abuser = envelope();
    for (int i = 0; i < 11; i++) {
      if (i > 0) { // not after the 11th: the server may have closed the connection by then
        abuser.send(subscribe("t")); // valid messages in between do not reset the count
      }
      abuser.send("nope");
      hub.publish("t", Map.of("n", i));
    }
    assertThat(abuser.awaitClose().code()).isEqualTo(CloseCode.POLICY_VIOLATION.code());
    int errors = 0;
    for (String text; (text = abuser.poll(Duration.ZERO)) != null; ) {
      errors += WsTestClient.JSON.readTree(text).path("type").asString().equals("error") ? 1 : 0;
    }
    assertThat(errors).as("the error answers it was owed, before 1008").isEqualTo(10);
    for (int i = 0; i < 11; i++) {
      assertThat(neighbour.next("update").path("seq").asLong()).isEqualTo(++seq);
    }
  }

  @Test
  void stoppingTheServerClosesClientsWith1012AndAJitteredReconnectHint() throws Exception {
    start(QUIET, Topic.of("t", State.latest()));
    hub.publish("t", Map.of("n", 1));
    await().until(() -> hub.stats().updates() == 1);
    WsTestClient envelope = envelope();
    WsTestClient plain = WsTestClient.connect(root, null, null);
    plain.nextText();
    servers.remove(servers.size() - 1).stop();
    for (WsTestClient c : List.of(envelope, plain)) {
      WsTestClient.Close close = c.awaitClose();
      assertThat(close.code()).isEqualTo(CloseCode.SERVICE_RESTART.code());
      assertThat(close.reason()).matches("restart, reconnect in \\d+ ms");
    }
  }

  @Test
  void anIdleConnectionIsPingedAndStaysOpen() throws Exception {
    start(
        quiet()
            .idleTimeout(Duration.ofSeconds(1))
            .pingInterval(Duration.ofMillis(300))
            .pongTimeout(Duration.ofSeconds(1))
            .build(),
        Topic.of("t", State.latest()));
    WsTestClient c = envelope();
    for (int i = 0; i < 5; i++) {
      c.next("ping");
    }
    assertThat(c.isClosed()).as("pings keep it past the 1 s idle timeout").isFalse();
  }

  @Test
  void behindAProxyThatDropsSilentConnectionsThePingsKeepAClientConnected() throws Exception {
    start(
        quiet()
            .idleTimeout(Duration.ofSeconds(5))
            .pingInterval(Duration.ofMillis(300))
            .pongTimeout(Duration.ofSeconds(2))
            .build(),
        Topic.of("t", State.latest()));
    // A reverse proxy with a read timeout, as nginx has (60 s by default), scaled down to 1 s.
    try (TcpProxy proxy =
            new TcpProxy(
                new java.net.InetSocketAddress(root.getHost(), root.getPort()),
                Duration.ofSeconds(1));
        java.net.Socket silent = new java.net.Socket("127.0.0.1", proxy.port())) {
      WsTestClient pinged =
          WsTestClient.envelope(URI.create(root.getScheme() + "://" + proxy.hostPort() + "/"));
      for (int i = 0; i < 5; i++) {
        pinged.next("ping");
      }
      assertThat(pinged.isClosed()).as("pings keep it past the proxy's 1 s timeout").isFalse();
      // The proxy does drop what the server says nothing on: a connection that never upgraded.
      assertThat(Faults.closedByServer(silent, Duration.ofSeconds(5))).isTrue();
    }
  }

  @Test
  void aConnectionWithNoTrafficIsClosedAfterTheIdleTimeout() throws Exception {
    start(quiet().idleTimeout(Duration.ofMillis(500)).build(), Topic.of("t", State.latest()));
    try (java.net.Socket silent = Faults.silentClient(root)) {
      await().until(() -> hub.stats().connections() == 1);
      assertThat(Faults.closedByServer(silent, Duration.ofSeconds(5))).isTrue();
      await().until(() -> hub.stats().connections() == 0);
    }
  }

  @Test
  void aClientThatNeverAnswersPingsIsClosedWithinTheDeadlineWhileOthersStay() throws Exception {
    start(pingsWithAShortDeadline(), Topic.of("t", State.latest()));
    WsTestClient answering = envelope(); // the JDK client answers pings by itself
    // Upgraded, then it never reads nor answers anything.
    java.net.Socket silent = Faults.silentClient(root);
    try {
      await().until(() -> hub.stats().connections() == 2);
      // Server pings and the occasional ping message count as traffic, so an idle timeout of
      // 30 s would never fire; the pong deadline does.
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> hub.stats().unresponsiveCloses() == 1 && hub.stats().connections() == 1);
      assertThat(answering.isClosed()).isFalse();
    } finally {
      silent.close();
    }
  }

  @Test
  void aFrameThatNeverFinishesIsClosedWithinThePongDeadline() throws Exception {
    start(pingsWithAShortDeadline(), Topic.of("t", State.latest()));
    WsTestClient answering = envelope();
    // A header alone, and 1 KiB of a 60 KiB frame: no pong can come until the frame ends.
    try (java.net.Socket header = Faults.halfFrame(root, 60_000, 1);
        java.net.Socket part = Faults.halfFrame(root, 60_000, 1024)) {
      assertThat(Faults.closedByServer(header, Duration.ofSeconds(5))).isTrue();
      assertThat(Faults.closedByServer(part, Duration.ofSeconds(5))).isTrue();
      await().until(() -> hub.stats().connections() == 1);
      assertThat(answering.isClosed()).isFalse();
    }
  }

  @Test
  void autobahnTestsuiteFindsNoFailedCaseInTheTransportsFrameHandling() throws Exception {
    Served echo =
        serve(
            new EchoEndpoint(
                TransportOptions.builder().maxMessageSize(EchoEndpoint.MAX_MESSAGE_SIZE).build()));
    servers.add(echo);
    Autobahn.Report report =
        Autobahn.run(
            echo.root(),
            java.nio.file.Path.of("target", "autobahn", getClass().getSimpleName()),
            Autobahn.cases());
    System.out.println("Autobahn|Testsuite: " + report.summary());
    assertThat(report.results()).isNotEmpty();
    assertThat(report.failed()).as(report.summary()).isEmpty();
  }

  @Test
  void tricklingHandshakesAreDroppedWhileHealthyClientsReceiveEveryUpdate() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        boundsWholeRequests(),
        "the server bounds only the time between reads: a proxy's header timeout must drop"
            + " trickled handshakes");
    start(quiet().handshakeTimeout(Duration.ofMillis(500)).build(), Topic.of("t", State.latest()));
    WsTestClient healthy = envelope();
    healthy.send(subscribe("t"));
    long seq = healthy.next("snapshot").path("seq").asLong();
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    int before = threads.getThreadCount();
    List<java.net.Socket> tricklers = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        tricklers.add(Faults.tricklingHandshake(root, Duration.ofMillis(50)));
      }
      for (int i = 0; i < 20; i++) {
        hub.publish("t", Map.of("n", i));
        assertThat(healthy.next("update").path("seq").asLong()).isEqualTo(++seq);
      }
      // Jetty's pool may add a few threads, up to its bound; never one per pending request.
      assertThat(threads.getThreadCount() - before)
          .as("threads added by 50 pending requests (the trickler adds one)")
          .isLessThan(25);
      // A whole request takes 50 x ~170 bytes = 8.5 s at this pace: far past the 0.5 s deadline.
      for (java.net.Socket trickler : tricklers) {
        assertThat(Faults.closedByServer(trickler, Duration.ofSeconds(5))).isTrue();
      }
      assertThat(hub.stats().connections()).isEqualTo(1);
    } finally {
      for (java.net.Socket trickler : tricklers) {
        trickler.close();
      }
    }
  }

  @Test
  void aDuplicateOrMalformedHostGets400() throws Exception {
    start(QUIET, Topic.of("t", State.latest()));
    String here = root.getHost() + ":" + root.getPort();
    for (String hosts :
        List.of(
            "Host: " + here + "\r\nHost: evil.example\r\n",
            "Host: evil.example:80:80\r\n",
            "Host: [::1\r\n")) {
      String upgrade =
          "GET /t HTTP/1.1\r\n"
              + hosts
              + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
      assertThat(Faults.exchange(root, upgrade)).as(hosts).startsWith("HTTP/1.1 400");
    }
    assertThat(hub.stats().connections()).isZero();
  }

  @Test
  void oneAddressHoldsNoMoreHttpConnectionsThanItsLimitWhileOthersConnect() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        seesConnections(), "the container sees connections; the filter sees requests only");
    start(quiet().maxConnectionsPerAddress(5).build(), Topic.of("t", State.latest()));
    List<java.net.Socket> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) { // each answered once, so that the server has it
        java.net.Socket socket = Faults.from(Floods.ATTACKER, root);
        idle.add(socket);
        socket
            .getOutputStream()
            .write(
                ("GET /wsproducer.js HTTP/1.1\r\nHost: " + root.getAuthority() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        assertThat(Faults.readResponseHead(socket)).isEqualTo(200);
      }
      try (java.net.Socket sixth = Faults.from(Floods.ATTACKER, root)) {
        assertThat(Faults.closedByServer(sixth, Duration.ofSeconds(5)))
            .as("the sixth connection from one address")
            .isTrue();
      }
      assertThat(Faults.closedByServer(idle.get(0), Duration.ofMillis(200)))
          .as("the first five stay")
          .isFalse();
      WsTestClient other = WsTestClient.connect(at("/t"), null, null);
      assertThat(other.isClosed()).isFalse();
      idle.remove(0).close();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> {
                try (java.net.Socket again = Faults.from(Floods.ATTACKER, root)) {
                  return !Faults.closedByServer(again, Duration.ofMillis(300));
                }
              });
    } finally {
      for (java.net.Socket socket : idle) {
        socket.close();
      }
    }
  }

  // ---- Floods, against the transport in a JVM of its own with a small heap ----------------------

  private static ForkedServer forked; // of the kit class running: started by its first flood

  private ForkedServer forked() throws Exception {
    if (forked != null && !forked.isAlive()) {
      forked.close(); // a flood killed it, and failed: start afresh for the next
      forked = null;
    }
    if (forked == null) {
      forked = ForkedServer.start(getClass());
    }
    return forked;
  }

  @org.junit.jupiter.api.AfterAll
  static void stopForked() {
    if (forked != null) {
      forked.close();
      forked = null;
    }
  }

  @Test
  void aPeerThatSendsPingsAndNeverReadsTheirPongsCannotStopTheServer() throws Exception {
    ForkedServer server = forked();
    try (Floods.HonestClient honest = new Floods.HonestClient(server.root())) {
      long pings =
          Faults.pingFlood(Floods.ATTACKER, server.root(), "/random", Duration.ofSeconds(5));
      assertThat(pings).as("pings sent").isPositive();
      Floods.assertSurvived(server, honest, "a ping flood");
    }
  }

  @Test
  void thousandsOfHalfSentBodiesAreRefusedBeforeTheyCostMemoryOrThreads() throws Exception {
    ForkedServer server = forked();
    URI http = URI.create("http://" + server.root().getHost() + ":" + server.root().getPort());
    String push =
        "POST /topics/notes HTTP/1.1\r\nHost: "
            + server.root().getHost()
            + ":"
            + server.root().getPort()
            + "\r\nAuthorization: Bearer "
            + FaultServer.PUSH_TOKEN
            + "\r\nContent-Type: application/json\r\nContent-Length: 13\r\nConnection: close"
            + "\r\n\r\n{\"text\":\"hi\"}";
    try (Floods.HonestClient honest = new Floods.HonestClient(server.root())) {
      long logged = server.logBytes();
      List<java.net.Socket> bodies = new ArrayList<>();
      try {
        // With a token: the rate of its identity and the budgets of its address admit a few.
        bodies.addAll(
            Faults.halfSentBodies(
                Floods.ATTACKER, http, "/topics/notes", FaultServer.ATTACKER_TOKEN, 1_600, 65_536));
        // Without: refused from the headers, the body never read.
        int refused = bodies.size();
        bodies.addAll(
            Faults.halfSentBodies(Floods.ATTACKER, http, "/topics/notes", null, 1_600, 65_536));
        assertThat(Faults.exchange(http, push))
            .as("a push from another address while the bodies hang")
            .startsWith("HTTP/1.1 202");
        assertThat(Faults.closedByServer(bodies.get(refused), Duration.ofSeconds(5)))
            .as("a request refused for want of a token is closed, its body unread")
            .isTrue();
        long by = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        for (java.net.Socket body : bodies) {
          assertThat(Faults.closedByServer(body, Duration.ofNanos(by - System.nanoTime())))
              .as("every body that never ends is dropped by the handshake timeout")
              .isTrue();
        }
        // Its answer comes after what the server logged before it: the log is read up to here.
        Floods.assertSurvived(server, honest, "3,200 half-sent bodies");
        assertThat(server.logBytes() - logged)
            .as("bytes logged for 3,200 refused or dropped bodies: %s", server.lines())
            .isLessThan(Floods.LOG_BOUND);
      } finally {
        for (java.net.Socket socket : bodies) {
          socket.close();
        }
      }
    }
  }

  @Test
  void floodsOfRefusedRequestsAndAbusiveMessagesAddAFewLinesToTheLog() throws Exception {
    ForkedServer server = forked();
    URI http = URI.create("http://" + server.root().getHost() + ":" + server.root().getPort());
    try (Floods.HonestClient honest = new Floods.HonestClient(server.root())) {
      long before = server.logBytes();
      for (int i = 0; i < 2_000; i++) { // refused, each for a path of its own
        try (java.net.Socket socket = Faults.from(Floods.ATTACKER, http)) {
          socket
              .getOutputStream()
              .write(
                  ("POST /topics/x"
                          + i
                          + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2"
                          + "\r\nConnection: close\r\n\r\n{}")
                      .getBytes(StandardCharsets.US_ASCII));
          assertThat(Faults.readResponseHead(socket)).isEqualTo(401);
        }
      }
      // One connection that goes on sending unsubscribes after it is closed for them.
      byte[] unsubscribe = maskedText("{\"type\":\"unsubscribe\",\"topic\":\"random\"}");
      java.net.Socket abuser = Faults.from(Floods.ATTACKER, server.root());
      abuser
          .getOutputStream()
          .write(
              ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                      + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: "
                      + Protocol.SUBPROTOCOL
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      assertThat(Faults.readResponseHead(abuser)).isEqualTo(101);
      Faults.flood(abuser, Faults.repeat(unsubscribe, 1000), 300, Duration.ofSeconds(10));
      for (int i = 0; i < 1_000; i++) { // two Host headers, or a malformed one: 400 each
        for (String host :
            List.of(
                "Host: 127.0.0.1\r\nHost: evil" + i + ".example\r\n",
                "Host: evil" + i + ".example:80:80\r\n")) {
          try (java.net.Socket socket = Faults.from(Floods.ATTACKER, http)) {
            socket
                .getOutputStream()
                .write(
                    ("GET /random HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            assertThat(Faults.readResponseHead(socket)).as(host).isEqualTo(400);
          }
        }
      }
      Floods.assertSurvived(server, honest, "floods of refusals and abuse");
      assertThat(server.logBytes() - before)
          .as(
              "bytes logged for 2,000 refused pushes, 300,000 unsubscribes and 2,000 bad Host"
                  + " headers: %s",
              server.lines())
          .isLessThan(Floods.LOG_BOUND);
    }
  }

  /** A masked text frame (with a zero mask) of {@code text}, under 126 bytes. */
  private static byte[] maskedText(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] frame = new byte[6 + payload.length];
    frame[0] = (byte) 0x81;
    frame[1] = (byte) (0x80 | payload.length);
    System.arraycopy(payload, 0, frame, 6, payload.length);
    return frame;
  }
}
