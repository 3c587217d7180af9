package io.github.wsproducer.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.wsproducer.testkit.RecordingSink;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The JSON API source against a real HTTP server that answers well, badly and not at all. */
class HttpJsonSourceTest {
  private static final String JOBS =
      """
      {"jobs": [
        {"name": "orders", "state": "RUNNING", "start-time": 1700000000000, "tasks": {"total": 4}},
        {"name": "payments", "state": "FAILED", "start-time": 1700000001000, "tasks": {"total": 2}}
      ]}""";

  private final Api api = new Api();
  private final List<AutoCloseable> open = new ArrayList<>();

  HttpJsonSourceTest() throws Exception {}

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    api.close();
  }

  private RecordingSink started(HttpJsonSource.Builder builder) {
    HttpJsonSource source = builder.interval(Duration.ofMillis(50)).build();
    open.add(source);
    RecordingSink sink = new RecordingSink();
    source.start(sink);
    return sink;
  }

  @Test
  void mapsAnArrayIntoRowsKeyedByAPointerAndPublishesOnlyChanges() throws Exception {
    api.answer("/jobs/overview", 200, JOBS);
    RecordingSink sink =
        started(
            HttpJsonSource.builder("jobs", api.uri("/jobs/overview"))
                .select("/jobs")
                .key("/name")
                .field("state", "/state")
                .field("tasks", "/tasks/total")
                .field("missing", "/nope"));
    assertThat(sink.next().toString())
        .isEqualTo(
            "{\"orders\":{\"state\":\"RUNNING\",\"tasks\":4,\"missing\":null},"
                + "\"payments\":{\"state\":\"FAILED\",\"tasks\":2,\"missing\":null}}");
    int before = sink.heartbeats.get();
    await().until(() -> sink.heartbeats.get() >= before + 3); // unchanged: heartbeats, no publish
    assertThat(sink.published).isEmpty();

    api.answer("/jobs/overview", 200, JOBS.replace("FAILED", "RUNNING"));
    assertThat(sink.next().path("payments").path("state").asString()).isEqualTo("RUNNING");
  }

  @Test
  void anUnchangedAnswerToItsETagIsAHeartbeat() throws Exception {
    AtomicInteger full = new AtomicInteger();
    api.on(
        "/status",
        exchange -> {
          if ("\"v1\"".equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
            Api.answer(exchange, 304, "");
          } else {
            full.incrementAndGet();
            exchange.getResponseHeaders().set("ETag", "\"v1\"");
            Api.answer(exchange, 200, "{\"ok\":true}");
          }
        });
    RecordingSink sink = started(HttpJsonSource.builder("status", api.uri("/status")));
    assertThat(sink.next().toString()).isEqualTo("{\"ok\":true}");
    await().until(() -> sink.heartbeats.get() >= 3);
    assertThat(full.get()).as("one full answer, then 304s").isEqualTo(1);
    assertThat(sink.errors).isEmpty();
  }

  @Test
  void aFailingApiIsTheTopicsErrorUntilItAnswersAgain() throws Exception {
    api.answer("/status", 200, "{\"n\":1}");
    RecordingSink sink =
        started(
            HttpJsonSource.builder("status", api.uri("/status"))
                .maxBackoff(Duration.ofMillis(200)));
    sink.next();
    api.answer("/status", 503, "<html>down</html>");
    assertThat(sink.nextError()).isEqualTo("api error: HTTP 503");
    api.answer("/status", 200, "{\"n\": oops}");
    await()
        .untilAsserted(
            () ->
                assertThat(sink.errors)
                    .contains("api error: the answer is not JSON (line 1, column 7)"));
    api.answer("/status", 200, "[1]");
    api.answer("/status", 200, "{\"n\":2}");
    assertThat(sink.next().toString()).isEqualTo("{\"n\":2}");
  }

  @Test
  void aMissingPointerOrAnAnswerThatIsNoArraySaysSo() throws Exception {
    api.answer("/a", 200, "{\"jobs\":{}}");
    RecordingSink missing =
        started(HttpJsonSource.builder("a", api.uri("/a")).select("/data").key("/name"));
    assertThat(missing.nextError()).isEqualTo("api error: the answer has no /data");
    RecordingSink notArray =
        started(HttpJsonSource.builder("b", api.uri("/a")).select("/jobs").key("/name"));
    assertThat(notArray.nextError()).isEqualTo("api error: /jobs is no array");
  }

  @Test
  void aSlowAnswerOrASlowBodyIsCutAtTheTimeout() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    api.on("/hang", exchange -> release.await(30, TimeUnit.SECONDS));
    api.on(
        "/trickle",
        exchange -> { // the headers at once, then a byte every 200 ms
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            for (byte b : "{\"n\": 1}".getBytes(StandardCharsets.UTF_8)) {
              out.write(b);
              out.flush();
              TimeUnit.MILLISECONDS.sleep(200);
            }
          }
        });
    RecordingSink hang =
        started(HttpJsonSource.builder("a", api.uri("/hang")).timeout(Duration.ofMillis(300)));
    assertThat(hang.nextError()).startsWith("api too slow: no");
    RecordingSink trickle =
        started(HttpJsonSource.builder("b", api.uri("/trickle")).timeout(Duration.ofMillis(500)));
    assertThat(trickle.nextError()).isEqualTo("api too slow: no whole answer within 500 ms");
    release.countDown();
  }

  @Test
  void anAnswerOverTheCapIsRefusedAndNotReadToItsEnd() throws Exception {
    AtomicInteger written = new AtomicInteger();
    api.on(
        "/huge",
        exchange -> {
          exchange.sendResponseHeaders(200, 0); // chunked, endless
          byte[] chunk = new byte[64 * 1024];
          java.util.Arrays.fill(chunk, (byte) ' ');
          try (OutputStream out = exchange.getResponseBody()) {
            out.write('[');
            for (int i = 0; i < 1_000; i++) { // 64 MB if it were all read
              out.write(chunk);
              written.addAndGet(chunk.length);
            }
          }
        });
    RecordingSink sink =
        started(HttpJsonSource.builder("huge", api.uri("/huge")).maxBodyBytes(256 * 1024));
    assertThat(sink.nextError()).isEqualTo("api error: the answer is over 256 KiB");
    assertThat(written.get()).as("the server could not send it all").isLessThan(32 << 20);
  }

  @Test
  void followsRedirectsAndSendsItsHeadersAndToken() throws Exception {
    api.on(
        "/old",
        exchange -> {
          exchange.getResponseHeaders().set("Location", "/new");
          exchange.sendResponseHeaders(302, -1);
        });
    api.on(
        "/new",
        exchange ->
            Api.answer(
                exchange,
                200,
                "{\"auth\":\""
                    + exchange.getRequestHeaders().getFirst("Authorization")
                    + "\",\"team\":\""
                    + exchange.getRequestHeaders().getFirst("X-Team")
                    + "\"}"));
    RecordingSink sink =
        started(
            HttpJsonSource.builder("r", api.uri("/old"))
                .header("X-Team", "data")
                .bearerToken("s3cr3t-t0ken"));
    assertThat(sink.next().toString())
        .isEqualTo("{\"auth\":\"Bearer s3cr3t-t0ken\",\"team\":\"data\"}");
  }

  @Test
  void anUnreachableApiSaysSo() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    RecordingSink sink =
        started(HttpJsonSource.builder("x", URI.create("http://127.0.0.1:" + closed + "/")));
    assertThat(sink.nextError()).isEqualTo("api unreachable");
  }

  @Test
  void aSlowApiIsNeverPolledTwiceAtOnceNorFasterThanTheInterval() throws Exception {
    List<Long> starts = new java.util.concurrent.CopyOnWriteArrayList<>();
    api.on(
        "/slow",
        exchange -> {
          starts.add(System.nanoTime());
          TimeUnit.MILLISECONDS.sleep(300);
          Api.answer(exchange, 200, "{\"n\":" + starts.size() + "}");
        });
    HttpJsonSource source =
        HttpJsonSource.builder("slow", api.uri("/slow")).interval(Duration.ofMillis(100)).build();
    open.add(source);
    source.start(new RecordingSink());
    await().atMost(Duration.ofSeconds(20)).until(() -> starts.size() >= 6);
    assertThat(api.maxConcurrent.get()).isEqualTo(1);
    for (int i = 1; i < starts.size(); i++) { // each answer takes 300 ms, then the 100 ms interval
      assertThat(starts.get(i) - starts.get(i - 1)).isGreaterThanOrEqualTo(400_000_000L);
    }
  }

  @Test
  void refusesWhatCannotWork() {
    assertThatThrownBy(() -> HttpJsonSource.builder("x", URI.create("ftp://h/")))
        .hasMessageContaining("http or https");
    assertThatThrownBy(() -> HttpJsonSource.builder("x", URI.create("http://h/")).select("jobs"))
        .hasMessageContaining("JSON Pointer");
    assertThatThrownBy(
            () -> HttpJsonSource.builder("x", URI.create("http://h/")).header("Authorization", "x"))
        .hasMessageContaining("bearerToken");
  }
}
