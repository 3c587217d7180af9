package io.github.wsproducer.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wsproducer.Hub;
import io.github.wsproducer.RandomWalkSource;
import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import io.github.wsproducer.protocol.CloseCode;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What is particular to the Jetty transport: mounting, the client script, logging. The protocol
 * scenarios every transport shares run in {@link JettyTransportKitIT}.
 */
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
  void jettysOwnErrorAnswersCarryTheSecurityHeadersAndNameNoServer() throws Exception {
    serve(b -> b, Topic.of("t", State.latest()));
    String head = io.github.wsproducer.testkit.Faults.exchange(server.uri("/"), "GARBAGE\r\n\r\n");
    assertThat(head).startsWith("HTTP/1.1 400");
    assertThat(head.toLowerCase(java.util.Locale.ROOT))
        .contains("x-content-type-options: nosniff", "content-security-policy:")
        .doesNotContain("server:");
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
  void refusedHandshakesAreLoggedOncePerKindAndAddressWithTheOriginOrTopic() throws Exception {
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger("io.github.wsproducer.handshake");
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
          .as("another origin from the same address is counted into the next line, not logged")
          .hasSize(2)
          .anySatisfy(
              line ->
                  assertThat(line)
                      .matches(
                          "refused a WebSocket handshake from 127\\.0\\.0\\.1:\\d+ with 403:"
                              + " origin \"http://evil.example\" is not allowed"))
          .anySatisfy(
              line ->
                  assertThat(line).endsWith("with 404: no topic \"ordrs\"; the hub has [orders]"));
    } finally {
      logger.detachAppender(lines);
    }
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
  void stoppingTheServerClosesClientsWithARestartHint() throws Exception {
    serve(b -> b, Topic.of("t", State.latest()));
    WsClient c = server.envelope();
    server.server.stop();
    WsClient.Close close = c.awaitClose();
    assertThat(close.code()).isEqualTo(CloseCode.SERVICE_RESTART.code());
    assertThat(close.reason()).matches("restart, reconnect in \\d+ ms");
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
}
