package io.github.wsproducer.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wsproducer.testkit.RecordingSink;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
  void refusesWhatCannotWork() {
    assertThatThrownBy(() -> PrometheusSource.builder("x", URI.create("http://p/"), " "))
        .hasMessageContaining("query");
    assertThatThrownBy(
            () -> PrometheusSource.builder("x", URI.create("http://p/"), "up").by("not a label"))
        .hasMessageContaining("label name");
  }
}
