package io.github.wsproducer.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsproducer.spi.WebResources;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The browser client: its size, and its logic under Node's test runner. */
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
}
