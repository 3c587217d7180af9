package io.github.wsproducer.internal;

import io.github.wsproducer.Topic;
import io.github.wsproducer.protocol.ClientMessage;
import io.github.wsproducer.protocol.ErrorCode;
import io.github.wsproducer.protocol.ServerMessage;
import io.github.wsproducer.spi.TextFrame;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

/**
 * The hub's JSON: values into trees on the publisher's thread, data serialized once per update or
 * snapshot (counted), and the protocol's messages ({@link ServerMessage}) as frames.
 */
final class Codec {
  private final JsonMapper mapper;
  private final LongAdder encodings = new LongAdder();

  /** A bean without properties is a mistake (it would go out as {}), not a value. */
  Codec(JsonMapper mapper) {
    this.mapper = mapper.rebuild().enable(SerializationFeature.FAIL_ON_EMPTY_BEANS).build();
  }

  long encodings() {
    return encodings.sum();
  }

  /** Converts a value published on {@code topic} to a tree, on the publisher's thread. */
  JsonNode toTree(String topic, Object value) {
    if (value == null) {
      return NullNode.getInstance();
    }
    try {
      return value instanceof JsonNode node ? node : mapper.valueToTree(value);
    } catch (RuntimeException e) { // Jackson's own, or one thrown by the value's accessors
      throw unserializable(topic, value, e);
    }
  }

  /** Serializes a value published on {@code topic} for a replicated log. */
  String toJson(String topic, Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (RuntimeException e) {
      throw unserializable(topic, value, e);
    }
  }

  private static IllegalArgumentException unserializable(
      String topic, Object value, RuntimeException e) {
    return new IllegalArgumentException(
        "topic \""
            + topic
            + "\": a value of type "
            + value.getClass().getName()
            + " cannot be serialized as JSON: "
            + String.valueOf(e.getMessage()).lines().findFirst().orElse(""),
        e);
  }

  /** Serializes an answer of the hub's HTTP endpoints. */
  String json(Object value) {
    return mapper.writeValueAsString(value);
  }

  /** Parses UTF-8 JSON; bytes that are not UTF-8 are an error, never replaced. */
  JsonNode parse(byte[] json) {
    return mapper.readTree(json);
  }

  JsonNode parse(String json) {
    return mapper.readTree(json);
  }

  ClientMessage parseClientMessage(String text) {
    return ClientMessage.parse(text, mapper);
  }

  /** Serializes update or snapshot data: the one serialization per update (counted). */
  String data(JsonNode data) {
    String json = mapper.writeValueAsString(data);
    encodings.increment();
    return json;
  }

  static Frame update(
      String topic, long epoch, long seq, long ts, long sum, String data, long publishedAt) {
    return new Frame(
        topic, TextFrame.of(ServerMessage.update(topic, epoch, seq, ts, sum, data)), publishedAt);
  }

  static Frame snapshot(String topic, long epoch, long seq, long ts, boolean reset, String data) {
    return Frame.of(topic, ServerMessage.snapshot(topic, epoch, seq, ts, reset, data));
  }

  /** The plain form's frame: the data alone; {@code publishedAt} as in {@link Frame}. */
  static Frame plain(String topic, String data, long publishedAt) {
    return new Frame(topic, TextFrame.of(data), publishedAt);
  }

  static Frame ping(long ts) {
    return Frame.of(null, ServerMessage.ping(ts));
  }

  Frame hello(String server, List<Topic> topics) {
    return Frame.of(null, ServerMessage.hello(server, topics, mapper));
  }

  Frame status(String topic, boolean stale, String error, long ts) {
    return Frame.of(topic, ServerMessage.status(topic, stale, error, ts, mapper));
  }

  /** The answer to a history request; see {@link ServerMessage#history}. */
  Frame history(
      String topic,
      String id,
      long since,
      long until,
      boolean downsampled,
      String state,
      List<String> updates) {
    return Frame.of(
        null, ServerMessage.history(topic, id, since, until, downsampled, state, updates, mapper));
  }

  Frame error(ErrorCode code, String message, String topic) {
    return Frame.of(null, ServerMessage.error(code, message, topic, mapper));
  }
}
