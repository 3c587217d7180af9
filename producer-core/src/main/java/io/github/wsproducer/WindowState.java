package io.github.wsproducer;

import io.github.wsproducer.protocol.Checksum;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** The last {@code size} values, oldest first. */
final class WindowState implements State {
  private final int size;
  private final ArrayNode events = JsonNodeFactory.instance.arrayNode();
  private int sum; // Checksum: the sum of the events' hashes

  WindowState(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("window size must be at least 1, was " + size);
    }
    this.size = size;
  }

  @Override
  public String kind() {
    return "window";
  }

  @Override
  public JsonNode apply(JsonNode value) {
    events.add(value);
    sum += Checksum.of(value);
    if (events.size() > size) {
      sum -= Checksum.of(events.remove(0));
    }
    return value;
  }

  @Override
  public void restore(JsonNode snapshot) {
    if (!snapshot.isArray()) {
      throw new IllegalArgumentException("a window's snapshot is an array, was " + snapshot);
    }
    snapshot.forEach(this::apply);
  }

  @Override
  public JsonNode snapshot() {
    return events;
  }

  @Override
  public long checksum() {
    return Integer.toUnsignedLong(sum);
  }

  @Override
  public int capacity() {
    return size;
  }
}
