package io.github.wsproducer.sample.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsproducer.testkit.WsTestClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The packaged sample, run as the README says. */
class SampleJarIT {
  private static final Path JAR = Path.of("target", "sample-spring-boot.jar");
  private static final Pattern LISTENING =
      Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/");

  /** Keeps reading the sample's output, so that it never blocks on a full pipe. */
  static void drain(BufferedReader out) {
    Thread t =
        new Thread(
            () -> {
              try {
                out.transferTo(Writer.nullWriter());
              } catch (IOException e) {
                // the sample is gone
              }
            });
    t.setDaemon(true);
    t.start();
  }

  @Test
  void theJarPrintsWhereItListensAndServesTheOriginalPagesSocket() throws Exception {
    String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process sample =
        new ProcessBuilder(List.of(javaCommand, "-jar", JAR.toString(), "--server.port=0"))
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(sample.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<Integer> port =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  for (String line; (line = out.readLine()) != null; ) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                      drain(out);
                      return Integer.parseInt(m.group(1));
                    }
                  }
                  throw new IllegalStateException("the sample exited without listening");
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      int p = port.get(60, TimeUnit.SECONDS);
      WsTestClient page =
          WsTestClient.connect(URI.create("ws://127.0.0.1:" + p + "/"), null, "null");
      try {
        assertThat(page.next().get("variable").isInt()).isTrue();
      } finally {
        page.close();
      }
    } finally {
      sample.destroy();
      assertThat(sample.waitFor(30, TimeUnit.SECONDS)).as("the sample stops on SIGTERM").isTrue();
    }
  }
}
