package io.github.wsproducer.internal;

import io.github.wsproducer.Topic;
import io.github.wsproducer.spi.HistoryStore;
import io.github.wsproducer.spi.WatchesTopics;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** A hub's topics by name, each with its engine, and the one {@code /} serves. */
final class Topics {
  private final List<Topic> topics;
  private final String defaultTopic;
  private final Map<String, TopicEngine> engines = new LinkedHashMap<>();
  private final Counters counters;

  Topics(
      List<Topic> topics,
      String defaultTopic,
      Clock clock,
      Codec codec,
      Counters counters,
      Executor executor,
      HistoryStore history,
      List<WatchesTopics> watchers) {
    this.topics = topics;
    this.defaultTopic = defaultTopic;
    this.counters = counters;
    long epoch = clock.millis();
    for (Topic topic : topics) {
      engines.put(
          topic.name(),
          new TopicEngine(
              topic,
              epoch,
              clock,
              codec,
              counters,
              executor,
              history,
              watchers.stream().filter(w -> w.watches(topic.name())).toList()));
    }
  }

  List<Topic> list() {
    return topics;
  }

  String defaultTopic() {
    return defaultTopic;
  }

  Set<String> names() {
    return engines.keySet();
  }

  boolean has(String topic) {
    return engines.containsKey(topic);
  }

  /** The engine of {@code topic}, or {@code null}. */
  TopicEngine get(String topic) {
    return engines.get(topic);
  }

  /** The engine of {@code topic}; an unknown name is the caller's bug, counted and thrown. */
  TopicEngine require(String topic) {
    TopicEngine engine = engines.get(Objects.requireNonNull(topic, "topic"));
    if (engine == null) {
      counters.errors.increment();
      throw new IllegalArgumentException("unknown topic \"" + topic + "\"; the hub has " + names());
    }
    return engine;
  }

  /** Stores a snapshot of every topic that changed since its last, for a clean stop. */
  CompletableFuture<Void> saveSnapshots() {
    return CompletableFuture.allOf(
        engines.values().stream().map(TopicEngine::saveSnapshot).toArray(CompletableFuture[]::new));
  }

  /** Announces the topics quiet since {@code now} minus their {@code staleAfter} as stale. */
  void checkStale(long now) {
    engines.values().forEach(engine -> engine.checkStale(now));
  }
}
