package io.github.wsproducer.screens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.wsproducer.Hub;
import io.github.wsproducer.State;
import io.github.wsproducer.TokenAuthenticator;
import io.github.wsproducer.Topic;
import io.github.wsproducer.netty.NettyServer;
import io.github.wsproducer.testkit.Browser;
import io.github.wsproducer.testkit.ManualClock;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fleet with real screens in headless Chromium: they report themselves, reload when asked, all
 * or one, and after a layout change, resume where the hub is, and show their name when asked; the
 * operators' endpoints refuse whoever is not one.
 */
class ScreensFleetIT {
  static final String OPERATOR = "operator-token-0123456789";
  static final String LAYOUT =
      """
      screens:
        - name: wall
          title: Wall
          tiles:
            - widget: number
              title: N
              topic: n
              path: v
      """;

  record Answer(int status, String body, String header) {}

  /** A hub of {@link #LAYOUT}'s screens with their fleet, run by {@link #OPERATOR}. */
  static Hub.Builder withFleet() {
    return Hub.builder()
        .topic(Screens.topic())
        .source(
            Screens.parse(LAYOUT, "test").withFleet(TokenAuthenticator.of(Map.of("ops", OPERATOR))))
        .topic(Topic.of("n", State.latest()));
  }

  /** A hub of the screens in {@code file}, watched, with their fleet run by {@link #OPERATOR}. */
  static Hub.Builder watchedWithFleet(Path file) {
    return Hub.builder()
        .topic(Screens.topic())
        .source(Screens.watch(file).withFleet(TokenAuthenticator.of(Map.of("ops", OPERATOR))))
        .topic(Topic.of("n", State.latest()));
  }

  /** A request to {@code path}; {@code headers} in pairs; returns the body and one header. */
  static Answer call(NettyServer server, String method, String path, String... headers)
      throws Exception {
    HttpURLConnection http =
        (HttpURLConnection) server.uri().resolve(path).toURL().openConnection();
    http.setRequestMethod(method);
    for (int i = 0; i < headers.length; i += 2) {
      http.setRequestProperty(headers[i], headers[i + 1]);
    }
    if (method.equals("POST")) {
      http.setDoOutput(true);
      try (OutputStream out = http.getOutputStream()) {
        out.write(new byte[0]);
      }
    }
    int status = http.getResponseCode();
    try (InputStream in = status < 400 ? http.getInputStream() : http.getErrorStream()) {
      String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new Answer(status, body, http.getHeaderField("WWW-Authenticate"));
    }
  }

  static Answer operator(NettyServer server, String method, String path) throws Exception {
    return call(server, method, path, "Authorization", "Bearer " + OPERATOR);
  }

  /** The fleet's screens by name. */
  static Map<String, JsonNode> fleet(NettyServer server) throws Exception {
    Answer answer = operator(server, "GET", "/fleet");
    assertThat(answer.status()).isEqualTo(200);
    Map<String, JsonNode> byName = new HashMap<>();
    for (JsonNode screen : JsonMapper.builder().build().readTree(answer.body())) {
      byName.put(screen.path("name").asString(), screen);
    }
    return byName;
  }

  static long loads(NettyServer server, String name) throws Exception {
    JsonNode screen = fleet(server).get(name);
    return screen == null ? 0 : screen.path("loads").asLong();
  }

  static long seq(NettyServer server, String name) throws Exception {
    JsonNode screen = fleet(server).get(name);
    return screen == null ? -1 : screen.path("seqs").path("n").asLong(-1);
  }

