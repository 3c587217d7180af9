package io.github.wsproducer.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsproducer.Hub;
import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import io.github.wsproducer.spi.WebResources;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The browser client: its size, its logic under Node's test runner, and the hub's checksums. */
class ClientScriptTest {

  static byte[] script() {
    ByteBuffer script = WebResources.clientScript();
    byte[] bytes = new byte[script.remaining()];
    script.get(bytes);
    return bytes;
  }

  @Test
  void theClientIsAtMostFiveKilobytesGzipped() throws IOException {
    ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
      gzip.write(script());
    }
    System.out.printf(
        "wsproducer.js: %d bytes, %d bytes gzipped%n", script().length, gzipped.size());
    assertThat(gzipped.size()).isLessThanOrEqualTo(5 * 1024);
  }

  @Test
  void theClientLogicPassesItsNodeTests() throws Exception {
    Path node = Services.program("node");
    Process run =
        new ProcessBuilder(node.toString(), "--test", "src/test/js/")
            .redirectErrorStream(true)
            .start();
    String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
    System.out.println(
        output.lines().filter(l -> l.startsWith("# ") && !l.startsWith("# Subtest")).toList());
    assertThat(run.exitValue()).as(output).isZero();
    assertThat(output).contains("# fail 0").doesNotContain("# pass 0");
  }

  @Test
  void theClientReproducesTheHubsChecksumsOfKeyedAndWindowTopics() throws Exception {
    Path node = Services.program("node");
    List<String> frames = new ArrayList<>();
    try (Hub hub =
        Hub.builder()
            .topic(Topic.of("keyed", State.keyed()))
            .topic(Topic.of("window", State.window(3)))
            .build()) {
      RecordingOutbound screen = new RecordingOutbound();
      screen.openEnvelope(hub);
      frames.add(screen.nextText());
      screen.send("{\"type\":\"subscribe\",\"topic\":\"keyed\"}");
      screen.send("{\"type\":\"subscribe\",\"topic\":\"window\"}");
      frames.add(screen.nextText());
      frames.add(screen.nextText());
      // Values whose JSON text a browser reads back differently from how Java holds them.
      List<Object> values =
          List.of(
              0,
              -7,
              9_007_199_254_740_993L, // above 2^53: a browser rounds it
              new BigInteger("123456789012345678901234567890"),
              0.1,
              1e21,
              -0.0,
              1.5e-7,
              0.1f,
              new BigDecimal("1.10"),
              "",
              "caf\u00e9 \uD83D\uDE80 \"quoted\" \\ \n",
              true,
              false,
              List.of(1, "two", List.of(3.5)),
              Map.of("b", 1, "a", Map.of("y", List.of(), "x", Map.of())));
      Map<String, Object> nested = new LinkedHashMap<>();
      nested.put("z", values);
      for (int i = 0; i < values.size(); i++) {
        hub.publish("keyed", Map.of("k" + (i % 5), values.get(i), "nested", nested));
        hub.publish("window", Map.of("v", values.get(i)));
      }
      Map<String, Object> removal = new HashMap<>();
      removal.put("k1", null);
      hub.publish("keyed", removal);
      int updates = 2 * values.size() + 1;
      for (int i = 0; i < updates; i++) {
        frames.add(screen.nextText());
      }
    }
    Path file = Path.of("target", "checksum-frames.json");
    Files.writeString(file, WsTestClient.JSON.writeValueAsString(frames));
    Process run =
        new ProcessBuilder(node.toString(), "src/test/js/fold-frames.js", file.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(run.exitValue()).as(output).isZero();
    assertThat(output).contains("33 sums checked");
  }
}
