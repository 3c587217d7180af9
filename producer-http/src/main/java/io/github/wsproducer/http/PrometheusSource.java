package io.github.wsproducer.http;

import io.github.wsproducer.UpdateSink;
import io.github.wsproducer.spi.Poller;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Polls a Prometheus instant query ({@code GET /api/v1/query}) and publishes its value when it
 * changed: {@code {"value": 0.25}} for a query that answers one number (a scalar, or a vector of
 * one series), or, keyed by a label with {@link Builder#by}, one row per series: {@code {"api":
 * {"value": 0.25}, "worker": {"value": 0.5}}}. A value that is {@code NaN} or infinite is {@code
 * null}. Works with anything that speaks Prometheus's HTTP API (Thanos, Mimir, VictoriaMetrics).
 *
 * <pre>{@code
 * PrometheusSource.builder("error-rate", URI.create("http://prometheus:9090"),
 *         "sum by (job) (rate(http_requests_total{code=~\"5..\"}[5m]))")
 *     .by("job")
 *     .build();
 * }</pre>
 *
 * <p>An error Prometheus answers ({@code bad_data}, {@code timeout}, ...) becomes the topic's error
 * with its type and first words ({@code prometheus error: bad_data: parse error at char 5}); so do
 * an unreachable server, a timeout and an answer that is not Prometheus's. The last good value
 * stays, and polls go on with backoff.
 */
public final class PrometheusSource extends PolledHttpSource {
  private static final int MAX_ERROR = 120;

  private final URI query;
  private final String range; // the query_range address without start and end, or null
  private final long span; // ms
  private final String by;
  private boolean backfilled; // confined to the poll
  private JsonNode last; // confined to the poll

  private PrometheusSource(Builder b) {
    super(b.topic, "prometheus", b);
    String base = b.server.toString().replaceAll("/+$", "");
    String encoded = URLEncoder.encode(b.query, StandardCharsets.UTF_8);
    this.query = URI.create(base + "/api/v1/query?query=" + encoded);
    this.range =
        b.span == null
            ? null
            : base + "/api/v1/query_range?query=" + encoded + "&step=" + b.step.toMillis() / 1000.0;
    this.span = b.span == null ? 0 : b.span.toMillis();
    this.by = b.by;
  }

  /**
   * A builder of a source that asks the Prometheus at {@code server} ({@code
   * http://prometheus:9090}) for {@code query} (PromQL).
   */
  public static Builder builder(String topic, URI server, String query) {
    return new Builder(topic, server, query);
  }

  @Override
  Poller.Outcome poll(UpdateSink sink) throws Fetch.Failure, InterruptedException {
    if (range != null && !backfilled) {
      backfill(sink);
      backfilled = true;
    }
    Fetch.Answer answer = fetch.get(query, false);
    JsonNode body = data(answer);
    JsonNode value = value(body.path("data"));

    if (value.equals(last)) {
      sink.heartbeat(topic);
    } else {
      sink.replace(topic, value);
      last = value;
    }
    return Poller.Outcome.DONE;
  }

  /** The {@code data} of an answer, or the error Prometheus (or the way to it) answered. */
  private JsonNode data(Fetch.Answer answer) throws Fetch.Failure {
    JsonNode body = answer.body();
    if (body != null && "error".equals(body.path("status").asString(""))) {
      String error = body.path("error").asString("");
      throw fetch.failure(
          "error: "
              + body.path("errorType").asString("error")
              + (error.isEmpty()
                  ? ""
                  : ": "
                      + (error.length() > MAX_ERROR
                          ? error.substring(0, MAX_ERROR) + "..."
                          : error)));
    }
    if (answer.status() / 100 != 2) {
      throw fetch.failure("error: HTTP " + answer.status());
    }
    return body;
  }

  /**
   * Fills the topic's past with a range query: each step's value published at its time, oldest
   * first ({@link UpdateSink#publishAt}), so that a chart has its history at once.
   */
  private void backfill(UpdateSink sink) throws Fetch.Failure, InterruptedException {
    long end = sink.clock().millis();
    URI uri = URI.create(range + "&start=" + (end - span) / 1000.0 + "&end=" + end / 1000.0);
    JsonNode data = data(fetch.get(uri, false)).path("data");
    if (!"matrix".equals(data.path("resultType").asString(""))) {
      throw fetch.failure("error: the range answer is not a matrix");
    }
    JsonNode series = data.path("result");
    if (by == null && series.size() > 1) {
      throw fetch.failure(
          "error: the query answers "
              + series.size()
              + " series; sum them, or key them by a label");
    }
    TreeMap<Long, ObjectNode> steps = new TreeMap<>();
    for (JsonNode one : series) {
      String key = by == null ? null : one.path("metric").path(by).asString("-");
      for (JsonNode sample : one.path("values")) {
        long at = Math.round(sample.path(0).asDouble() * 1000);
        ObjectNode value = steps.computeIfAbsent(at, t -> JsonNodeFactory.instance.objectNode());
        if (key == null) {
          value.set("value", number(sample));
        } else {
          value.putObject(key).set("value", number(sample));
        }
      }
    }
    steps.forEach((at, value) -> sink.publishAt(topic, value, Instant.ofEpochMilli(at)));
  }