  @Test
  void screensReportThemselvesAndReloadOrIdentifyWhenAskedOrWhenTheLayoutChanges()
      throws Exception {
    Path file = Files.writeString(Files.createTempDirectory("fleet").resolve("s.yaml"), LAYOUT);
    try (Hub hub = watchedWithFleet(file).build();
        NettyServer server = NettyServer.builder(hub).port(0).start();
        Browser lobby = new Browser(1366, 768);
        Browser kitchen = new Browser(1080, 1920)) {
      for (int v = 1; v <= 5; v++) {
        hub.publish("n", Map.of("v", v));
      }
      lobby.driver.get(server.uri().resolve("/screens/wall?screen=lobby").toString());
      kitchen.driver.get(server.uri().resolve("/screens/wall?screen=kitchen").toString());
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> seq(server, "lobby") > 0 && seq(server, "kitchen") > 0);
      Map<String, JsonNode> screens = fleet(server);
      assertThat(screens).containsOnlyKeys("lobby", "kitchen");
      JsonNode first = screens.get("lobby");
      assertThat(first.path("id").asString()).matches("[0-9a-f]{16}");
      assertThat(first.path("screen").asString()).isEqualTo("wall");
      assertThat(first.path("online").asBoolean()).isTrue();
      assertThat(first.path("state").asString()).isEqualTo("open");
      assertThat(first.path("current").asBoolean()).as("runs the kit served now").isTrue();
      assertThat(first.path("viewport").path("width").asInt()).isEqualTo(1366);
      assertThat(screens.get("kitchen").path("viewport").path("height").asInt()).isEqualTo(1920);
      assertThat(first.path("loads").asLong()).isEqualTo(1);
      long seq = seq(server, "lobby");

      // Reload all: both load again and resume at the hub's latest value, published meanwhile.
      assertThat(operator(server, "POST", "/fleet/reload").status()).isEqualTo(202);
      hub.publish("n", Map.of("v", 6));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> loads(server, "lobby") == 2 && loads(server, "kitchen") == 2);
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> seq(server, "lobby") == seq + 1 && seq(server, "kitchen") == seq + 1);
      await().atMost(Duration.ofSeconds(5)).until(() -> "6".equals(lobby.text(".value")));

      // Identify one: its name, large, on that screen only.
      String lobbyId = fleet(server).get("lobby").path("id").asString();
      assertThat(operator(server, "POST", "/fleet/" + lobbyId + "/identify").status())
          .isEqualTo(202);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> String.valueOf(lobby.text(".identify")).startsWith("lobby"));
      lobby.screenshot("fleet-identify.png");
      assertThat(kitchen.text(".identify")).isNull();

      // Reload one: only that one.
      assertThat(operator(server, "POST", "/fleet/" + lobbyId + "/reload").status()).isEqualTo(202);
      await().atMost(Duration.ofSeconds(20)).until(() -> loads(server, "lobby") == 3);
      assertThat(loads(server, "kitchen")).isEqualTo(2);

      // A new layout: every screen showing it reloads by itself.
      ScreensTest.edit(file, LAYOUT.replace("title: Wall", "title: Wall, new"));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> loads(server, "lobby") == 4 && loads(server, "kitchen") == 3);
      assertThat(lobby.text("#title")).isEqualTo("Wall, new");

      // A deploy: the server publishes another kit version; the pages reload to get it.
      lobby.js("window.beforeTheDeploy = true");
      tools.jackson.databind.node.ObjectNode deployed =
          (tools.jackson.databind.node.ObjectNode)
              Screens.parse(LAYOUT.replace("title: Wall", "title: Wall, new"), "test").current();
      deployed.put("kit", "\"next-deploy\"").put("reloadSpread", 500);
      hub.publish(Screens.TOPIC, deployed);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> lobby.js("return window.beforeTheDeploy === undefined").equals(true));
      ScreensTest.edit(file, LAYOUT.replace("title: Wall", "title: Wall, new").concat("\n"));

      // The operators' page lists both.
      try (Browser desk = new Browser(1366, 768)) {
        desk.driver.get(server.uri().resolve(Screens.FLEET_PAGE).toString());
        desk.driver.findElement(By.id("token")).sendKeys(OPERATOR);
        desk.driver.findElement(By.cssSelector("#login button")).click();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> String.valueOf(desk.text("#summary")).equals("2 of 2 online"));
        // The edit republishes the kit served now, and the pages reload to it within the spread.
        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () ->
                    assertThat(desk.text("#fleet tbody"))
                        .contains("lobby", "kitchen", "current")
                        .doesNotContain("older"));
        assertThat(desk.js("return document.querySelector('#alarms table').hidden"))
            .as("no alarms: the word None, without an empty table's headings")
            .isEqualTo(true);
        assertThat(desk.text("#no-alarms")).isEqualTo("None.");
        desk.screenshot("fleet-page.png");
      }
    }
  }

  @Test
  void theFleetAnswersOnlyOperatorsAndScreensAndIsOffUnlessConfigured() throws Exception {
    String screenToken = "screen-token-0123456789";
    try (Hub hub =
            withFleet().authenticator(TokenAuthenticator.of(Map.of("wall", screenToken))).build();
        NettyServer server = NettyServer.builder(hub).port(0).start()) {
      Answer none = call(server, "GET", "/fleet");
      assertThat(none.status()).isEqualTo(401);
      assertThat(none.header()).isEqualTo("Bearer");
      assertThat(call(server, "GET", "/fleet?token=" + OPERATOR).status()).isEqualTo(401);
      assertThat(call(server, "GET", "/fleet", "Authorization", "Bearer " + screenToken).status())
          .as("a screen's token is no operator's")
          .isEqualTo(401);
      assertThat(call(server, "POST", "/fleet/reload").status()).isEqualTo(401);
      // (A foreign origin gets 403 before any route: the transport kit checks it on the push API.)
      assertThat(operator(server, "GET", "/fleet/reload").status()).isEqualTo(405);
      Answer unknown = operator(server, "POST", "/fleet/0123456789abcdef/reload");
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(unknown.body()).contains("no screen 0123456789abcdef has reported");
      assertThat(operator(server, "POST", "/fleet/x/y/z").status()).isEqualTo(404);
      assertThat(call(server, "GET", Screens.FLEET_PAGE).body())
          .as("the operators' page holds no data, only its script")
          .contains("src=\"wsproducer/screens/fleet.js\"");

      // A report needs the screens' credential, and a report that reads.
      assertThat(report(server, "{\"id\":\"0123456789abcdef\"}").status()).isEqualTo(401);
      assertThat(report(server, "{\"id\":\"0123456789abcdef\"}", screenToken).status())
          .isEqualTo(202);
      assertThat(report(server, "{\"id\":\"x\"}", screenToken).body()).contains("id must match");
      assertThat(report(server, "{\"id\":", screenToken).body())
          .contains("malformed JSON at line 1")
          .doesNotContain("Source:");
      assertThat(fleet(server)).hasSize(1);
    }
    try (Hub hub =
            Hub.builder()
                .topic(Screens.topic())
                .source(Screens.parse(LAYOUT, "test"))
                .topic(Topic.of("n", State.latest()))
                .build();
        NettyServer server = NettyServer.builder(hub).port(0).start()) {
      assertThat(operator(server, "GET", "/fleet").status()).isEqualTo(404);
      assertThat(report(server, "{\"id\":\"0123456789abcdef\"}").status()).isEqualTo(405);
    }
  }

  @Test
  void theFleetTellsTimeByTheHubsClock() throws Exception {
    ManualClock clock = new ManualClock();
    try (Hub hub = withFleet().clock(clock).build();
        NettyServer server = NettyServer.builder(hub).port(0).start()) {
      assertThat(report(server, "{\"id\":\"0123456789abcdef\",\"name\":\"lobby\"}").status())
          .isEqualTo(202);
      JsonNode seen = fleet(server).get("lobby");
      assertThat(seen.path("lastSeen").asString()).isEqualTo(clock.instant().toString());
      assertThat(seen.path("online").asBoolean()).isTrue();

      clock.advance(Duration.ofMillis(Fleet.OFFLINE_MILLIS));
      assertThat(fleet(server).get("lobby").path("online").asBoolean())
          .as("offline once the hub's clock has moved past the report's")
          .isFalse();
      assertThat(operator(server, "POST", "/fleet/reload").body()).contains("\"online\":0");
    }
  }

  static Answer report(NettyServer server, String json, String... token) throws Exception {
    HttpURLConnection http =
        (HttpURLConnection) server.uri().resolve("/fleet/report").toURL().openConnection();
    http.setRequestMethod("POST");
    http.setRequestProperty("Content-Type", "application/json");
    if (token.length > 0) {
      http.setRequestProperty("Authorization", "Bearer " + token[0]);
    }
    http.setDoOutput(true);
    try (OutputStream out = http.getOutputStream()) {
      out.write(json.getBytes(StandardCharsets.UTF_8));
    }
    int status = http.getResponseCode();
    try (InputStream in = status < 400 ? http.getInputStream() : http.getErrorStream()) {
      return new Answer(
          status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8), null);
    }
  }

  @Test
  void aReportFloodFromOneAddressGets429AndWhatIsKeptStaysBounded() throws Exception {
    try (Hub hub = withFleet().build();
        NettyServer server = NettyServer.builder(hub).port(0).start()) {
      Map<Integer, Integer> answers = new java.util.TreeMap<>();
      for (int i = 0; i < 260; i++) {
        // 63 KB each, as an attacker sends: 200 topics with names of 100 characters, twice
        StringBuilder json = new StringBuilder("{\"id\":\"screen-" + (10_000_000 + i) + "\"");
        json.append(",\"name\":\"s").append(i).append("\",\"seqs\":{");
        int topics = i < 150 ? 10 : 200; // the first a real screen's, the rest huge
        for (int t = 0; t < topics; t++) {
          json.append(t == 0 ? "" : ",").append("\"").append("t".repeat(90)).append(t);
          json.append("\":").append(t);
        }
        json.append("},\"stale\":[");
        for (int t = 0; t < topics; t++) {
          json.append(t == 0 ? "" : ",").append("\"").append("s".repeat(100)).append("\"");
        }
        json.append("]}");
        answers.merge(report(server, json.toString()).status(), 1, Integer::sum);
      }
      assertThat(answers)
          .as("150 kept, 50 too large once trimmed, then 429 for the address")
          .containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(202, 150, 400, 50, 429, 60)));
      Map<String, JsonNode> screens = fleet(server);
      assertThat(screens).hasSize(150);
      for (JsonNode screen : screens.values()) {
        assertThat(screen.toString().length())
            .as("a screen as listed: its kept report and the listing's few fields")
            .isLessThan(Fleet.MAX_REPORT_BYTES + 200);
      }
    }
  }

  @Test
  void aMistakeInTheFileShowsOnTheFleetPageUntilFixed() throws Exception {
    Path file = Files.writeString(Files.createTempDirectory("fleet").resolve("s.yaml"), LAYOUT);
    try (Hub hub = watchedWithFleet(file).build();
        NettyServer server = NettyServer.builder(hub).port(0).start()) {
      assertThat(operator(server, "GET", "/fleet/problems").body()).isEqualTo("{\"problems\":[]}");
      assertThat(call(server, "GET", "/fleet/problems").status()).isEqualTo(401);
      assertThat(operator(server, "POST", "/fleet/problems").status()).isEqualTo(405);

      ScreensTest.edit(file, LAYOUT.replace("path: v", "pth: v"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> operator(server, "GET", "/fleet/problems").body().contains("line 8"));
      assertThat(operator(server, "GET", "/fleet/problems").body())
          .contains(file.toString(), "unknown key \\\"pth\\\"");

      ScreensTest.edit(file, LAYOUT);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> operator(server, "GET", "/fleet/problems").body().equals("{\"problems\":[]}"));
    }
  }
}
