package io.github.wsproducer.spi;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * A source that follows what topics hold, as the screen kit's alarms follow the values behind tiles
 * with thresholds: a hub given it ({@link io.github.wsproducer.Hub.Builder#source}) tells it each
 * watched topic's whole value after every update, and once when the topic is restored from its
 * history store.
 */
public interface WatchesTopics {

  /** Whether to follow {@code topic}; asked once per topic when the hub is built. */
  boolean watches(String topic);

  /**
   * A watched topic's whole value (its state's snapshot) after an update at {@code at}. Called on
   * the topic's thread, in the order of its updates, possibly before the source is started: it must
   * return at once, must not change {@code value}, and must copy what it keeps of it, as the topic
   * changes it in place. What it throws is logged and ignored.
   */
  void changed(String topic, JsonNode value, Instant at);
}
