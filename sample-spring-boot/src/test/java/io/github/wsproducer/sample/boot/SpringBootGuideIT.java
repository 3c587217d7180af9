package io.github.wsproducer.sample.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.wsproducer.testkit.Browser;
import io.github.wsproducer.testkit.WsTestClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import tools.jackson.databind.JsonNode;

/**
 * {@code docs/spring-boot.md} followed literally: the files it gives, each at the path it names,
 * built with Maven, started, its data changed with the command it gives, and its screen seen to
 * follow. The library's artifacts come from this build, as {@code ./mvnw install} would put them.
 */
class SpringBootGuideIT {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path GUIDE = ROOT.resolve("docs/spring-boot.md");
  private static final Pattern MARKED =
      Pattern.compile("<!-- (file|command): ([^>]+?) -->\\n```\\w*\\n(.*?)\\n```", Pattern.DOTALL);
  private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)");

  @Test
  void theGuidesProjectBuildsStartsAndItsScreenFollowsTheDatabase(@TempDir Path project)
      throws Exception {
    Map<String, String> files = marked("file");
    assertThat(files)
        .containsKeys(
            "pom.xml",
            "src/main/resources/application.yml",
            "src/main/resources/schema.sql",
            "src/main/resources/screens.yaml");
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path path = project.resolve(file.getKey());
      Files.createDirectories(path.getParent() == null ? project : path.getParent());
      Files.writeString(path, file.getValue() + "\n");
    }
    Path tail = Path.of(System.getProperty("wsproducer.localRepository"));
    Path repo = project.resolve("repo"); // ours; the rest is read from the developer's own
    installLibrary(repo);

    run(
        project,
        Duration.ofMinutes(5),
        ROOT.resolve("mvnw").toString(),
        "-B",
        "-q",
        "-Dmaven.repo.local=" + repo,
        "-Dmaven.repo.local.tail=" + tail,
        "package",
        "-DskipTests");

    Process app =
        new ProcessBuilder(java(), "-jar", "target/wall-0.0.1-SNAPSHOT.jar", "--server.port=0")
            .directory(project.toFile())
            .redirectErrorStream(true)
            .start();
    try {
      int port = portOf(app).get(90, TimeUnit.SECONDS);
      WsTestClient screen = WsTestClient.envelope(URI.create("ws://127.0.0.1:" + port + "/"));
      try {
        screen.send("{\"type\":\"subscribe\",\"topic\":\"streams\"}");
        JsonNode snapshot = screen.next("snapshot");
        assertThat(snapshot.at("/data/orders/lag_ms").asInt()).isEqualTo(250);

        String change = marked("command").get("change a row");
        String h2 = tail.toString();
        if (!Files.exists(Path.of(h2, "com/h2database"))) {
          h2 = repo.toString(); // the build fetched it there
        }
        run(
            project,
            Duration.ofMinutes(1),
            "sh",
            "-c",
            change
                .replace("~/.m2/repository", h2)
                .replace("java ", java() + " ")
                .replace("\\\n", " "));
        assertThat(updateOf(screen, "/data/orders/lag_ms", Duration.ofSeconds(15)))
            .as("the row as changed, within the topic's 2 s interval")
            .isEqualTo(4800);
      } finally {
        screen.close();
      }
      try (Browser browser = new Browser(1920, 1080)) {
        browser.driver.get("http://127.0.0.1:" + port + "/screens/ops");
        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () ->
                    assertThat(browser.driver.findElement(By.tagName("body")).getText())
                        .contains("Pipelines", "orders", "payments", "clicks")
                        .contains("Worst lag"));
      }
    } finally {
      app.destroy();
      assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** The value at {@code pointer} of the first update that has one, or -1 after {@code wait}. */
  private static int updateOf(WsTestClient screen, String pointer, Duration wait)
      throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      String text = screen.poll(Duration.ofMillis(500));
      JsonNode update = text == null ? null : WsTestClient.JSON.readTree(text);
      if (update != null
          && update.path("type").asString().equals("update")
          && update.at(pointer).isNumber()) {
        return update.at(pointer).asInt();
      }
    }
    return -1;
  }

  /** The guide's blocks marked {@code <!-- kind: name -->}, by name. */
  private static Map<String, String> marked(String kind) throws IOException {
    Map<String, String> found = new LinkedHashMap<>();
    Matcher m = MARKED.matcher(Files.readString(GUIDE));
    while (m.find()) {
      if (m.group(1).equals(kind)) {
        found.put(m.group(2).trim(), m.group(3));
      }
    }
    return found;
  }

  /** Every module's pom and jar of this build, laid out in {@code repo} as an install would. */
  private static void installLibrary(Path repo) throws IOException {
    String version = System.getProperty("wsproducer.version");
    install(repo, "wsproducer-parent", version, ROOT.resolve("pom.xml"), null);
    try (Stream<Path> modules = Files.list(ROOT)) {
      for (Path module : modules.filter(m -> Files.exists(m.resolve("pom.xml"))).toList()) {
        String name = module.getFileName().toString();
        Path jar = module.resolve("target/" + name + "-" + version + ".jar");
        if (name.startsWith("producer-")) {
          install(repo, name, version, module.resolve("pom.xml"), Files.exists(jar) ? jar : null);
        }
      }
    }
  }

  private static void install(Path repo, String artifact, String version, Path pom, Path jar)
      throws IOException {
    Path dir = repo.resolve("io/github/wsproducer/" + artifact + "/" + version);
    Files.createDirectories(dir);
    Files.copy(pom, dir.resolve(artifact + "-" + version + ".pom"));
    if (jar != null) {
      Files.copy(jar, dir.resolve(artifact + "-" + version + ".jar"));
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Runs a command in {@code dir}; fails with its output unless it exits with 0 in time. */
  private static void run(Path dir, Duration limit, String... command) throws Exception {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    boolean done = p.waitFor(limit.toSeconds(), TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    assertThat(done && p.exitValue() == 0)
        .as("%s in %s:%n%s", List.of(command), dir, output.get(10, TimeUnit.SECONDS))
        .isTrue();
  }

  /** The port the application says Tomcat started on; its output is read to the end after. */
  private static CompletableFuture<Integer> portOf(Process app) {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
    List<String> seen = new ArrayList<>();
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            for (String line; (line = out.readLine()) != null; ) {
              seen.add(line);
              Matcher m = STARTED.matcher(line);
              if (m.find()) {
                SampleJarIT.drain(out);
                return Integer.parseInt(m.group(1));
              }
            }
            throw new IllegalStateException("the application exited:\n" + String.join("\n", seen));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
