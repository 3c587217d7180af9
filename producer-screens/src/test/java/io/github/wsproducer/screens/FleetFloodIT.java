package io.github.wsproducer.screens;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsproducer.testkit.Faults;
import io.github.wsproducer.testkit.Floods;
import io.github.wsproducer.testkit.ForkedServer;
import io.github.wsproducer.testkit.TransportCompatibilityKit;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fleet's report endpoint flooded as an attacker did, against Jetty and Netty each in a JVM of
 * its own with a 128 MB heap: 1,200 reports of 63 KB from one address, without a token (none is
 * needed without a screen token). The server stays up and bounded, an honest client keeps its
 * updates, and an honest screen from another address still reports.
 */
class FleetFloodIT {

  /** A report as the attacker's: 200 seqs, 200 viewport keys, 200 stale names of 100 characters. */
  private static String hugeReport(int n) {
    StringBuilder json = new StringBuilder("{\"id\":\"screen-" + (10_000_000 + n) + "\"");
    for (String field : new String[] {"seqs", "viewport"}) {
      json.append(",\"").append(field).append("\":{");
      for (int t = 0; t < 200; t++) {
        json.append(t == 0 ? "" : ",").append('"').append("t".repeat(96)).append(t).append("\":1");
      }
      json.append('}');
    }
    json.append(",\"stale\":[");
    for (int t = 0; t < 200; t++) {
      json.append(t == 0 ? "" : ",").append('"').append("s".repeat(100)).append('"');
    }
    return json.append("]}").toString();
  }

  private static int report(URI root, Socket socket, String json) throws Exception {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    OutputStream out = socket.getOutputStream();
    out.write(
        ("POST /fleet/report HTTP/1.1\r\nHost: 127.0.0.1:"
                + root.getPort()
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length
                + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    return Faults.readResponseHead(socket);
  }

  @ParameterizedTest
  @ValueSource(classes = {JettyServing.class, NettyServing.class})
  void aReportFloodKeepsTheServerUpAndBounded(Class<? extends TransportCompatibilityKit> transport)
      throws Exception {
    try (ForkedServer server = ForkedServer.start(transport, WithFleet.class);
        Floods.HonestClient honest = new Floods.HonestClient(server.root())) {
      URI root = server.root();
      long logged = server.logBytes();
      Map<Integer, Integer> answers = new TreeMap<>();
      for (int i = 0; i < 1_200; i++) {
        try (Socket socket = Faults.from(Floods.ATTACKER, root)) {
          answers.merge(report(root, socket, hugeReport(i)), 1, Integer::sum);
        }
      }
      assertThat(answers)
          .as("too large once trimmed, then over the address's rate")
          .isEqualTo(new TreeMap<>(Map.of(400, 200, 429, 1_000)));
      try (Socket screen = new Socket(root.getHost(), root.getPort())) {
        assertThat(report(root, screen, "{\"id\":\"0123456789abcdef\",\"name\":\"lobby\"}"))
            .as("an honest screen from another address")
            .isEqualTo(202);
      }
      Floods.assertSurvived(server, honest, "1,200 fleet reports of 63 KB");
      assertThat(server.logBytes() - logged)
          .as("bytes logged for the flood: %s", server.lines())
          .isLessThan(Floods.LOG_BOUND);
    }
  }
}
