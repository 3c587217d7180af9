package io.github.wsproducer.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.wsproducer.Hub;
import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import io.github.wsproducer.spi.Inbound;
import io.github.wsproducer.testkit.RecordingOutbound;
import io.github.wsproducer.testkit.RecordingSink;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Prometheus source against a real HTTP server answering as Prometheus's HTTP API documents
 * (prometheus.io/docs/prometheus/latest/querying/api): the envelope, vectors, scalars and errors.
 */
class PrometheusSourceTest {
  private final Api prometheus = new Api();
  private final List<AutoCloseable> open = new ArrayList<>();
  private final List<String> queries = new CopyOnWriteArrayList<>();

  PrometheusSourceTest() throws Exception {}

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    prometheus.close();
  }

  private void answer(int status, String json) {
    prometheus.on(
        "/api/v1/query",
        exchange -> {
          queries.add(
              URLDecoder.decode(
                  exchange.getRequestURI().getRawQuery().substring("query=".length()),
                  StandardCharsets.UTF_8));
          Api.answer(exchange, status, json);
        });
  }

  private RecordingSink started(PrometheusSource.Builder builder) {
    PrometheusSource source = builder.interval(Duration.ofMillis(50)).build();
    open.add(source);
    RecordingSink sink = new RecordingSink();
    source.start(sink);
    return sink;
  }

  @Test
  void aVectorKeyedByALabelIsARowPerSeries() throws Exception {
    answer(
        200,
        """
        {"status":"success","data":{"resultType":"vector","result":[
          {"metric":{"job":"api","instance":"a:9100"},"value":[1435781451.781,"0.25"]},
          {"metric":{"job":"worker","instance":"b:9100"},"value":[1435781451.781,"NaN"]},
          {"metric":{"instance":"c:9100"},"value":[1435781451.781,"+Inf"]}
        ]}}""");
    String query = "sum by (job) (rate(http_requests_total{code=~\"5..\"}[5m]))";
    RecordingSink sink =
        started(PrometheusSource.builder("errors", prometheus.uri("/"), query).by("job"));
    assertThat(sink.next().toString())
        .isEqualTo("{\"api\":{\"value\":0.25},\"worker\":{\"value\":null},\"-\":{\"value\":null}}");
    assertThat(queries.get(0)).isEqualTo(query);
  }

  @Test
  void aScalarOrAVectorOfOneIsANumber() throws Exception {
    answer(
        200,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1435781451.781,\"42\"]}}");
    RecordingSink sink = started(PrometheusSource.builder("n", prometheus.uri(""), "scalar(up)"));
    assertThat(sink.next().toString()).isEqualTo("{\"value\":42.0}");
    answer(
        200,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
            + "{\"metric\":{},\"value\":[1435781451.781,\"7\"]}]}}");
    assertThat(sink.next().toString()).isEqualTo("{\"value\":7.0}");
    answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
    assertThat(sink.next().toString()).isEqualTo("{\"value\":null}");
  }

  @Test
  void prometheusErrorsAreTheTopicsErrorWithTheirTypeAndFirstWords() throws Exception {
    answer(
        400,
        "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter"
            + " \\\"query\\\": 1:5: parse error: unexpected \\\")\\\"\"}");
    RecordingSink sink = started(PrometheusSource.builder("n", prometheus.uri("/"), "sum(up))"));
    assertThat(sink.nextError())
        .isEqualTo(
            "prometheus error: bad_data: invalid parameter \"query\": 1:5: parse error:"
                + " unexpected \")\"");
    answer(
        200,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
            + "{\"metric\":{\"job\":\"a\"},\"value\":[1,\"1\"]},"
            + "{\"metric\":{\"job\":\"b\"},\"value\":[1,\"2\"]}]}}");
    assertThat(sink.nextError())
        .isEqualTo(
            "prometheus error: the query answers 2 series; sum them, or key them by a label");
    answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}");
    assertThat(sink.nextError())
        .isEqualTo("prometheus error: the answer is a matrix, not a vector or scalar");
    answer(503, "");
    assertThat(sink.nextError()).isEqualTo("prometheus error: HTTP 503");
  }

  @Test
  void aRangeQueryFillsTheTopicsHistorySoThatAChartHasItsPastAtOnce() throws Exception {
    List<Long> asked = new CopyOnWriteArrayList<>();
    prometheus.on(
        "/api/v1/query_range",
        exchange -> {
          Map<String, String> q = new java.util.HashMap<>();
          for (String pair : exchange.getRequestURI().getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            q.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
          }
          double start = Double.parseDouble(q.get("start"));
          double end = Double.parseDouble(q.get("end"));
          asked.add(Math.round((end - start) * 1000));
          StringBuilder values = new StringBuilder();
          for (double t = Math.ceil(start / 60) * 60; t <= end; t += 60) { // as Prometheus aligns
            values.append(values.length() == 0 ? "" : ",").append("[").append(t).append(",\"");
            values.append((long) t % 7).append("\"]");
          }
          Api.answer(
              exchange,
              200,
              "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                  + "{\"metric\":{},\"values\":["
                  + values
                  + "]}]}}");
        });
    answer(
        200, "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"42\"]}}");
    Hub hub =
        Hub.builder()
            .topic(Topic.of("rate", State.latest()))
            .source(
                PrometheusSource.builder("rate", prometheus.uri("/"), "sum(rate(x[5m]))")
                    .backfill(Duration.ofMinutes(10), Duration.ofMinutes(1))
                    .interval(Duration.ofHours(1))
                    .build())
            .build();
    open.add(hub);
    RecordingOutbound screen = new RecordingOutbound();
    Inbound in = screen.openEnvelope(hub);
    screen.next("hello");
    await()
        .untilAsserted(
            () -> {
              in.onText("{\"type\":\"history\",\"topic\":\"rate\",\"since\":0,\"id\":\"h\"}");
              assertThat(screen.next("history").path("updates").size()).isGreaterThanOrEqualTo(11);
            });
    in.onText("{\"type\":\"history\",\"topic\":\"rate\",\"since\":0,\"id\":\"h\"}");
    JsonNode updates = screen.next("history").path("updates");
    assertThat(asked).containsExactly(600_000L);
    JsonNode last = updates.get(updates.size() - 1);
    assertThat(last.path("data").path("value").asDouble())
        .as("then the current value")
        .isEqualTo(42);
    for (int i = 0; i < updates.size() - 1; i++) { // each point at its own time, a minute apart
      JsonNode u = updates.get(i);
      assertThat(u.path("ts").asLong() % 60_000).isZero();
      assertThat(u.path("data").path("value").asLong()).isEqualTo(u.path("ts").asLong() / 1000 % 7);
    }
  }

  @Test
  void refusesWhatCannotWork() {
    assertThatThrownBy(() -> PrometheusSource.builder("x", URI.create("http://p/"), " "))
        .hasMessageContaining("query");
    assertThatThrownBy(
            () -> PrometheusSource.builder("x", URI.create("http://p/"), "up").by("not a label"))
        .hasMessageContaining("label name");
    assertThatThrownBy(
            () ->
                PrometheusSource.builder("x", URI.create("http://p/"), "up")
                    .backfill(Duration.ofDays(30), Duration.ofSeconds(15)))
        .hasMessageContaining("at most 11,000 points");
  }
}
