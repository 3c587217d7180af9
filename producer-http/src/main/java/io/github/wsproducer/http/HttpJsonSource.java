package io.github.wsproducer.http;

import io.github.wsproducer.UpdateSink;
import io.github.wsproducer.spi.Poller;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Polls a JSON API, such as Flink's {@code /jobs/overview}, Airflow's DAG runs or a service's own
 * {@code /status}, and publishes what it answers, mapped with JSON Pointers, when it changed; an
 * unchanged answer (or a {@code 304 Not Modified} to the last {@code ETag}) is a heartbeat.
 *
 * <pre>{@code
 * HttpJsonSource.builder("jobs", URI.create("http://flink:8081/jobs/overview"))
 *     .select("/jobs")          // the part of the answer to publish
 *     .key("/name")             // an array becomes a keyed value: one row per job
 *     .field("state", "/state") // and each row these fields
 *     .field("started", "/start-time")
 *     .interval(Duration.ofSeconds(10))
 *     .build();
 * }</pre>
 *
 * <p>Each answer is published as the topic's whole value ({@link UpdateSink#replace}): on a keyed
 * topic a row that is gone from the answer is removed from every screen. A non-2xx status, a
 * timeout, an answer over the cap or one that is not JSON becomes the topic's error ({@code api
 * error: HTTP 503}, {@code api too slow: no whole answer within 10 s}); the last good value stays,
 * marked stale once the topic's {@code staleAfter} passes, and polls go on with backoff. Redirects
 * are followed, never from {@code https} to {@code http}.
 */
public final class HttpJsonSource extends PolledHttpSource {
  private final URI url;
  private final JsonPointer select;
  private final JsonPointer key;
  private final Map<String, JsonPointer> fields;
  private JsonNode last; // confined to the poll

  private HttpJsonSource(Builder b) {
    super(b.topic, "api", b);
    this.url = b.url;
    this.select = b.select;
    this.key = b.key;
    this.fields = new LinkedHashMap<>(b.fields);
  }

  /**
   * A builder of a source that polls {@code url} ({@code http} or {@code https}) into {@code
   * topic}.
   */
  public static Builder builder(String topic, URI url) {
    return new Builder(topic, url);
  }

  @Override
  Poller.Outcome poll(UpdateSink sink) throws Fetch.Failure, InterruptedException {
    Fetch.Answer answer = fetch.get(url, true);
    if (answer.status() == 304) {
      sink.heartbeat(topic);
      return Poller.Outcome.DONE;
    }
    if (answer.status() / 100 != 2) {
      throw fetch.failure("error: HTTP " + answer.status());
    }
    JsonNode value = map(answer.body());
    if (value.equals(last)) {
      sink.heartbeat(topic);
    } else {
      sink.replace(topic, value);
      last = value;
    }
    return Poller.Outcome.DONE;
  }

  private JsonNode map(JsonNode answer) throws Fetch.Failure {
    JsonNode selected = answer.at(select);
    if (selected.isMissingNode()) {
      throw fetch.failure("error: the answer has no " + select);
    }
    if (key == null) {
      return fields(selected);
    }
    if (!selected.isArray()) {
      throw fetch.failure("error: " + (select.matches() ? "the answer" : select) + " is no array");
    }
    ObjectNode rows = JsonNodeFactory.instance.objectNode();
    for (JsonNode item : selected) {
      JsonNode name = item.at(key);
      if (!name.isValueNode() || name.isNull()) {
        throw fetch.failure("error: an item has no " + key);
      }
      rows.set(name.asString(), fields(item));
    }
    return rows;
  }

  private JsonNode fields(JsonNode item) {
    if (fields.isEmpty()) {
      return item;
    }
    ObjectNode row = JsonNodeFactory.instance.objectNode();
    fields.forEach(
        (name, pointer) ->
            row.set(name, item.at(pointer).isMissingNode() ? null : item.at(pointer)));
    return row;
  }

  /** Configures an {@link HttpJsonSource}. */
  public static final class Builder extends PolledHttpSource.Builder<Builder> {
    private final URI url;
    private JsonPointer select = JsonPointer.empty();
    private JsonPointer key;
    private final Map<String, JsonPointer> fields = new LinkedHashMap<>();

    private Builder(String topic, URI url) {
      super(topic, Duration.ofSeconds(10));
      Objects.requireNonNull(url, "url");
      if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
        throw new IllegalArgumentException("url must be http or https, was " + url);
      }
      this.url = url;
    }

    /** The part of the answer to publish, as a JSON Pointer ({@code /jobs}). Default all of it. */
    public Builder select(String pointer) {
      this.select = pointer("select", pointer);
      return this;
    }

    /**
     * Publishes the selected array as a keyed value: each item under the value at this JSON Pointer
     * in it ({@code /name}). Use it with a {@code State.keyed()} topic.
     */
    public Builder key(String pointer) {
      this.key = pointer("key", pointer);
      return this;
    }

    /**
     * Publishes only these fields of the selected value (or of each item, with {@link #key}), named
     * {@code name}, read at a JSON Pointer in it; one that is missing is {@code null}. Default the
     * whole value.
     */
    public Builder field(String name, String pointer) {
      Objects.requireNonNull(name, "name");
      fields.put(name, pointer("field " + name, pointer));
      return this;
    }

    /** A new source. */
    public HttpJsonSource build() {
      return new HttpJsonSource(this);
    }

    static JsonPointer pointer(String what, String pointer) {
      Objects.requireNonNull(pointer, what);
      try {
        return JsonPointer.compile(pointer);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            what + " must be a JSON Pointer such as /jobs/0/name, was \"" + pointer + "\"");
      }
    }
  }
}
