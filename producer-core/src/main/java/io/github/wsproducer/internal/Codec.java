package io.github.wsproducer.internal;

import io.github.wsproducer.Topic;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The wire codec of protocol v1 ({@code docs/protocol.md}). Data is serialized once; the envelope
 * around it is plain string concatenation, which is safe because topic names are restricted to
 * {@code [A-Za-z0-9._-]} and the other fields are numbers.
 */
final class Codec {
  // A bean without properties is a mistake (it would go out as {}), not a value.
  private final JsonMapper mapper =
      JsonMapper.builder().enable(SerializationFeature.FAIL_ON_EMPTY_BEANS).build();
  private final LongAdder encodings = new LongAdder();

  long encodings() {
    return encodings.sum();
  }

  /** Converts a value published on {@code topic} to a tree, on the publisher's thread. */
  JsonNode toTree(String topic, Object value) {
    try {
      return value instanceof JsonNode node ? node : mapper.valueToTree(value);
    } catch (RuntimeException e) { // Jackson's own, or one thrown by the value's accessors
      throw new IllegalArgumentException(
          "topic \""
              + topic
              + "\": a value of type "
              + value.getClass().getName()
              + " cannot be serialized as JSON: "
              + String.valueOf(e.getMessage()).lines().findFirst().orElse(""),
          e);
    }
  }

  /** Serializes update or snapshot data: the one serialization per update (counted). */
  String data(JsonNode data) {
    String json = mapper.writeValueAsString(data);
    encodings.increment();
    return json;
  }

  JsonNode parse(String text) {
    return mapper.readTree(text);
  }

  static Frame update(String topic, long epoch, long seq, long ts, String data) {
    return envelope("update", topic, epoch, seq, ts, "", data);
  }

  static Frame snapshot(String topic, long epoch, long seq, long ts, boolean reset, String data) {
    return envelope("snapshot", topic, epoch, seq, ts, reset ? ",\"reset\":true" : "", data);
  }

  private static Frame envelope(
      String type, String topic, long epoch, long seq, long ts, String extra, String data) {
    return Frame.of(
        topic,
        "{\"type\":\""
            + type
            + "\",\"topic\":\""
            + topic
            + "\",\"epoch\":"
            + epoch
            + ",\"seq\":"
            + seq
            + ",\"ts\":"
            + ts
            + extra
            + ",\"data\":"
            + data
            + '}');
  }

  static Frame plain(String topic, String data) {
    return Frame.of(topic, data);
  }

  static Frame ping(long ts) {
    return Frame.of(null, "{\"type\":\"ping\",\"ts\":" + ts + '}');
  }

  Frame hello(String server, List<Topic> topics) {
    ObjectNode hello = mapper.createObjectNode().put("type", "hello").put("server", server);
    ArrayNode list = hello.putArray("topics");
    for (Topic topic : topics) {
      ObjectNode entry =
          list.addObject().put("name", topic.name()).put("state", topic.state().kind());
      if (topic.staleAfter() != null) {
        entry.put("staleAfterMs", topic.staleAfter().toMillis());
      }
    }
    return Frame.of(null, mapper.writeValueAsString(hello));
  }

  /** Freshness of a topic; {@code ts} is when its data was last known to be current. */
  Frame status(String topic, boolean stale, String error, long ts) {
    ObjectNode status =
        mapper.createObjectNode().put("type", "status").put("topic", topic).put("stale", stale);
    if (error != null) {
      status.put("error", error);
    }
    status.put("ts", ts);
    return Frame.of(topic, mapper.writeValueAsString(status));
  }

  Frame error(String code, String message, String topic) {
    ObjectNode error = mapper.createObjectNode().put("type", "error").put("code", code);
    if (topic != null) {
      error.put("topic", topic);
    }
    error.put("message", message);
    return Frame.of(null, mapper.writeValueAsString(error));
  }
}
