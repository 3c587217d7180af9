package io.github.wsproducer.screens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.wsproducer.Hub;
import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import io.github.wsproducer.netty.NettyServer;
import io.github.wsproducer.testkit.Browser;
import io.github.wsproducer.testkit.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;

/**
 * The screen kit in headless Chromium at the sizes wall screens have: every widget on one screen,
 * live data, and no text smaller than 2 % of the screen's shorter side, nothing overflowing,
 * scrolling or cut. Screenshots go to {@code target/screenshots/}.
 */
class ScreensBrowserIT {
  static Hub hub;
  static NettyServer server;
  static ScheduledExecutorService feed;

  /** Every widget, with thresholds, formats, a change period, a rate and a wide events tile. */
  static final Screen OPS =
      Screen.named("ops")
          .title("Data streams")
          .locale("en-GB")
          .tile(
              Tile.number("Orders per second", "totals", "orders.rate")
                  .format(Format.DECIMAL)
                  .change("15m"))
          .tile(
              Tile.gauge("Database pool in use", "totals", "pool")
                  .format(Format.PERCENT)
                  .range(0, 1)
                  .warnAbove(0.7)
                  .criticalAbove(0.9))
          .tile(
              Tile.timeSeries("Orders", "totals", "orders.count").perSecond().unit("/s").size(2, 1))
          .tile(
              Tile.number("Consumer lag", "totals", "lagMs")
                  .format(Format.DURATION)
                  .warnAbove(500)
                  .criticalAbove(2000))
          .tile(
              Tile.table("Streams", "streams", "rate", "lag", "errors")
                  .labels(Map.of("lag", "Lag ms"))
                  .size(2, 2))
          .tile(Tile.events("Latest events", "events", "time", "stream", "message").size(2, 2))
          .tile(Tile.status("Ingest", "totals", "ingest"))
          .tile(Tile.number("Stored", "totals", "bytes").format(Format.BYTES))
          .tile(Tile.clock("London"))
          .tile(Tile.text("Notice", "Release at 17:00"));

  /** {@link #OPS} in a theme, named after it: {@code ops-light}. */
  static Screen themed(Theme theme) {
    String name = "ops-" + theme.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    return new Screen(name, OPS.title(), 0, OPS.locale(), theme, false, OPS.tiles());
  }

