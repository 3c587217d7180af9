package io.github.wsproducer.protocol;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A message from a client in the envelope form, parsed: a subscription change, or the reason it
 * cannot be used.
 */
public sealed interface ClientMessage {

  /**
   * {@code {"type":"subscribe","topic":T}}, optionally with {@code "since":{"epoch":E,"seq":S}},
   * the last update the client saw.
   *
   * @param since {@code null} for a snapshot
   */
  record Subscribe(String topic, Position since) implements ClientMessage {}

  /** {@code {"type":"unsubscribe","topic":T}}. */
  record Unsubscribe(String topic) implements ClientMessage {}

  /**
   * {@code {"type":"history","topic":T,"since":MS}}, optionally with {@code "until"}, {@code
   * "points"} and {@code "id"}: the topic's updates sent in a time range, thinned to a number of
   * points.
   *
   * @param since from, in milliseconds since the Unix epoch, included; negative: that many
   *     milliseconds before now, by the server's clock (for a screen whose own clock is wrong)
   * @param until to, included; {@link Long#MAX_VALUE} for now
   * @param points the most updates to answer with, {@value #MAX_POINTS} at most
   * @param state whether to answer the topic's state as of {@code since} too, and the updates after
   *     it
   * @param id the client's name for the request, echoed in the answer, or {@code null}
   */
  record History(String topic, long since, long until, int points, boolean state, String id)
      implements ClientMessage {
    /** Points when a request names none. */
    public static final int DEFAULT_POINTS = 1000;

    /** The most points a request may ask for. */
    public static final int MAX_POINTS = 5000;

    /** The longest {@code id}. */
    public static final int MAX_ID = 64;
  }

  /**
   * A message that cannot be used, and the {@code error} frame that answers it.
   *
   * @param topic the topic it named, or {@code null}
   */
  record Invalid(ErrorCode code, String message, String topic) implements ClientMessage {}

  /** A position in a topic's stream of updates. */
  record Position(long epoch, long seq) {}

  /**
   * Parses a client message. Never throws: whatever is wrong with the text is an {@link Invalid}.
   * Whether a named topic exists is for the caller to decide.
   */
  static ClientMessage parse(String text, JsonMapper json) {
    JsonNode message;
    try {
      message = json.readTree(text);
    } catch (JacksonException e) {
      return new Invalid(
          ErrorCode.MALFORMED, "message is not valid JSON: " + e.getOriginalMessage(), null);
    }
    if (message == null || !message.isObject()) {
      return new Invalid(ErrorCode.INVALID, "a message must be a JSON object", null);
    }
    String type = message.path("type").asString("");
    if (!type.equals("subscribe") && !type.equals("unsubscribe") && !type.equals("history")) {
      return new Invalid(
          ErrorCode.UNKNOWN_TYPE, "unknown message type \"" + abbreviate(type) + "\"", null);
    }
    JsonNode topicField = message.get("topic");
    if (topicField == null || !topicField.isString()) {
      return new Invalid(ErrorCode.INVALID, type + " needs a \"topic\" string", null);
    }
    String topic = topicField.stringValue();
    if (!Protocol.isTopicName(topic)) {
      return new Invalid(ErrorCode.INVALID, "topic name must match [A-Za-z0-9._-]{1,128}", null);
    }
    if (type.equals("unsubscribe")) {
      return new Unsubscribe(topic);
    }
    if (type.equals("history")) {
      return history(message, topic);
    }
    JsonNode since = message.get("since");
    if (since == null || since.isNull()) {
      return new Subscribe(topic, null);
    }
    JsonNode epoch = since.get("epoch");
    JsonNode seq = since.get("seq");
    if (!isLong(epoch) || !isLong(seq)) {
      return new Invalid(
          ErrorCode.INVALID, "\"since\" must be {\"epoch\": integer, \"seq\": integer}", topic);
    }
    return new Subscribe(topic, new Position(epoch.longValue(), seq.longValue()));
  }

  private static ClientMessage history(JsonNode message, String topic) {
    JsonNode since = message.get("since");
    JsonNode until = message.get("until");
    JsonNode points = message.get("points");
    JsonNode id = message.get("id");
    JsonNode state = message.get("state");
    if (state != null && !state.isNull() && !state.isBoolean()) {
      return new Invalid(ErrorCode.INVALID, "\"state\" must be true or false", topic);
    }
    if (!isLong(since) || (until != null && !until.isNull() && !isLong(until))) {
      return new Invalid(
          ErrorCode.INVALID,
          "history needs \"since\" (and may have \"until\") in milliseconds since the Unix epoch",
          topic);
    }
    long to = until == null || until.isNull() ? Long.MAX_VALUE : until.longValue();
    if (since.longValue() >= 0 && to < since.longValue()) {
      return new Invalid(ErrorCode.INVALID, "\"until\" is before \"since\"", topic);
    }
    int most = History.DEFAULT_POINTS;
    if (points != null && !points.isNull()) {
      if (!isLong(points) || points.longValue() < 1 || points.longValue() > History.MAX_POINTS) {
        return new Invalid(
            ErrorCode.INVALID,
            "\"points\" must be an integer from 1 to " + History.MAX_POINTS,
            topic);
      }
      most = points.intValue();
    }
    if (id != null
        && !id.isNull()
        && (!id.isString() || id.stringValue().length() > History.MAX_ID)) {
      return new Invalid(
          ErrorCode.INVALID, "\"id\" must be a string of at most " + History.MAX_ID, topic);
    }
    return new History(
        topic,
        since.longValue(),
        to,
        most,
        state != null && state.booleanValue(),
        id == null || id.isNull() ? null : id.stringValue());
  }

  private static boolean isLong(JsonNode n) {
    return n != null && n.canConvertToExactIntegral() && n.canConvertToLong();
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
