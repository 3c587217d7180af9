package io.github.wsproducer;

import io.github.wsproducer.protocol.Checksum;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** A JSON object merged from partial objects; a {@code null} field removes its key. */
final class KeyedState implements State {
  private final ObjectNode entries = JsonNodeFactory.instance.objectNode();
  private int sum; // Checksum: the sum of the entries' hashes

  @Override
  public String kind() {
    return "keyed";
  }

  @Override
  public JsonNode apply(JsonNode value) {
    requireObject(value);
    return merge(value);
  }

  /** The value is every key there is: keys it lacks are removed too. */
  @Override
  public JsonNode replace(JsonNode value) {
    requireObject(value);
    ObjectNode all = JsonNodeFactory.instance.objectNode();
    for (String key : entries.propertyNames()) {
      if (!value.has(key)) {
        all.putNull(key);
      }
    }
    all.setAll((ObjectNode) value);
    return merge(all);
  }

  private static void requireObject(JsonNode value) {
    if (!value.isObject()) {
      throw new IllegalArgumentException(
          "a keyed topic takes JSON objects of changed keys, got " + value.getNodeType());
    }
  }

  private JsonNode merge(JsonNode value) {
    ObjectNode changed = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> field : value.properties()) {
      String key = field.getKey();
      JsonNode next = field.getValue();
      JsonNode previous = next.isNull() ? entries.remove(key) : entries.replace(key, next);
      if (previous != null) {
        sum -= Checksum.entry(key, previous);
      }
      if (!next.isNull()) {
        sum += Checksum.entry(key, next);
      }
      if (!next.equals(previous) && !(next.isNull() && previous == null)) {
        changed.set(key, next);
      }
    }
    return changed.isEmpty() ? null : changed;
  }

  @Override
  public JsonNode snapshot() {
    return entries;
  }

  @Override
  public long checksum() {
    return Integer.toUnsignedLong(sum);
  }
}