  private JsonNode value(JsonNode data) throws Fetch.Failure {
    String type = data.path("resultType").asString("");
    JsonNode result = data.path("result");
    ObjectNode value = JsonNodeFactory.instance.objectNode();
    switch (type) {
      case "scalar" -> {
        if (by != null) {
          throw fetch.failure("error: the query answers a scalar, which has no label " + by);
        }
        value.set("value", number(result));
      }
      case "vector" -> {
        if (by == null) {
          if (result.size() > 1) {
            throw fetch.failure(
                "error: the query answers "
                    + result.size()
                    + " series; sum them, or key them by a label");
          }
          value.set("value", result.isEmpty() ? null : number(result.get(0).path("value")));
        } else {
          for (JsonNode series : result) {
            ObjectNode row = JsonNodeFactory.instance.objectNode();
            row.set("value", number(series.path("value")));
            value.set(series.path("metric").path(by).asString("-"), row);
          }
        }
      }
      default ->
          throw fetch.failure(
              "error: the answer is "
                  + (type.isEmpty()
                      ? "not Prometheus's"
                      : "a " + type + ", not a vector or scalar"));
    }
    return value;
  }

  /** {@code [1435781451.781, "1"]}: the number, or null for NaN and infinities. */
  private JsonNode number(JsonNode sample) throws Fetch.Failure {
    if (!sample.isArray() || sample.size() != 2) {
      throw fetch.failure("error: a sample is not [time, value]");
    }
    String text = sample.get(1).asString();
    if (text.equals("NaN") || text.endsWith("Inf")) { // as Prometheus writes them: +Inf, -Inf
      return JsonNodeFactory.instance.nullNode();
    }
    try {
      double v = Double.parseDouble(text);
      return Double.isFinite(v)
          ? JsonNodeFactory.instance.numberNode(v)
          : JsonNodeFactory.instance.nullNode();
    } catch (NumberFormatException e) {
      throw fetch.failure("error: a sample's value is not a number");
    }
  }

  /** Configures a {@link PrometheusSource}. */
  public static final class Builder extends PolledHttpSource.Builder<Builder> {
    private final URI server;
    private final String query;
    private String by;
    private Duration span;
    private Duration step;

    private Builder(String topic, URI server, String query) {
      super(topic, Duration.ofSeconds(15));
      Objects.requireNonNull(server, "server");
      if (!"http".equals(server.getScheme()) && !"https".equals(server.getScheme())) {
        throw new IllegalArgumentException("the server must be http or https, was " + server);
      }
      this.server = server;
      this.query = Objects.requireNonNull(query, "query");
      if (query.isBlank()) {
        throw new IllegalArgumentException("the query must not be empty");
      }
    }

    /**
     * Publishes one row per series, keyed by the value of this label; use it with a {@code
     * State.keyed()} topic. A series without the label is keyed {@code -}.
     */
    public Builder by(String label) {
      Objects.requireNonNull(label, "label");
      if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
        throw new IllegalArgumentException("by must be a label name, was \"" + label + "\"");
      }
      this.by = label;
      return this;
    }

    /**
     * At its first poll, fills the topic's history for the last {@code span} with a range query
     * ({@code /api/v1/query_range}), a value every {@code step}, so that a chart has its past at
     * once; with a history store that kept the topic's past, only what came after it is filled.
     */
    public Builder backfill(Duration span, Duration step) {
      Objects.requireNonNull(span, "span");
      Objects.requireNonNull(step, "step");
      if (step.toMillis() < 1000 || span.compareTo(step) < 0) {
        throw new IllegalArgumentException(
            "backfill needs a step of at least 1 s and a span of at least a step, was "
                + span
                + " every "
                + step);
      }
      if (span.toMillis() / step.toMillis() > 11_000) {
        throw new IllegalArgumentException(
            "backfill asks Prometheus for at most 11,000 points a series (its own limit), was "
                + span.toMillis() / step.toMillis());
      }
      this.span = span;
      this.step = step;
      return this;
    }

    /** A new source; it polls every 15 s unless told otherwise. */
    public PrometheusSource build() {
      return new PrometheusSource(this);
    }
  }
}
