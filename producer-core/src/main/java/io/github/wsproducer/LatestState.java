package io.github.wsproducer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/** The snapshot is the latest value. */
final class LatestState implements State {
  private JsonNode latest = NullNode.getInstance();

  @Override
  public String kind() {
    return "latest";
  }

  @Override
  public JsonNode apply(JsonNode value) {
    latest = value;
    return value;
  }

  @Override
  public JsonNode snapshot() {
    return latest;
  }
}