  /** Opens a screen of every widget, once each has its data. */
  static void open(Browser browser, String screen) {
    browser.driver.get(server.uri().resolve("/screens/" + screen).toString());
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                Boolean.TRUE.equals(
                    browser.js(
                        "const v = [...document.querySelectorAll('.tile .value')];"
                            + " return document.querySelectorAll('.tile').length === 10"
                            + " && v.length > 0 && v.every((e) => e.textContent && !e.textContent.startsWith('–'))"
                            + " && document.querySelectorAll('.tile canvas').length > 0"
                            + " && document.querySelectorAll('.tile td').length > 10;")));
  }

  @BeforeAll
  static void start() {
    hub =
        Hub.builder()
            .topic(Screens.topic())
            .source(
                Screens.of(
                    List.of(OPS, themed(Theme.LIGHT), themed(Theme.HIGH_CONTRAST)),
                    List.of(Playlist.of("lobby", "10s", "ops"))))
            .topic(Topic.of("totals", State.latest()))
            .topic(Topic.of("streams", State.keyed()))
            .topic(Topic.of("events", State.window(50)))
            .build();
    server = NettyServer.builder(hub).port(0).start();
    String[] streams = {"orders", "payments", "shipments", "users", "audit", "clicks", "mail"};
    for (int i = 0; i < streams.length; i++) {
      hub.publish(
          "streams",
          Map.of(streams[i], Map.of("rate", 10.5 * (i + 1), "lag", 40 * i, "errors", i % 3)));
    }
    long now = System.currentTimeMillis();
    for (int i = 0; i < 30; i++) {
      hub.publish(
          "events",
          Map.of(
              "time",
              now - (30 - i) * 7_000L,
              "stream",
              streams[i % streams.length],
              "message",
              i % 5 == 0 ? "schema change rejected" : "batch of " + (100 + i) + " rows"));
    }
    feed = Executors.newSingleThreadScheduledExecutor();
    long[] count = {1_000};
    feed.scheduleAtFixedRate(
        () -> {
          count[0] += 40 + (count[0] % 17);
          Map<String, Object> totals = new LinkedHashMap<>();
          totals.put("orders", Map.of("rate", 41.5 + count[0] % 7, "count", count[0]));
          totals.put("pool", 0.74);
          totals.put("lagMs", 850 + count[0] % 300);
          totals.put("ingest", "ok");
          totals.put("bytes", 123_456_789_012L);
          hub.publish("totals", totals);
        },
        0,
        200,
        TimeUnit.MILLISECONDS);
  }

  @AfterAll
  static void stop() {
    if (feed != null) {
      feed.shutdownNow();
    }
    if (server != null) {
      server.close();
    }
    if (hub != null) {
      hub.close();
    }
  }

  @ParameterizedTest(name = "{0}x{1}")
  @CsvSource({"1366, 768", "1920, 1080", "3840, 2160", "1080, 1920"})
  void everyWidgetIsLegibleAndNothingOverflowsAt(int width, int height) throws Exception {
    try (Browser browser = new Browser(width, height)) {
      open(browser, "ops");
      // The change over 15 minutes shows once a second of samples is in.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> String.valueOf(browser.text(".tile .line")).contains(" in "));
      Path shot = browser.screenshot("screen-" + width + "x" + height + ".png");
      if (width == 1920) { // a picture of each widget (its first tile), for the docs
        for (WebElement tile : browser.driver.findElements(By.cssSelector(".tile"))) {
          String widget = tile.findElement(By.cssSelector(".body")).getAttribute("class");
          Path picture =
              shot.resolveSibling("widget-" + widget.replace("body ", "").split(" ")[0] + ".png");
          if (!Files.exists(picture)) {
            Files.write(picture, tile.getScreenshotAs(OutputType.BYTES));
          }
        }
      }
      assertThat(Files.size(shot)).isPositive();
      assertThat(browser.text("#title")).isEqualTo("Data streams");
      assertThat(
              browser.js(
                  "return [...document.querySelectorAll('th')].map((t) => t.textContent).join('|')"))
          .isEqualTo("|rate|Lag ms|errors");
      assertThat(browser.legibilityProblems()).as("legibility at %dx%d", width, height).isEmpty();
      assertThat(browser.text("#connection")).isEqualTo("live");

      for (Theme theme : List.of(Theme.LIGHT, Theme.HIGH_CONTRAST)) {
        String name = themed(theme).name();
        open(browser, name);
        browser.screenshot(name + "-" + width + "x" + height + ".png");
        assertThat(browser.legibilityProblems())
            .as("legibility of %s at %dx%d", name, width, height)
            .isEmpty();
      }
    }
  }

  @Test
  void aPageWhoseStateWasChangedBehindItsBackHealsAtTheNextUpdate() throws Exception {
    try (Browser browser = new Browser(1366, 768)) {
      browser.driver.get(server.uri().resolve("/screens/ops").toString());
      await().until(() -> Boolean.TRUE.equals(browser.js("return typeof wsproducer === 'object'")));
      browser.js(
          "window.seen = null; window.mine = wsproducer.connect(null, {});"
              + " window.mine.subscribe('streams', function (v) { window.seen = v; });");
      String errors = "return window.seen && window.seen.orders ? window.seen.orders.errors : null";
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Long.valueOf(0).equals(browser.js(errors)));
      // A page script writes into the value it was given: the client's state is now wrong.
      browser.js("window.seen.orders.errors = 999;");
      hub.publish("streams", Map.of("mail", Map.of("rate", 73.5, "lag", 250, "errors", 0)));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  Long.valueOf(250).equals(browser.js("return window.seen.mail.lag"))
                      && Long.valueOf(0).equals(browser.js(errors)));
    }
  }

  @Test
  void aScreenPassesTheTokenOfItsAddressOnAndWithoutOneGetsNoData() throws Exception {
    String token = "lobby-screen-token-0123456789";
    try (Hub locked =
            Hub.builder()
                .topic(Screens.topic())
                .source(Screens.of(Screen.named("lobby").tile(Tile.number("N", "n", "v"))))
                .topic(Topic.of("n", State.latest()))
                .authenticator(io.github.wsproducer.TokenAuthenticator.of(Map.of("lobby", token)))
                .build();
        NettyServer lockedServer = NettyServer.builder(locked).port(0).start();
        Browser browser = new Browser(1366, 768)) {
      locked.publish("n", Map.of("v", 42));
      browser.driver.get(lockedServer.uri().resolve("/screens/lobby?token=" + token).toString());
      await().atMost(Duration.ofSeconds(10)).until(() -> "42".equals(browser.text(".value")));
      assertThat(browser.text("#connection")).isEqualTo("live");

      browser.driver.get(lockedServer.uri().resolve("/screens/lobby").toString());
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> String.valueOf(browser.text("#connection")).startsWith("server unreachable"));
      assertThat(browser.text("#tiles")).doesNotContain("42");
    }
  }

  @Test
  void aTilesAgeIsTheHubsTimeNotTheScreensOwn() throws Exception {
    ManualClock clock = new ManualClock(); // months from the browser's clock
    try (Hub timed =
            Hub.builder()
                .clock(clock)
                .topic(Screens.topic())
                .source(Screens.of(Screen.named("lobby").tile(Tile.number("N", "n", "v"))))
                .topic(Topic.of("n", State.latest()).withStaleAfter(Duration.ofSeconds(30)))
                .build();
        NettyServer timedServer = NettyServer.builder(timed).port(0).start();
        Browser browser = new Browser(1366, 768)) {
      timed.publish("n", Map.of("v", 42));
      browser.driver.get(timedServer.uri().resolve("/screens/lobby").toString());
      await().atMost(Duration.ofSeconds(10)).until(() -> "42".equals(browser.text(".value")));

      clock.advance(Duration.ofMinutes(10)); // stale on the hub's clock
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> String.valueOf(browser.text(".tile .badge")).startsWith("data "));
      clock.advance(Duration.ofSeconds(20)); // a quiet connection: a ping tells the hub's time
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> assertThat(browser.text(".tile .badge")).isEqualTo("data 10 min old"));
    }
  }

  @Test
  void aChartShowsItsHistoryAtFirstPaintAfterAReloadAndAfterARestart() throws Exception {
    Path data = Files.createTempDirectory("history");
    ManualClock clock = new ManualClock();
    Screen load = Screen.named("load").tile(Tile.timeSeries("Load", "load", "v").span("10m"));
    java.util.function.Supplier<Hub> hub =
        () ->
            Hub.builder()
                .clock(clock)
                .topic(Screens.topic())
                .source(Screens.of(load))
                .topic(Topic.of("load", State.latest()))
                .history(io.github.wsproducer.history.DiskHistory.open(data))
                .build();
    String points = "return document.querySelector('.chart').dataset.points || '0'";
    try (Browser browser = new Browser(1366, 768)) {
      try (Hub first = hub.get();
          NettyServer firstServer = NettyServer.builder(first).port(0).start()) {
        for (int i = 0; i < 120; i++) { // two minutes, one a second
          clock.advance(Duration.ofSeconds(1));
          long before = first.stats().updates();
          first.publish("load", Map.of("v", i % 10));
          await()
              .pollDelay(Duration.ZERO)
              .pollInterval(Duration.ofMillis(1))
              .until(() -> first.stats().updates() > before);
        }
        browser.driver.get(firstServer.uri().resolve("/screens/load").toString());
        await().atMost(Duration.ofSeconds(10)).until(() -> "120".equals(browser.js(points)));
        browser.driver.navigate().refresh();
        await().atMost(Duration.ofSeconds(10)).until(() -> "120".equals(browser.js(points)));
        browser.screenshot("chart-with-history.png");
      }
      try (Hub second = hub.get();
          NettyServer secondServer = NettyServer.builder(second).port(0).start()) {
        browser.driver.get(secondServer.uri().resolve("/screens/load").toString());
        await().atMost(Duration.ofSeconds(10)).until(() -> "120".equals(browser.js(points)));
      }
    }
  }

  @Test
  void aScreenShowsAPastMomentAndReplaysFromOneThenGoesLive() throws Exception {
    ManualClock clock = new ManualClock();
    try (Hub past =
            Hub.builder()
                .clock(clock)
                .topic(Screens.topic())
                .source(Screens.of(Screen.named("lobby").tile(Tile.number("N", "n", "v"))))
                .topic(Topic.of("n", State.latest()))
                .build();
        NettyServer pastServer = NettyServer.builder(past).port(0).start();
        Browser browser = new Browser(1366, 768)) {
      java.time.Instant[] times = new java.time.Instant[3];
      for (int v = 1; v <= 3; v++) { // 1, 2 and 3, two minutes apart
        clock.advance(Duration.ofMinutes(2));
        long before = past.stats().updates();
        past.publish("n", Map.of("v", v));
        await().until(() -> past.stats().updates() > before);
        times[v - 1] = clock.instant();
      }
      String lobby = pastServer.uri().resolve("/screens/lobby").toString();
      browser.driver.get(lobby + "?at=" + times[1].plusSeconds(30));
      await().atMost(Duration.ofSeconds(10)).until(() -> "2".equals(browser.text(".value")));
      assertThat(browser.text("#connection")).startsWith("as at ").endsWith("not live");
      browser.screenshot("screen-as-at.png");
      browser.driver.get(lobby + "?at=yesterday");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  String.valueOf(browser.text(".message"))
                      .startsWith("“yesterday” is not a time."));
      assertThat(browser.driver.findElements(By.cssSelector(".tile"))).as("no tiles").isEmpty();

      // Four minutes at 60 times their pace: 1, 2 s later 2, 2 s later 3, then live again.
      browser.driver.get(lobby + "?from=" + times[0].toEpochMilli() + "&speed=60");
      await().atMost(Duration.ofSeconds(10)).until(() -> "1".equals(browser.text(".value")));
      assertThat(browser.text("#connection")).startsWith("replay ×60");
      await().atMost(Duration.ofSeconds(10)).until(() -> "2".equals(browser.text(".value")));
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  "live".equals(browser.text("#connection"))
                      && "3".equals(browser.text(".value"))
                      && !browser.driver.getCurrentUrl().contains("from="));
    }
  }

  static final String WALL =
      """
      screens:
        - name: wall
          title: Before
          tiles:
            - widget: text
              text: Hello
        - name: other
          title: Other screen
          tiles:
            - widget: clock
      playlists:
        - name: lobby
          screens: [wall, other]
          every: 5s
      """;

  @Test
  void anEditReachesTheOpenScreenABadOneChangesNothingAndPlaylistsRotate() throws Exception {
    Path dir = Files.createTempDirectory("screens");
    Path file = Files.writeString(dir.resolve("screens.yaml"), WALL);
    try (Hub wallHub = Hub.builder().topic(Screens.topic()).source(Screens.watch(file)).build();
        NettyServer wallServer = NettyServer.builder(wallHub).port(0).start();
        Browser browser = new Browser(1366, 768)) {
      browser.driver.get(wallServer.uri().resolve("/screens/wall").toString());
      await().atMost(Duration.ofSeconds(10)).until(() -> "Before".equals(browser.text("#title")));

      browser.js("window.beforeTheEdit = true");
      ScreensTest.edit(file, WALL.replace("title: Before", "title: After"));
      // The page shows the edit, and reloads within a few seconds to start afresh with it.
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  browser.js("return window.beforeTheEdit === undefined").equals(true)
                      && "After".equals(browser.text("#title")));

      ScreensTest.edit(file, WALL.replace("widget: text", "widget: txet"));
      // A bad edit: the screen says what is wrong, where, in a corner until it is fixed, and
      // keeps what it shows.
      await().atMost(Duration.ofSeconds(10)).until(() -> browser.text("#problem") != null);
      assertThat(browser.text("#problem"))
          .startsWith("Not applied: " + file + ", line 5: \"txet\" is not one of");
      assertThat(browser.text("#title")).isEqualTo("After");
      assertThat(browser.text(".value")).isEqualTo("Hello");

      browser.driver.get(wallServer.uri().resolve("/screens/nope").toString());
      assertThat(browser.text("h1")).isEqualTo("No screen named “nope”");
      assertThat(browser.text("ul")).isEqualTo("wallotherlobby");

      browser.driver.get(wallServer.uri().resolve("/screens/lobby").toString());
      await().atMost(Duration.ofSeconds(10)).until(() -> "After".equals(browser.text("#title")));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> "Other screen".equals(browser.text("#title")));

      browser.driver.get(wallServer.uri().resolve("/screens").toString());
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> String.valueOf(browser.text("#list")).contains("/screens/lobby"));
      assertThat(browser.text("#problem")).contains("\"txet\" is not one of");
      browser.screenshot("screens-listing.png");
      assertThat(browser.legibilityProblems()).isEmpty();
    }
  }

  @Test
  void anAlarmShowsInWordsFlashesChimesJumpsThePlaylistAndStopsWhenAcknowledged() throws Exception {
    Screen calm = Screen.named("calm").title("Calm").tile(Tile.alarms("Alarms now"));
    Screen payments =
        Screen.named("payments")
            .title("Payments")
            .sound(true)
            .tile(
                Tile.number("Lag", "pay", "lag")
                    .warnAbove(500)
                    .criticalAbove(2000)
                    .clearAfter("1s"))
            .tile(Tile.number("Rate", "pay", "rate"));
    Playlist lobby = Playlist.of("lobby", "5s", "calm", "payments").jump(Playlist.Jump.UNTIL_ACKED);
    try (Hub alarmed =
            Hub.builder()
                .topic(Screens.topic())
                .source(
                    Screens.of(List.of(calm, payments), List.of(lobby))
                        .withFleet(
                            io.github.wsproducer.TokenAuthenticator.of(
                                Map.of("ops", ScreensFleetIT.OPERATOR))))
                .topic(Topic.of("pay", State.latest()))
                .build();
        NettyServer alarmedServer = NettyServer.builder(alarmed).port(0).start();
        Browser wall = new Browser(1920, 1080);
        Browser lobbyScreen = new Browser(1366, 768)) {
      alarmed.publish("pay", Map.of("lag", 100, "rate", 5));
      wall.driver.get(alarmedServer.uri().resolve("/screens/payments").toString());
      lobbyScreen.driver.get(alarmedServer.uri().resolve("/screens/lobby").toString());
      await().atMost(Duration.ofSeconds(10)).until(() -> "100".equals(wall.text(".value")));
      await().atMost(Duration.ofSeconds(10)).until(() -> "Calm".equals(lobbyScreen.text("#title")));

      alarmed.publish("pay", Map.of("lag", 2500, "rate", 5));
      String flag = "return document.querySelector('.tile .flag').textContent";
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> String.valueOf(wall.js(flag)).startsWith("✖ ALARM · for "));
      String classes = "return document.querySelector('.tile').className";
      assertThat((String) wall.js(classes)).contains("alarm-critical", "flash");
      assertThat(wall.text(".tile:nth-child(2) .flag")).as("the other tile").isEmpty();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> wall.js("return document.body.dataset.chimes").equals("1"));
      // For how long, ticking.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> String.valueOf(wall.js(flag)).matches("✖ ALARM · for [3-9] s"));
      wall.screenshot("alarm-1920x1080.png");
      assertThat(wall.legibilityProblems()).isEmpty();
      // At its brightest the flash leaves the text legible: it is started again and held there.
      String peak =
          "const t = document.querySelector('.tile');"
              + "t.classList.remove('flash'); void t.offsetWidth; t.classList.add('flash');"
              + "const a = t.getAnimations(); a.forEach(x => { x.pause(); x.currentTime = 500; });"
              + "return a.length + ' ' + getComputedStyle(t).boxShadow";
      String held = String.valueOf(wall.js(peak));
      wall.screenshot("alarm-flash-1920x1080.png");
      assertThat(wall.legibilityProblems()).as("at the flash's peak").isEmpty();
      assertThat(held)
          .as("the animations held, and the ring's colour")
          .startsWith("1 rgb(255, 93, 93)");
      wall.js("document.querySelector('.tile').getAnimations().forEach(x => x.play())");

      // The playlist jumps to it, saying why, and the alarms tile of the calm screen lists it.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> "Payments".equals(lobbyScreen.text("#title")));
      assertThat(lobbyScreen.text("#reason")).isEqualTo("showing Payments: Lag alarm");
      lobbyScreen.screenshot("playlist-jump-1366x768.png");

      // An operator acknowledges it on the fleet page.
      try (Browser desk = new Browser(1366, 768)) {
        desk.driver.get(alarmedServer.uri().resolve(Screens.FLEET_PAGE).toString());
        desk.driver.findElement(By.id("token")).sendKeys(ScreensFleetIT.OPERATOR);
        desk.driver.findElement(By.cssSelector("#login button")).click();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> String.valueOf(desk.text("#alarms tbody")).contains("ALARMpaymentsLag"));
        desk.screenshot("fleet-alarm.png");
        desk.driver.findElement(By.cssSelector("#alarms tbody button")).click();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> String.valueOf(desk.text("#alarms tbody")).contains("ops, "));
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> String.valueOf(wall.js(flag)).endsWith("· ✓ ops"));
      assertThat((String) wall.js(classes)).contains("alarm-critical").doesNotContain("flash");
      wall.screenshot("alarm-acknowledged-1920x1080.png");

      // Acknowledged: the playlist resumes where it was, and a reload keeps its place.
      await().atMost(Duration.ofSeconds(10)).until(() -> "Calm".equals(lobbyScreen.text("#title")));
      assertThat(lobbyScreen.js("return document.getElementById('reason').hidden")).isEqualTo(true);
      assertThat(lobbyScreen.text(".tile td")).isEqualTo("✖ ALARM");
      assertThat(lobbyScreen.text("#tiles")).contains("Payments · Lag", "✓ ops");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> "Payments".equals(lobbyScreen.text("#title")));
      lobbyScreen.driver.navigate().refresh();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> "Payments".equals(lobbyScreen.text("#title")));
      assertThat(lobbyScreen.text(".tile .flag")).startsWith("✖ ALARM · for ");

      // Cleared: no flag, no alarm in the list.
      alarmed.publish("pay", Map.of("lag", 100, "rate", 5));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !String.valueOf(wall.js(classes)).contains("alarm"));
    }
  }

  @Test
  void relativeTimesTickEverySecondAlsoWhileTheServerIsGone() throws Exception {
    Hub quiet =
        Hub.builder()
            .topic(Screens.topic())
            .source(
                Screens.of(
                    Screen.named("log")
                        .tile(Tile.events("Log", "log", "time", "what"))
                        .tile(Tile.timeSeries("Errors per second", "n", "v"))
                        .tile(Tile.number("N", "n", "v"))
                        .tile(Tile.status("Orders", "lag", "orders.status"))))
            .topic(Topic.of("log", State.window(10)))
            .topic(Topic.of("n", State.latest()))
            .topic(Topic.of("lag", State.keyed()))
            .build();
    NettyServer quietServer = NettyServer.builder(quiet).port(0).start();
    try (Browser browser = new Browser(1366, 768)) {
      quiet.publish("log", Map.of("time", System.currentTimeMillis(), "what", "deployed"));
      browser.driver.get(quietServer.uri().resolve("/screens/log").toString());
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> "deployed".equals(browser.text("td + td")));
      java.util.function.Supplier<Integer> seconds =
          () -> {
            var ago =
                java.util.regex.Pattern.compile("(\\d+) sec\\. ago").matcher(browser.text("td"));
            return ago.matches() ? Integer.parseInt(ago.group(1)) : -1;
          };
      for (int v = 1; v <= 3; v++) { // a chart needs two points
        int shown = v;
        quiet.publish("n", Map.of("v", v));
        await().until(() -> String.valueOf(shown).equals(browser.text(".number .value")));
      }
      // A topic with no data and a long error: the status says nothing, the badge wraps.
      quiet.reportError("lag", "start the sample with --kafka HOST:PORT to see consumer lag");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> String.valueOf(browser.text(".status .value")).equals("–"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> String.valueOf(browser.text("[data-topic=lag] .badge")).startsWith("start"));
      assertThat(browser.js("return document.querySelector('[data-topic=lag]').className"))
          .isEqualTo("tile");
      assertThat(browser.legibilityProblems()).isEmpty();
      // No update comes: the row ages by itself.
      await().atMost(Duration.ofSeconds(10)).until(() -> seconds.get() >= 3);
      quietServer.close();
      quiet.close();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> String.valueOf(browser.text("#connection")).startsWith("server unreachable"));
      int gone = seconds.get();
      await().atMost(Duration.ofSeconds(10)).until(() -> seconds.get() >= gone + 2);
      // A badge on every tile: the chart below one shrinks with its box.
      assertThat(browser.legibilityProblems()).as("with a badge on every tile").isEmpty();
    } finally {
      quietServer.close();
      quiet.close();
    }
  }
}
