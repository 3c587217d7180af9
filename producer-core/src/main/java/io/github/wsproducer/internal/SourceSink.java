package io.github.wsproducer.internal;

import io.github.wsproducer.Hub;
import io.github.wsproducer.UpdateSink;
import io.github.wsproducer.UpdateSource;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink a hub gives one of its sources. A call naming a topic the hub lacks is a bug in the
 * source (a typo), and a quiet one: besides failing and being counted as {@link UpdateSink} and the
 * hub say, it is logged with the source and shown as an error on the topics the source declared.
 */
final class SourceSink implements UpdateSink {
  private static final Logger log = LoggerFactory.getLogger(SourceSink.class);

  /** Unknown topics logged per source; a source inventing names must not flood the log. */
  private static final int MAX_LOGGED = 16;

  static final String SOURCE_ERROR = "source error";

  private final Hub hub;
  private final Topics topics;
  private final Clock clock;
  private final UpdateSource source;
  private final Set<String> logged = ConcurrentHashMap.newKeySet();

  SourceSink(Hub hub, Topics topics, Clock clock, UpdateSource source) {
    this.clock = clock;
    this.hub = hub;
    this.topics = topics;
    this.source = source;
  }

  @Override
  public void publish(String topic, Object value) {
    requireKnown(topic);
    hub.publish(topic, value);
  }

  @Override
  public void replace(String topic, Object value) {
    requireKnown(topic);
    hub.replace(topic, value);
  }

  @Override
  public void publishAt(String topic, Object value, Instant at) {
    requireKnown(topic);
    hub.publishAt(topic, value, at);
  }

  @Override
  public void heartbeat(String topic) {
    requireKnown(topic);
    hub.heartbeat(topic);
  }

  @Override
  public void reportError(String topic, String message) {
    requireKnown(topic);
    hub.reportError(topic, message);
  }

  @Override
  public boolean isWatched(String topic) {
    requireKnown(topic);
    return hub.isWatched(topic);
  }

  @Override
  public Clock clock() {
    return clock;
  }

  /** Tells of an unknown topic; the hub's own call then fails and counts it. */
  private void requireKnown(String topic) {
    if (topic == null || topics.has(topic)) {
      return;
    }
    if (logged.size() < MAX_LOGGED && logged.add(topic)) {
      log.error(
          "source {} used topic \"{}\", which the hub lacks; it has {}",
          source,
          topic,
          topics.names());
      for (String own : source.topics()) {
        if (topics.has(own)) {
          hub.reportError(own, SOURCE_ERROR);
        }
      }
    }
  }

  @Override
  public String toString() {
    return "sink of " + source;
  }
}
