package io.github.wsproducer.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.wsproducer.CloseCodes;
import io.github.wsproducer.Hub;
import io.github.wsproducer.RandomWalkSource;
import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class HubWebSocketIT {
  private Hub hub;
  private TestServer server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
    if (hub != null) {
      hub.close();
    }
  }

  private TestServer serve(
      java.util.function.UnaryOperator<HubWebSocket.Builder> config, Topic... topics)
      throws Exception {
    Hub.Builder builder = Hub.builder();
    for (Topic t : topics) {
      builder.topic(t);
    }
    hub = builder.build();
    server = new TestServer(hub, config);
    return server;
  }

  private static String subscribe(String topic) {
    return "{\"type\":\"subscribe\",\"topic\":\"" + topic + "\"}";
  }

  @Test
  void aPlainClientReceivesTheRandomCounterRisingByOneToTen() throws Exception {
    hub =
        Hub.builder()
            .topic(Topic.of("random", State.latest()))
            .source(RandomWalkSource.builder("random").build())
            .build();
    server = new TestServer(hub, b -> b);
    WsClient plain = new WsClient();
    server.connect(plain, "/", null, null);
    long previous = -1;
    for (int i = 0; i < 4; i++) {
      JsonNode message = plain.next();
      assertThat(message.propertyNames()).containsExactly("variable");
      long variable = message.path("variable").asLong();
      if (previous >= 0) {
        assertThat(variable - previous).isBetween(1L, 10L);
      }
      previous = variable;
    }
  }

  @Test
  void aPlainClientPicksItsTopicByPath() throws Exception {
    serve(b -> b, Topic.of("a", State.latest()), Topic.of("b", State.latest()));
    hub.publish("a", Map.of("which", "a"));
    hub.publish("b", Map.of("which", "b"));
    await().until(() -> hub.stats().updates() == 2);
    WsClient atRoot = new WsClient();
    WsClient atB = new WsClient();
    server.connect(atRoot, "/", null, null);
    server.connect(atB, "/b", null, null);
    assertThat(atRoot.nextText()).isEqualTo("{\"which\":\"a\"}");
    assertThat(atB.nextText()).isEqualTo("{\"which\":\"b\"}");
    assertThatThrownBy(() -> server.connect(new WsClient(), "/nope", null, null))
        .isInstanceOfSatisfying(
            UpgradeException.class, e -> assertThat(e.getResponseStatusCode()).isEqualTo(404));
  }

  @Test
  void aThousandEnvelopeClientsEachReceiveEveryUpdateOfAFastTopic() throws Exception {
    serve(b -> b, Topic.of("fast", State.latest()));
    int clients = 1000;
    int updates = 300;
    List<CompletableFuture<org.eclipse.jetty.websocket.api.Session>> connecting = new ArrayList<>();
    List<WsClient> all = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      WsClient c = new WsClient();
      all.add(c);
      connecting.add(server.connectAsync(c, "/", HubWebSocket.SUBPROTOCOL, null));
    }
    CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    for (WsClient c : all) {
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
    for (WsClient c : all) {
      JsonNode snapshot = c.next("snapshot");
      long seq = snapshot.path("seq").asLong();
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
  void aLateJoinerGetsHelloThenTheSnapshotThenUpdates() throws Exception {
    serve(b -> b, Topic.of("t", State.keyed()));
    hub.publish("t", Map.of("orders", 3, "payments", 4));
    hub.publish("t", Map.of("orders", 5));
    await().until(() -> hub.stats().updates() == 2);
    WsClient late = new WsClient();
    server.connect(late, "/", HubWebSocket.SUBPROTOCOL, null);
    JsonNode hello = late.next("hello");
    assertThat(hello.path("topics").get(0).path("state").asString()).isEqualTo("keyed");
    late.send(subscribe("t"));
    JsonNode snapshot = late.next("snapshot");
    assertThat(snapshot.path("seq").asLong()).isEqualTo(2);
    assertThat(snapshot.path("data"))
        .isEqualTo(WsClient.JSON.readTree("{\"orders\":5,\"payments\":4}"));
    hub.publish("t", Map.of("payments", 6));
    JsonNode update = late.next("update");
    assertThat(update.path("seq").asLong()).isEqualTo(3);
    assertThat(update.path("data").toString()).isEqualTo("{\"payments\":6}");
  }

  @Test
  void aClientThatStopsReadingDelaysNoOneAndStaysUnderItsCap() throws Exception {
    long cap = 64 * 1024;
    serve(
        b -> b.maxQueuedBytes(cap).writeTimeout(Duration.ofSeconds(3)),
        Topic.of("big", State.latest()));
    WsClient.Stalled stalled = new WsClient.Stalled();
    server.connect(stalled, "/big", null, null);
    hub.publish("big", Map.of("n", 0));
    assertThat(stalled.first.get(10, TimeUnit.SECONDS)).contains("\"n\":0");
    WsClient healthy = server.envelope();
    healthy.send(subscribe("big"));
    long seq = healthy.next("snapshot").path("seq").asLong();

    String padding = "x".repeat(8 * 1024);
    int published = 0;
    // Publish until the stalled client's socket buffers are full and the hub starts dropping
    // for it; the healthy client must get every single update meanwhile.
    while (hub.stats().dropped() == 0 && published < 20_000) {
      for (int i = 0; i < 100; i++) {
        hub.publish("big", Map.of("n", ++published, "pad", padding));
      }
      while (seq < published) {
        assertThat(healthy.next("update").path("seq").asLong()).isEqualTo(++seq);
      }
    }
    assertThat(hub.stats().dropped()).as("frames dropped for the stalled client").isPositive();
    assertThat(hub.stats().peakQueuedBytes()).isLessThanOrEqualTo(cap);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> hub.stats().slowConsumerCloses() == 1 && hub.stats().connections() == 1);
    hub.publish("big", Map.of("n", ++published));
    assertThat(healthy.next("update").path("seq").asLong()).isEqualTo(++seq);
  }

  @Test
  void refusedHandshakesAreLoggedOncePerCauseWithTheOriginOrTopic() throws Exception {
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(HubWebSocket.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
        new ch.qos.logback.core.read.ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      serve(b -> b, Topic.of("orders", State.latest()));
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> server.connect(new WsClient(), "/", null, "http://evil.example"))
            .isInstanceOf(UpgradeException.class);
        assertThatThrownBy(() -> server.connect(new WsClient(), "/ordrs", null, null))
            .isInstanceOf(UpgradeException.class);
      }
      assertThatThrownBy(() -> server.connect(new WsClient(), "/", null, "http://other.example"))
          .isInstanceOf(UpgradeException.class);
      assertThat(lines.list)
          .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
          .hasSize(3)
          .anySatisfy(
              line ->
                  assertThat(line)
                      .matches(
                          "refused a WebSocket handshake from 127\\.0\\.0\\.1:\\d+ with 403:"
                              + " origin \"http://evil.example\" is not allowed"))
          .anySatisfy(
              line ->
                  assertThat(line).endsWith("with 404: no topic \"ordrs\"; the hub has [orders]"))
          .anySatisfy(line -> assertThat(line).contains("origin \"http://other.example\""));
    } finally {
      logger.detachAppender(lines);
    }
  }

  @Test
  void aForeignOriginGets403AndAllowedOnesConnect() throws Exception {
    serve(b -> b.allowOrigin("https://wall.example.com"), Topic.of("t", State.latest()));
    assertThatThrownBy(() -> server.connect(new WsClient(), "/", null, "http://evil.example"))
        .isInstanceOfSatisfying(
            UpgradeException.class, e -> assertThat(e.getResponseStatusCode()).isEqualTo(403));
    assertThatThrownBy(() -> server.connect(new WsClient(), "/", null, "null"))
        .isInstanceOfSatisfying(
            UpgradeException.class, e -> assertThat(e.getResponseStatusCode()).isEqualTo(403));
    server.connect(new WsClient(), "/", null, "https://wall.example.com");
    server.connect(new WsClient(), "/", null, "http://127.0.0.1:" + server.port());
    server.connect(new WsClient(), "/", null, null);
    await().until(() -> hub.stats().connections() == 3);
  }

  @Test
  void pagesOpenedFromDiskConnectOnlyWhenOriginNullIsAllowed() throws Exception {
    serve(b -> b.allowOrigin("null"), Topic.of("t", State.latest()));
    hub.publish("t", Map.of("variable", 1));
    WsClient fromDisk = new WsClient();
    server.connect(fromDisk, "/", null, "null");
    assertThat(fromDisk.nextText()).isEqualTo("{\"variable\":1}");
  }

  @Test
  void anOversizedMessageClosesThatClientWith1009AndOthersKeepReceiving() throws Exception {
    serve(b -> b.maxMessageSize(1024), Topic.of("t", State.latest()));
    WsClient offender = server.envelope();
    WsClient bystander = server.envelope();
    bystander.send(subscribe("t"));
    bystander.next("snapshot");
    offender.send("{\"type\":\"subscribe\",\"topic\":\"" + "x".repeat(2000) + "\"}");
    assertThat(offender.awaitClose().code()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
    hub.publish("t", Map.of("n", 1));
    assertThat(bystander.next("update").path("seq").asLong()).isEqualTo(1);
  }

  @Test
  void malformedJsonGetsAnErrorFrameAndTheConnectionStaysUp() throws Exception {
    serve(b -> b, Topic.of("t", State.latest()));
    WsClient c = server.envelope();
    c.send("{\"type\":\"subscribe\",");
    JsonNode error = c.next("error");
    assertThat(error.path("code").asString()).isEqualTo("malformed");
    assertThat(error.path("message").asString()).startsWith("message is not valid JSON");
    c.send("{\"type\":\"subscribe\",\"topic\":\"nope\"}");
    assertThat(c.next("error").path("code").asString()).isEqualTo("unknown-topic");
    c.send(subscribe("t"));
    assertThat(c.next("snapshot").path("seq").asLong()).isZero();
  }

  @Test
  void aBinaryMessageClosesWithUnsupportedData() throws Exception {
    serve(b -> b, Topic.of("t", State.latest()));
    WsClient c = server.envelope();
    c.session.sendBinary(
        java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}),
        org.eclipse.jetty.websocket.api.Callback.NOOP);
    assertThat(c.awaitClose().code()).isEqualTo(1003);
  }

  @Test
  void stoppingTheServerClosesClientsWithARestartHint() throws Exception {
    serve(b -> b, Topic.of("t", State.latest()));
    WsClient c = server.envelope();
    server.server.stop();
    WsClient.Close close = c.awaitClose();
    assertThat(close.code()).isEqualTo(CloseCodes.SERVICE_RESTART);
    assertThat(close.reason()).matches("restart, reconnect in \\d+ ms");
  }

  @Test
  void serverPingsKeepAnIdleConnectionAlive() throws Exception {
    serve(
        b -> b.pingInterval(Duration.ofMillis(300)).idleTimeout(Duration.ofSeconds(1)),
        Topic.of("t", State.latest()));
    WsClient c = server.envelope();
    for (int i = 0; i < 5; i++) {
      c.next("ping");
    }
    assertThat(c.closed).isNotDone();
  }

  @Test
  void invalidSettingsFailWithTheFieldAndTheValue() {
    hub = Hub.builder().topic(Topic.of("t", State.latest())).build();
    assertThatThrownBy(() -> HubWebSocket.builder(hub).allowOrigin("example.com"))
        .hasMessage("origin must be scheme://host[:port] or \"null\", was \"example.com\"");
    assertThatThrownBy(() -> HubWebSocket.builder(hub).maxMessageSize(10))
        .hasMessage("maxMessageSize must be at least 1024, was 10");
    assertThatThrownBy(
            () ->
                HubWebSocket.builder(hub)
                    .pingInterval(Duration.ofSeconds(90))
                    .idleTimeout(Duration.ofSeconds(60))
                    .build())
        .hasMessageContaining("pingInterval (PT1M30S) must be shorter than idleTimeout (PT1M)");
    assertThatThrownBy(() -> HubWebSocket.builder(hub).maxQueuedBytes(1).build())
        .hasMessage("maxQueuedBytes must be at least 1024, was 1");
  }

  @Test
  void theBrowserClientIsServedAtWsproducerJs() throws Exception {
    serve(b -> b, Topic.of("t", State.latest()));
    org.eclipse.jetty.client.HttpClient http = server.client.getHttpClient();
    String uri = "http://127.0.0.1:" + server.port() + "/wsproducer.js";
    org.eclipse.jetty.client.ContentResponse script = http.GET(uri);
    assertThat(script.getStatus()).isEqualTo(200);
    assertThat(script.getHeaders().get("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(script.getContent()).isEqualTo(ClientScriptTest.script());
    org.eclipse.jetty.client.ContentResponse again =
        http.newRequest(uri)
            .headers(h -> h.put("If-None-Match", script.getHeaders().get("ETag")))
            .send();
    assertThat(again.getStatus()).isEqualTo(304);
  }
}
