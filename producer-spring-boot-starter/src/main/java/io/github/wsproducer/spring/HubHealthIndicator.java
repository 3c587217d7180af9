package io.github.wsproducer.spring;

import io.github.wsproducer.Hub;
import io.github.wsproducer.Topic;
import io.github.wsproducer.TopicStats;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The hub's health: down while any topic is stale or its source reports an error, with each topic's
 * subscribers, freshness and error in the details.
 */
final class HubHealthIndicator implements HealthIndicator {
  private final Hub hub;

  HubHealthIndicator(Hub hub) {
    this.hub = hub;
  }

  @Override
  public Health health() {
    boolean ok = true;
    Map<String, Object> topics = new LinkedHashMap<>();
    for (Topic topic : hub.topics()) {
      TopicStats s = hub.topicStats(topic.name());
      ok &= s.ok();
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("status", s.error() != null ? "error" : s.stale() ? "stale" : "ok");
      if (s.error() != null) {
        details.put("error", s.error());
      }
      details.put("subscribers", s.subscribers());
      details.put("freshAt", s.freshAt().toString());
      topics.put(topic.name(), details);
    }
    return (ok ? Health.up() : Health.down())
        .withDetail("connections", hub.stats().connections())
        .withDetail("topics", topics)
        .build();
  }
}
