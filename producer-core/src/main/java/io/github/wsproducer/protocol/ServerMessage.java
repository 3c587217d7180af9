package io.github.wsproducer.protocol;

import io.github.wsproducer.Topic;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The hub's messages in the envelope form, as JSON text. A topic's data is serialized once by the
 * caller and put into each message as it is; the envelope around it is string concatenation, which
 * is safe because topic names are {@code [A-Za-z0-9._-]} and the other fields are numbers.
 */
public final class ServerMessage {
  private ServerMessage() {}

  /** {@code hello}: the server and its topics, with their state kinds and staleness bounds. */
  public static String hello(String server, List<Topic> topics, JsonMapper json) {
    ObjectNode hello = json.createObjectNode().put("type", "hello").put("server", server);
    ArrayNode list = hello.putArray("topics");
    for (Topic topic : topics) {
      ObjectNode entry =
          list.addObject().put("name", topic.name()).put("state", topic.state().kind());
      if (topic.state().capacity() > 0) {
        entry.put("size", topic.state().capacity());
      }
      if (topic.staleAfter() != null) {
        entry.put("staleAfterMs", topic.staleAfter().toMillis());
      }
    }
    return json.writeValueAsString(hello);
  }

  /** {@code snapshot}: the topic's whole state at {@code seq}; {@code reset} after a gap. */
  public static String snapshot(
      String topic, long epoch, long seq, long ts, boolean reset, String data) {
    return envelope("snapshot", topic, epoch, seq, ts, reset ? ",\"reset\":true" : "", data);
  }

  /**
   * {@code update}: what changed at {@code seq}, and the {@link Checksum} of the state after it
   * ({@code -1}: none).
   */
  public static String update(String topic, long epoch, long seq, long ts, long sum, String data) {
    return envelope("update", topic, epoch, seq, ts, sum < 0 ? "" : ",\"sum\":" + sum, data);
  }

  private static String envelope(
      String type, String topic, long epoch, long seq, long ts, String extra, String data) {
    return "{\"type\":\""
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
        + '}';
  }

  /**
   * {@code status}: the topic's freshness; {@code ts} is when its data was last known current.
   *
   * @param error the source's error in words for the screen, or {@code null}
   */
  public static String status(String topic, boolean stale, String error, long ts, JsonMapper json) {
    ObjectNode status =
        json.createObjectNode().put("type", "status").put("topic", topic).put("stale", stale);
    if (error != null) {
      status.put("error", error);
    }
    status.put("ts", ts);
    return json.writeValueAsString(status);
  }

  /**
   * {@code history}: the answer to a {@link ClientMessage.History} request, the updates of a time
   * range oldest first.
   *
   * @param id the request's id, or {@code null}
   * @param since from, as answered: later than asked when the answer was cut to its byte bound
   * @param downsampled whether updates were left out to keep to the points asked for
   * @param state the state as of {@code since}, as {@link #historyUpdate} made it, or {@code null}
   *     when it was not asked for
   * @param updates each as {@link #historyUpdate} made it
   */
  public static String history(
      String topic,
      String id,
      long since,
      long until,
      boolean downsampled,
      String state,
      List<String> updates,
      JsonMapper json) {
    StringBuilder out =
        new StringBuilder(64 + updates.stream().mapToInt(String::length).sum() + updates.size())
            .append("{\"type\":\"history\",\"topic\":\"")
            .append(topic)
            .append('"');
    if (id != null) {
      out.append(",\"id\":").append(json.writeValueAsString(id));
    }
    out.append(",\"since\":")
        .append(since)
        .append(",\"until\":")
        .append(until)
        .append(",\"downsampled\":")
        .append(downsampled);
    if (state != null) {
      out.append(",\"state\":").append(state);
    }
    out.append(",\"updates\":[");
    for (int i = 0; i < updates.size(); i++) {
      out.append(i == 0 ? "" : ",").append(updates.get(i));
    }
    return out.append("]}").toString();
  }

  /** One update in a {@code history} answer: its position, time and data. */
  public static String historyUpdate(long epoch, long seq, long ts, String data) {
    return "{\"epoch\":" + epoch + ",\"seq\":" + seq + ",\"ts\":" + ts + ",\"data\":" + data + '}';
  }

  /** {@code ping}: sent on an idle connection. */
  public static String ping(long ts) {
    return "{\"type\":\"ping\",\"ts\":" + ts + '}';
  }

  /**
   * {@code error}: the answer to a client message that could not be used.
   *
   * @param topic the topic the message named, or {@code null}
   */
  public static String error(ErrorCode code, String message, String topic, JsonMapper json) {
    ObjectNode error = json.createObjectNode().put("type", "error").put("code", code.wire());
    if (topic != null) {
      error.put("topic", topic);
    }
    error.put("message", message);
    return json.writeValueAsString(error);
  }

  /** The answer to an {@link ClientMessage.Invalid} message. */
  public static String error(ClientMessage.Invalid invalid, JsonMapper json) {
    return error(invalid.code(), invalid.message(), invalid.topic(), json);
  }
}
