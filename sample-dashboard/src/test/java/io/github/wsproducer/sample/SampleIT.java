package io.github.wsproducer.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wsproducer.testkit.Services;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class SampleIT {
  private static final Path JAR = Path.of("target", "sample-dashboard.jar");
  private static final Pattern LISTENING =
      Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/");

  private static WebSocketClient client;

  @BeforeAll
  static void startClient() throws Exception {
    client = new WebSocketClient();
    client.start();
  }

  @AfterAll
  static void stopClient() throws Exception {
    client.stop();
  }

  private static Process launch(String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java, "-jar", JAR.toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).start();
  }

  /** Stops samples with SIGTERM, as Ctrl-C would, and waits for them to exit. */
  private static void stop(Process... samples) throws InterruptedException {
    for (Process p : samples) {
      p.destroy();
    }
    for (Process p : samples) {
      p.waitFor(15, TimeUnit.SECONDS);
    }
  }

  /** Reads stdout lines until the listening line, and returns the port. */
  private static int awaitListening(Process process) throws Exception {
    return awaitListening(process, new java.util.ArrayList<>());
  }

  /** The same, keeping the lines read in {@code lines}. */
  private static int awaitListening(Process process, List<String> lines) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Integer> port =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                for (String line; (line = out.readLine()) != null; ) {
                  lines.add(line);
                  Matcher m = LISTENING.matcher(line);
                  if (m.matches()) {
                    return Integer.parseInt(m.group(1));
                  }
                }
                throw new IllegalStateException("the sample exited without listening");
              } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
              }
            });
    return port.get(30, TimeUnit.SECONDS);
  }

  private static Recorder connect(int port, String path, String origin) throws Exception {
    return connect(port, path, origin, null);
  }

  private static Recorder connect(int port, String path, String origin, String subprotocol)
      throws Exception {
    Recorder recorder = new Recorder();
    ClientUpgradeRequest request =
        new ClientUpgradeRequest(URI.create("ws://127.0.0.1:" + port + path));
    if (origin != null) {
      request.setHeader("Origin", origin);
    }
    if (subprotocol != null) {
      request.setSubProtocols(subprotocol);
    }
    try {
      recorder.session = client.connect(recorder, request).get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
    return recorder;
  }

  /**
   * The data-stream topics are live: the hello lists them (and the notes and the screens' topics),
   * the snapshot of {@code streams} has every pipeline, and the simulator's batches arrive as
   * updates of all three.
   */
  private static void assertDataStreamTopicsAreLive(int port) throws Exception {
    Recorder screen = connect(port, "/", null, "wsproducer.v1");
    JsonNode hello = screen.next();
    assertThat(hello.path("topics").findValuesAsString("name"))
        .containsExactly(
            "random",
            "notes",
            "wsproducer.screens",
            "streams",
            "totals",
            "events",
            "kafka-lag",
            "wsproducer.alarms");
    for (String topic : List.of("streams", "totals", "events")) {
      screen.send("{\"type\":\"subscribe\",\"topic\":\"" + topic + "\"}");
    }
    java.util.Map<String, Integer> updates = new java.util.HashMap<>();
    while (updates.size() < 3) {
      JsonNode message = screen.next();
      String topic = message.path("topic").asString();
      if (message.path("type").asString().equals("snapshot") && topic.equals("streams")) {
        assertThat(message.path("data").propertyNames())
            .containsExactlyInAnyOrder("orders", "payments", "clicks");
      }
      if (message.path("type").asString().equals("update")) {
        updates.merge(topic, 1, Integer::sum);
      }
    }
  }

  @Test
  void theEmbeddedDatabaseFeedsThreeTopics() throws Exception {
    Process sample = launch("--port", "0", "--host", "127.0.0.1");
    try {
      assertDataStreamTopicsAreLive(awaitListening(sample));
    } finally {
      stop(sample);
    }
  }

  @Test
  void withDataAPushedNoteSurvivesKillMinus9() throws Exception {
    Path dir = java.nio.file.Files.createTempDirectory("sample-data");
    String admin = "admin-token-0123456789";
    Path adminFile = java.nio.file.Files.writeString(dir.resolve("admin"), admin + "\n");
    String[] flags = {
      "--port",
      "0",
      "--host",
      "127.0.0.1",
      "--admin-token-file",
      adminFile.toString(),
      "--data",
      dir.resolve("data").toString()
    };
    Process first = launch(flags);
    try {
      int port = awaitListening(first);
      java.net.http.HttpResponse<String> pushed =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + port + "/topics/notes"))
                      .header("Authorization", "Bearer " + admin)
                      .POST(
                          java.net.http.HttpRequest.BodyPublishers.ofString(
                              "{\"text\":\"Deploy at 17:00\"}"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(pushed.statusCode()).isEqualTo(202);
    } finally {
      first.destroyForcibly(); // kill -9, right after the 202
      first.waitFor(15, TimeUnit.SECONDS);
    }
    Process second = launch(flags);
    try {
      Recorder notes = connect(awaitListening(second), "/notes", null);
      assertThat(notes.next().path("text").asString()).isEqualTo("Deploy at 17:00");
    } finally {
      stop(second);
    }
  }

  @Test
  void aWallRecordedThroughTheExportPlaysFromItsRecordingsWithoutADatabase() throws Exception {
    Path recordings = java.nio.file.Files.createTempDirectory("recordings");
    List<JsonNode> recorded = new java.util.ArrayList<>();
    Process live = launch("--port", "0", "--host", "127.0.0.1");
    try {
      int port = awaitListening(live);
      assertDataStreamTopicsAreLive(port); // a few batches of the simulation are in
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      for (String topic : List.of("streams", "totals", "events")) {
        java.net.http.HttpResponse<java.nio.file.Path> saved =
            http.send(
                java.net.http.HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/topics/" + topic + "/history"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofFile(
                    recordings.resolve(topic + ".ndjson")));
        assertThat(saved.statusCode()).isEqualTo(200);
      }
      for (String line : java.nio.file.Files.readAllLines(recordings.resolve("totals.ndjson"))) {
        recorded.add(tools.jackson.databind.json.JsonMapper.builder().build().readTree(line));
      }
    } finally {
      stop(live);
    }
    assertThat(recorded).hasSizeGreaterThanOrEqualTo(2);

    Process replay =
        launch("--port", "0", "--host", "127.0.0.1", "--replay", recordings.toString());
    try {
      Recorder totals = connect(awaitListening(replay), "/totals", null);
      List<JsonNode> values = recorded.stream().map(u -> u.path("data")).toList();
      int at = values.indexOf(totals.next()); // the value playing when the client came
      assertThat(at).as("a recorded value").isNotNegative();
      for (JsonNode next : values.subList(at + 1, values.size())) { // then the rest, in order
        assertThat(totals.next()).isEqualTo(next);
      }
    } finally {
      stop(replay);
    }
  }

  @Test
  void postgresqlFeedsTheSameTopicsAndGetsItsSchemaCreated() throws Exception {
    String url = Services.postgresUrl();
    Process sample =
        launch("--port", "0", "--host", "127.0.0.1", "--jdbc-url", url, "--jdbc-user", "postgres");
    try {
      assertDataStreamTopicsAreLive(awaitListening(sample));
    } finally {
      stop(sample);
    }
  }

  @Test
  void anUnreachableDatabaseAtStartIsAClearMessage() throws Exception {
    Process sample = launch("--port", "0", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/test");
    assertThat(sample.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(sample.exitValue()).isEqualTo(1);
    String err = new String(sample.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(err)
        .contains("error: cannot use the database at jdbc:postgresql://127.0.0.1:1/test:")
        .doesNotContain("\tat ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"jetty", "netty"})
  void theJarServesThePageAndTheCounterToTheOriginalPageOpenedFromDisk(String transport)
      throws Exception {
    Process sample = launch("--port", "0", "--host", "127.0.0.1", "--transport", transport);
    try {
      int port = awaitListening(sample);

      HttpResponse<String> page =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("<title>wsproducer");

      // new WebSocket('ws://localhost:5000') from a file:// page sends Origin: null
      Recorder seedPage = connect(port, "/", "null");
      long previous = seedPage.next().path("variable").asLong();
      for (int i = 0; i < 3; i++) {
        JsonNode message = seedPage.next();
        assertThat(message.propertyNames()).containsExactly("variable");
        assertThat(message.path("variable").asLong() - previous).isBetween(1L, 10L);
        previous = message.path("variable").asLong();
      }

      Recorder samePage = connect(port, "/random", "http://127.0.0.1:" + port);
      assertThat(samePage.next().has("variable")).isTrue();
      assertThatThrownBy(() -> connect(port, "/", "http://evil.example"))
          .isInstanceOfSatisfying(
              UpgradeException.class, e -> assertThat(e.getResponseStatusCode()).isEqualTo(403));
    } finally {
      sample.destroy();
      assertThat(sample.waitFor(15, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"jetty", "netty"})
  void tokenFilesTurnOnTheFleetAndPushingNotesAndMakeScreensPresentTheirToken(String transport)
      throws Exception {
    Path dir = java.nio.file.Files.createTempDirectory("tokens");
    String admin = "admin-token-0123456789";
    String screen = "screen-token-0123456789";
    Path adminFile = java.nio.file.Files.writeString(dir.resolve("admin"), admin + "\n");
    Path screenFile = java.nio.file.Files.writeString(dir.resolve("screen"), screen + "\n");
    Process sample =
        launch(
            "--port",
            "0",
            "--host",
            "127.0.0.1",
            "--transport",
            transport,
            "--admin-token-file",
            adminFile.toString(),
            "--screen-token-file",
            screenFile.toString());
    try {
      List<String> said = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
      int port = awaitListening(sample, said);
      assertThat(said)
          .contains(
              "pages opened from disk (Origin: null) may connect if they present the screens'"
                  + " token");
      Recorder notes = connect(port, "/notes?token=" + screen, null);
      assertThat(notes.next().path("text").asString()).isEqualTo("No notes yet");
      assertThatThrownBy(() -> connect(port, "/", "null"))
          .as("the original page has no token")
          .isInstanceOfSatisfying(
              UpgradeException.class, e -> assertThat(e.getResponseStatusCode()).isEqualTo(401));

      HttpClient http = HttpClient.newHttpClient();
      URI push = URI.create("http://127.0.0.1:" + port + "/topics/notes");
      HttpResponse<String> misfit =
          http.send(
              HttpRequest.newBuilder(push)
                  .header("Authorization", "Bearer " + admin)
                  .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"Deploy\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(misfit.statusCode()).as("a note is {\"text\": ...}").isEqualTo(422);
      assertThat(misfit.body()).contains("field \\\"text\\\" is missing: expected a string");
      String note = "{\"text\":\"Deploy at 17:00\"}";
      HttpResponse<String> pushed =
          http.send(
              HttpRequest.newBuilder(push)
                  .header("Authorization", "Bearer " + admin)
                  .POST(HttpRequest.BodyPublishers.ofString(note))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(pushed.statusCode()).isEqualTo(202);
      assertThat(notes.next().path("text").asString()).isEqualTo("Deploy at 17:00");
      for (String token : new String[] {screen, "nope-nope-nope-nope"}) {
        assertThat(
                http.send(
                        HttpRequest.newBuilder(push)
                            .header("Authorization", "Bearer " + token)
                            .POST(HttpRequest.BodyPublishers.ofString(note))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .statusCode())
            .as("a screen's token or none may not push")
            .isEqualTo(401);
      }
      HttpResponse<String> fleet =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/fleet"))
                  .header("Authorization", "Bearer " + admin)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(fleet.statusCode()).isEqualTo(200);
      assertThat(fleet.body()).startsWith("[");
    } finally {
      stop(sample);
    }
  }

  @Test
  void withoutTokenFilesThereIsNoFleetAndNoPushing() throws Exception {
    Process sample = launch("--port", "0", "--host", "127.0.0.1");
    try {
      int port = awaitListening(sample);
      HttpClient http = HttpClient.newHttpClient();
      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/fleet"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(404);
      assertThat(
              http.send(
                      HttpRequest.newBuilder(
                              URI.create("http://127.0.0.1:" + port + "/topics/notes"))
                          .POST(HttpRequest.BodyPublishers.ofString("{}"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isIn(404, 405);
      assertThat(connect(port, "/", "null").next().has("variable")).isTrue();
    } finally {
      stop(sample);
    }
  }

  @Test
  void allowedOriginsComeFromTheCommandLine() throws Exception {
    Process sample =
        launch("--port", "0", "--host", "127.0.0.1", "--allow-origin", "https://wall.example");
    try {
      int port = awaitListening(sample);
      assertThat(connect(port, "/", "https://wall.example").next().has("variable")).isTrue();
    } finally {
      stop(sample);
    }
  }

  @Test
  void pagesFromDiskAreRefusedOnceOtherMachinesCanConnect() throws Exception {
    try (SampleServer open =
        SampleServer.start(
            new Options(
                "0.0.0.0", 0, List.of(), List.of(), null, null, null, null, null, "jetty", null,
                null, null, null, null, false))) {
      assertThatThrownBy(() -> connect(open.port(), "/", "null"))
          .as("Origin: null, as sandboxed frames on any site send it")
          .isInstanceOfSatisfying(
              UpgradeException.class, e -> assertThat(e.getResponseStatusCode()).isEqualTo(403));
      assertThat(connect(open.port(), "/", null).next().has("variable")).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"jetty", "netty"})
  void everyResponseCarriesSecurityHeadersAndNoServerNameAndNothingIsListed(String transport)
      throws Exception {
    try (SampleServer sample =
        SampleServer.start(
            new Options(
                "127.0.0.1",
                0,
                List.of(),
                List.of(),
                null,
                null,
                null,
                null,
                null,
                transport,
                null,
                null,
                null,
                null,
                null,
                false))) {
      HttpClient http = HttpClient.newHttpClient();
      for (String path :
          List.of(
              "/",
              "/screens/streams",
              "/wsproducer/screens/screen.js",
              "/wsproducer.js",
              "/webjars/",
              "/nope")) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sample.port() + path))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Content-Security-Policy"))
            .as(path)
            .hasValueSatisfying(csp -> assertThat(csp).contains("frame-ancestors 'none'"));
        assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
        assertThat(r.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
        assertThat(r.headers().firstValue("Referrer-Policy")).as(path).hasValue("no-referrer");
        assertThat(r.headers().firstValue("Server")).as(path).isEmpty();
        assertThat(r.body())
            .as(path)
            .doesNotContainIgnoringCase("jetty")
            .doesNotContainIgnoringCase("netty");
        if (path.equals("/") || path.startsWith("/screens/") || path.endsWith(".js")) {
          assertThat(r.statusCode()).as(path).isEqualTo(200);
        }
        if (path.equals("/webjars/") || path.equals("/nope")) {
          assertThat(r.statusCode()).as("no listing at " + path).isIn(403, 404);
        }
      }
      // A refused handshake is a few words, not the server's error page.
      try (java.net.Socket raw = new java.net.Socket("127.0.0.1", sample.port())) {
        raw.getOutputStream()
            .write(
                ("GET /nope HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        raw.setSoTimeout(10_000);
        String response = new String(raw.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(response).startsWith("HTTP/1.1 404").contains("no such topic");
        assertThat(response).doesNotContainIgnoringCase("jetty").doesNotContain("Server:");
      }
    }
  }

  @Test
  void aBadFlagPrintsTheProblemAndTheUsageAndExitsWith2() throws Exception {
    Process sample = launch("--bogus");
    assertThat(sample.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(sample.exitValue()).isEqualTo(2);
    String err = new String(sample.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(err).startsWith("error: unknown option \"--bogus\"").contains("usage:", "--port N");

    Process badOrigin = launch("--allow-origin", "wall.example");
    assertThat(badOrigin.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(badOrigin.exitValue()).isEqualTo(2);
    assertThat(new String(badOrigin.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
        .startsWith("error: origin must be scheme://host[:port]")
        .contains("usage:");

    Process badHost = launch("--host", "999.1.1.1");
    assertThat(badHost.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(badHost.exitValue()).isEqualTo(2);
    String hostErr = new String(badHost.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(hostErr)
        .startsWith("error: --host must be a name or address of this machine, was \"999.1.1.1\"")
        .contains("usage:")
        .doesNotContain("Exception", "\tat ");
  }

  @Test
  void anIpv6HostIsPrintedInBrackets() throws Exception {
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.bind(new java.net.InetSocketAddress("::1", 0));
    } catch (java.io.IOException e) {
      org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback on this machine: " + e);
    }
    Process sample = launch("--host=::1", "--port=0");
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(sample.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<String> listening =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("listening on ")) {
                      return line;
                    }
                  }
                  return "the sample exited without listening";
                } catch (java.io.IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      assertThat(listening.get(30, TimeUnit.SECONDS))
          .matches("listening on http://\\[::1\\]:\\d+/");
    } finally {
      stop(sample);
    }
  }

  @Test
  void helpPrintsTheUsageAndExitsWith0() throws Exception {
    Process sample = launch("--help");
    assertThat(sample.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(sample.exitValue()).isZero();
    assertThat(new String(sample.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .startsWith("usage: java -jar sample-dashboard.jar");
  }

  @ParameterizedTest
  @ValueSource(strings = {"jetty", "netty"})
  void aTakenPortIsAClearMessage(String transport) throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      Process sample =
          launch(
              "--port",
              Integer.toString(taken.getLocalPort()),
              "--host",
              "127.0.0.1",
              "--transport",
              transport);
      assertThat(sample.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(sample.exitValue()).isEqualTo(1);
      assertThat(new String(sample.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
          .contains("error: cannot listen on 127.0.0.1:" + taken.getLocalPort());
    }
  }

  /** Subscribes to random and returns seq to value for the first {@code count} messages. */
  private static java.util.Map<Long, Long> randomBySeq(int port, int count) throws Exception {
    Recorder screen = connect(port, "/", null, "wsproducer.v1");
    screen.next(); // hello
    screen.send("{\"type\":\"subscribe\",\"topic\":\"random\"}");
    java.util.Map<Long, Long> bySeq = new java.util.TreeMap<>();
    while (bySeq.size() < count) {
      JsonNode m = screen.next();
      bySeq.put(m.path("seq").asLong(), m.path("data").path("variable").asLong());
    }
    return bySeq;
  }

  @Test
  void twoSamplesOnTheSameRedisServeTheSameRandomSequence() throws Exception {
    java.net.InetSocketAddress redis = Services.redis();
    String url = "redis://" + redis.getHostString() + ":" + redis.getPort();
    Process a = launch("--port", "0", "--host", "127.0.0.1", "--redis-url", url);
    Process b = launch("--port", "0", "--host", "127.0.0.1", "--redis-url", url);
    try {
      int portA = awaitListening(a);
      int portB = awaitListening(b);
      CompletableFuture<java.util.Map<Long, Long>> onA =
          CompletableFuture.supplyAsync(() -> unchecked(() -> randomBySeq(portA, 6)));
      java.util.Map<Long, Long> onB = randomBySeq(portB, 6);
      java.util.Map<Long, Long> fromA = onA.get(60, TimeUnit.SECONDS);
      java.util.Set<Long> common = new java.util.TreeSet<>(fromA.keySet());
      common.retainAll(onB.keySet());
      assertThat(common).as("seqs seen on both nodes").hasSizeGreaterThanOrEqualTo(3);
      for (long seq : common) {
        assertThat(onB.get(seq)).as("value at seq %d", seq).isEqualTo(fromA.get(seq));
      }
    } finally {
      stop(a, b);
    }
  }

  @Test
  void anUnreachableRedisAtStartIsAClearMessage() throws Exception {
    Process sample = launch("--port", "0", "--redis-url", "redis://127.0.0.1:1");
    assertThat(sample.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(sample.exitValue()).isEqualTo(1);
    assertThat(new String(sample.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
        .contains("error: cannot connect to Redis at redis://127.0.0.1:1")
        .doesNotContain("\tat ");
  }

  private interface Action<T> {
    T run() throws Exception;
  }

  private static <T> T unchecked(Action<T> action) {
    try {
      return action.run();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
