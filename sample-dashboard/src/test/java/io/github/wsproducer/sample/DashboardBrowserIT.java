package io.github.wsproducer.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.wsproducer.testkit.Browser;
import io.github.wsproducer.testkit.Services;
import io.github.wsproducer.testkit.TcpProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dashboard and the original page in a real browser against the real sample. */
class DashboardBrowserIT {
  private SampleServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private SampleServer start(int port) throws Exception {
    server =
        SampleServer.start(
            new Options(
                "localhost",
                port,
                List.of(),
                List.of(),
                null,
                null,
                null,
                null,
                null,
                "jetty",
                null,
                null,
                null,
                null,
                null,
                false));
    return server;
  }

  private static long number(String text) {
    return Long.parseLong(text.replace(",", "").trim());
  }

  private static boolean isNumber(String text) {
    return text != null && text.replace(",", "").trim().matches("\\d+");
  }

  @Test
  void theSamplesScreenShowsLiveValuesLegiblyWithoutScrolling() throws Exception {
    int port = start(0).port();
    for (int[] size : new int[][] {{1920, 1080}, {1366, 768}, {1080, 1920}}) {
      try (Browser browser = new Browser(size[0], size[1])) {
        // The welcome page opens the sample's screen.
        browser.driver.get("http://localhost:" + port + "/");
        await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> browser.driver.getCurrentUrl().endsWith("/screens/streams"));
        String random = "[data-topic=random] .value";
        await().atMost(Duration.ofSeconds(15)).until(() -> isNumber(browser.text(random)));
        long first = number(browser.text(random));
        await().atMost(Duration.ofSeconds(15)).until(() -> number(browser.text(random)) > first);

        assertThat(browser.text("#connection")).isEqualTo("live");
        // Rates where the database has cumulative counters: a second poll makes the first.
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () ->
                    String.valueOf(browser.text("[data-topic=totals] .value"))
                        .matches("[\\d,.]+/s"));
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () ->
                    !browser
                        .js("return document.querySelectorAll('[data-topic=events] td').length")
                        .equals(0L));
        assertThat(browser.js("return document.querySelectorAll('[data-topic=streams] td').length"))
            .as("a row per pipeline")
            .isNotEqualTo(0L);
        // A chart per rate, once it has two points: three polls, two seconds apart.
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    browser
                        .js("return document.querySelectorAll('.tile canvas').length")
                        .equals(2L));
        assertThat(
                browser.js(
                    "return getComputedStyle(document.querySelector('[data-topic=random] .badge')).display"))
            .as("fresh data needs no badge")
            .isEqualTo("none");
        assertThat(browser.legibilityProblems()).as("at %dx%d", size[0], size[1]).isEmpty();
        Path shot = browser.screenshot("dashboard-" + size[0] + "x" + size[1] + ".png");
        assertThat(Files.size(shot)).isPositive();
      }
    }
  }

  @Test
  void theWelcomePagePassesTheScreenTokenOnAndANotePushedOverHttpReachesTheScreen()
      throws Exception {
    String admin = "admin-token-0123456789";
    String screen = "screen-token-0123456789";
    server =
        SampleServer.start(
            new Options(
                "localhost",
                0,
                List.of(),
                List.of(),
                null,
                null,
                null,
                null,
                null,
                "jetty",
                null,
                null,
                null,
                admin,
                screen,
                false));
    try (Browser browser = new Browser(1366, 768)) {
      browser.driver.get("http://localhost:" + server.port() + "/?token=" + screen);
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> browser.driver.getCurrentUrl().endsWith("/screens/streams?token=" + screen));
      String notes = "[data-topic=notes] .value";
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> "No notes yet".equals(browser.text(notes)));

      java.net.HttpURLConnection push =
          (java.net.HttpURLConnection)
              java.net
                  .URI
                  .create("http://localhost:" + server.port() + "/topics/notes")
                  .toURL()
                  .openConnection();
      push.setRequestMethod("POST");
      push.setRequestProperty("Authorization", "Bearer " + admin);
      push.setDoOutput(true);
      try (java.io.OutputStream out = push.getOutputStream()) {
        out.write(
            "{\"text\":\"Deploy at 17:00\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      assertThat(push.getResponseCode()).isEqualTo(202);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> "Deploy at 17:00".equals(browser.text(notes)));
      assertThat(browser.legibilityProblems()).isEmpty();
    }
  }

  @Test
  void withAScreensFileOfOnesOwnTheWelcomePageOpensItsFirstScreenAndMistakesShowOnTheWall()
      throws Exception {
    Path file = Files.createTempFile("screens", ".yaml");
    String yaml =
        """
        screens:
          - name: mine
            title: My wall
            tiles:
              - widget: number
                title: Random
                topic: random
                path: variable
        """;
    Files.writeString(file, yaml);
    server = SampleServer.start(Options.parse("--port", "0", "--screens", file.toString()));
    try (Browser browser = new Browser(1366, 768)) {
      browser.driver.get("http://localhost:" + server.port() + "/");
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> browser.driver.getCurrentUrl().endsWith("/screens/mine"));
      await().atMost(Duration.ofSeconds(15)).until(() -> "My wall".equals(browser.text("#title")));

      // A mistake: the wall keeps the last good version and says what is wrong, where.
      Files.writeString(file, yaml.replace("path: variable", "pth: variable"));
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> String.valueOf(browser.text("#problem")).contains("line 8"));
      assertThat(browser.text("#problem"))
          .startsWith("Not applied: " + file)
          .contains("unknown key \"pth\"");
      assertThat(browser.text("#title")).isEqualTo("My wall");
      assertThat(browser.legibilityProblems()).isEmpty();
      browser.screenshot("screens-file-problem-1366x768.png");
      browser.driver.get("http://localhost:" + server.port() + "/screens");
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> String.valueOf(browser.text("#problem")).contains("line 8"));

      Files.writeString(file, yaml.replace("My wall", "Our wall"));
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> browser.js("return document.getElementById('problem')") == null);
    } finally {
      Files.delete(file);
    }
  }

  @Test
  void thePageSaysWhenTheServerIsGoneAndRecoversWhenItReturns() throws Exception {
    int port = start(0).port();
    try (Browser browser = new Browser(1366, 768)) {
      browser.driver.get("http://localhost:" + port + "/screens/streams");
      String random = "[data-topic=random] .value";
      await().atMost(Duration.ofSeconds(15)).until(() -> isNumber(browser.text(random)));

      server.close();
      server = null;
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> browser.text("#connection").startsWith("server unreachable"));
      assertThat(browser.text("[data-topic=random] .badge")).matches("last update \\d+ s ago");
      assertThat(browser.legibilityProblems()).as("with a badge on every tile").isEmpty();
      browser.screenshot("dashboard-server-gone.png");

      start(port);
      // A new server starts its counter from 0: fresh values replace the old ones.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> "live".equals(browser.text("#connection")));
      long before = number(browser.text(random));
      await().atMost(Duration.ofSeconds(15)).until(() -> number(browser.text(random)) != before);
      assertThat(browser.text("[data-topic=random] .badge")).as("fresh again: no badge").isEmpty();
    }
  }

  @Test
  void theOriginalPageOpenedFromDiskUpdatesItsElement() throws Exception {
    int port = start(0).port();
    Path page = Files.createTempFile("seed-page", ".html");
    Files.writeString(
        page,
        Files.readString(Path.of("seed", "index.html"))
            .replace("ws://localhost:5000", "ws://localhost:" + port));
    try (Browser browser = new Browser(800, 600)) {
      browser.driver.get(page.toUri().toString());
      await().atMost(Duration.ofSeconds(15)).until(() -> isNumber(browser.text("#variable")));
      long first = number(browser.text("#variable"));
      await().atMost(Duration.ofSeconds(15)).until(() -> number(browser.text("#variable")) > first);
    } finally {
      Files.delete(page);
    }
  }

  @Test
  void aTileSaysWhenItsDatabaseIsUnreachableAndRecovers() throws Exception {
    try (TcpProxy proxy = new TcpProxy(Services.postgres())) {
      server =
          SampleServer.start(
              new Options(
                  "localhost",
                  0,
                  List.of(),
                  List.of(),
                  "jdbc:postgresql://" + proxy.hostPort() + "/test",
                  "postgres",
                  null,
                  null,
                  null,
                  "jetty",
                  null,
                  null,
                  null,
                  null,
                  null,
                  false));
      try (Browser browser = new Browser(1366, 768)) {
        browser.driver.get("http://localhost:" + server.port() + "/screens/streams");
        String badge = "[data-topic=streams] .badge";
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () ->
                    browser
                            .js(
                                "return document.querySelectorAll('[data-topic=streams] td').length")
                            .equals(0L)
                        == false);
        assertThat(browser.text(badge)).as("fresh: no badge").isEmpty();

        proxy.cut();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> "database unreachable".equals(browser.text(badge)));
        assertThat(browser.text("#connection"))
            .as("the page itself stays connected")
            .isEqualTo("live");
        browser.screenshot("dashboard-database-unreachable.png");

        proxy.restore();
        await().atMost(Duration.ofSeconds(30)).until(() -> "".equals(browser.text(badge)));
      }
    }
  }
}
