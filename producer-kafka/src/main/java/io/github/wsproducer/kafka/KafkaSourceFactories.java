package io.github.wsproducer.kafka;

import io.github.wsproducer.State;
import io.github.wsproducer.UpdateSource;
import io.github.wsproducer.spi.SourceFactory;
import io.github.wsproducer.spi.SourceSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The kinds {@code kafka-lag} and {@code kafka-topic} of declared sources. */
final class KafkaSourceFactories {
  private static final Logger log = LoggerFactory.getLogger(KafkaSourceFactories.class);

  /** How long a declared kafka-lag source waits for the cluster to check its groups. */
  private static final Duration CHECK = Duration.ofSeconds(5);

  private KafkaSourceFactories() {}

  /**
   * {@code kafka-lag: [GROUP, ...]}, with {@code bootstrap}, {@code group-pattern}, {@code window}.
   */
  public static final class Lag implements SourceFactory {
    @Override
    public String kind() {
      return "kafka-lag";
    }

    @Override
    public State state(SourceSettings settings) {
      return State.keyed();
    }

    @Override
    public UpdateSource create(SourceSettings s) {
      KafkaLagSource.Builder b = KafkaLagSource.builder(s.topic(), bootstrap(s));
      List<String> groups = s.strings("kafka-lag");
      Optional<String> pattern = s.optionalString("group-pattern");
      long window = s.integer("window", 10, 2, 1000);
      Duration interval = s.duration("interval", null);
      Duration timeout = s.duration("timeout", null);
      Duration maxBackoff = s.duration("max-backoff", null);
      client(s, b::property);
      try {
        b.groups(groups.toArray(String[]::new)).window((int) window);
        pattern.ifPresent(b::groupPattern);
        if (interval != null) {
          b.interval(interval);
        }
        if (timeout != null) {
          b.timeout(timeout);
        }
        if (maxBackoff != null) {
          b.maxBackoff(maxBackoff);
        }
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw s.problem(null, e.getMessage());
      }
      KafkaLagSource source;
      try {
        source = b.build();
      } catch (IllegalStateException e) {
        throw s.problem(null, e.getMessage());
      }
      requireKnownGroups(s, source);
      return source;
    }

    /**
     * A group name that the cluster does not know is a typo, refused naming its line; a cluster
     * that does not answer now cannot tell, and the source starts all the same (its topic then says
     * so).
     */
    private static void requireKnownGroups(SourceSettings s, KafkaLagSource source) {
      Set<String> unknown;
      try {
        unknown = source.unknownGroups(CHECK);
      } catch (Kafka.Failure e) {
        log.warn(
            "topic {}: its consumer groups could not be checked ({}); it starts all the same",
            s.topic(),
            e.getMessage());
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (!unknown.isEmpty()) {
        source.close();
        throw s.problem(
            "kafka-lag",
            "the cluster has no consumer group "
                + String.join(", ", unknown)
                + " (a group is known once it committed an offset)");
      }
    }
  }

  /**
   * {@code kafka-topic: TOPIC}, with {@code bootstrap}, {@code last}, {@code key}, {@code
   * commit-to}.
   */
  public static final class Tail implements SourceFactory {
    @Override
    public String kind() {
      return "kafka-topic";
    }

    @Override
    public State state(SourceSettings settings) {
      return settings.has("key")
          ? State.keyed()
          : State.window((int) settings.integer("last", 50, 1, 100_000));
    }

    @Override
    public UpdateSource create(SourceSettings s) {
      String topic = s.string("kafka-topic");
      String bootstrap = bootstrap(s);
      long last = s.integer("last", 50, 0, 100_000);
      Optional<String> key = s.optionalString("key");
      Optional<String> group = s.optionalString("commit-to");
      Duration timeout = s.duration("timeout", null);
      Duration maxBackoff = s.duration("max-backoff", null);
      try {
        KafkaTopicSource.Builder b =
            KafkaTopicSource.builder(s.topic(), bootstrap, topic).last((int) last);
        key.ifPresent(b::key);
        group.ifPresent(b::commitTo);
        if (timeout != null) {
          b.timeout(timeout);
        }
        if (maxBackoff != null) {
          b.maxBackoff(maxBackoff);
        }
        client(s, b::property);
        return b.build();
      } catch (IllegalArgumentException e) {
        throw s.problem(null, e.getMessage());
      }
    }
  }

  private static String bootstrap(SourceSettings s) {
    String bootstrap = s.string("bootstrap");
    try {
      return Kafka.requireBootstrap(bootstrap);
    } catch (IllegalArgumentException e) {
      throw s.problem("bootstrap", e.getMessage());
    }
  }

  /** The client's own properties, and its JAAS configuration (with a password) as a secret. */
  private static void client(SourceSettings s, BiConsumer<String, String> property) {
    Map<String, String> properties = s.map("properties");
    if (properties.containsKey("sasl.jaas.config")) {
      throw s.problem(
          "properties",
          "write no secret here: name a file with jaas-config-file or an environment variable"
              + " with jaas-config-env");
    }
    properties.forEach(property);
    s.secret("jaas-config").ifPresent(jaas -> property.accept("sasl.jaas.config", jaas));
  }
}
