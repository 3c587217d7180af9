package io.github.wsproducer.spi;

import io.github.wsproducer.Shape;
import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import io.github.wsproducer.UpdateSink;
import io.github.wsproducer.UpdateSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * A topic declared in configuration, with the source that feeds it: read from a topic's {@link
 * SourceSettings} by {@link #of}.
 *
 * <p>The settings every declared topic has, besides its source's own: exactly one source kind
 * ({@code http: URL}, {@code sql: QUERY}, ... as the modules on the class path offer them), and
 * optionally {@code state} ({@code latest}, {@code keyed} or {@code window}, with {@code size}, 50
 * by default; otherwise the kind's choice), {@code stale-after}, {@code retention} and {@code
 * retention-bytes}.
 *
 * <p>A topic that programs push to over HTTP instead has {@code push:} with the {@link Shape} its
 * pushes must have, such as {@code push: {text: string}}, or {@code push: {}} for any object; the
 * hub takes pushes to it from its pushers ({@link io.github.wsproducer.Hub.Builder#push}).
 *
 * @param topic the topic to add to the hub
 * @param source its source
 * @param pushed whether the hub takes pushes to it
 */
public record DeclaredTopic(Topic topic, UpdateSource source, boolean pushed) {

  /** The kind of a topic fed by HTTP pushes: {@code push: SHAPE}. */
  public static final String PUSH = "push";

  /** Checks that both are there. */
  public DeclaredTopic {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(source, "source");
  }

  /** A topic fed by {@code source}. */
  public DeclaredTopic(Topic topic, UpdateSource source) {
    this(topic, source, false);
  }

  /**
   * Reads a topic's declaration and makes its source with the {@link SourceFactory} of its kind.
   *
   * @throws IllegalArgumentException naming where the declaration is wrong: no kind or two, a kind
   *     no module offers, a setting that is wrong or that nothing reads
   */
  public static DeclaredTopic of(SourceSettings settings) {
    try {
      Topic.requireValidName(settings.topic());
    } catch (IllegalArgumentException e) {
      throw settings.problem(null, e.getMessage());
    }
    Map<String, SourceFactory> factories = factories();
    List<String> kinds = new ArrayList<>();
    for (String key : settings.keys()) {
      if (factories.containsKey(key) || KNOWN_KINDS.containsKey(key) || key.equals(PUSH)) {
        kinds.add(key);
      }
    }
    if (kinds.size() != 1) {
      throw settings.problem(
          null,
          (kinds.isEmpty() ? "says no source" : "says two sources, " + kinds)
              + "; write one of "
              + kinds());
    }
    String kind = kinds.get(0);
    if (kind.equals(PUSH)) {
      return pushed(settings);
    }
    SourceFactory factory = factories.get(kind);
    if (factory == null) {
      throw settings.problem(
          kind,
          "a source of kind " + kind + " needs " + KNOWN_KINDS.get(kind) + " on the class path");
    }
    State state = state(settings, factory);
    UpdateSource source = factory.create(settings);
    return new DeclaredTopic(common(settings, Topic.of(settings.topic(), state)), source);
  }

  /** {@code topic} with the settings every declared topic has; then checks that all were read. */
  private static Topic common(SourceSettings settings, Topic topic) {
    Duration staleAfter = settings.duration("stale-after", null);
    if (staleAfter != null) {
      topic = topic.withStaleAfter(staleAfter);
    }
    topic =
        topic.withRetention(
            settings.duration("retention", topic.retention()),
            settings.integer("retention-bytes", topic.retentionBytes(), 1024, Long.MAX_VALUE));
    settings.requireAllRead();
    return topic;
  }

  /** The modules that offer the kinds this library has, for a message when one is missing. */
  private static final Map<String, String> KNOWN_KINDS =
      Map.of(
          "sql", "producer-jdbc",
          "http", "producer-http",
          "prometheus", "producer-http",
          "kafka-lag", "producer-kafka",
          "kafka-topic", "producer-kafka");

  /** A topic fed by pushes of the shape {@code push:} gives; latest unless it says. */
  private static DeclaredTopic pushed(SourceSettings settings) {
    Shape shape;
    try {
      shape = Shape.of(settings.map(PUSH));
    } catch (IllegalArgumentException e) {
      throw settings.problem(PUSH, e.getMessage());
    }
    Topic topic = common(settings, Topic.of(settings.topic(), state(settings, null)));
    UpdateSource none =
        new UpdateSource() {
          @Override
          public void start(UpdateSink sink) {}

          @Override
          public void close() {}

          @Override
          public String toString() {
            return "pushes to " + settings.topic();
          }
        };
    return new DeclaredTopic(topic.withShape(shape), none, true);
  }

  private static State state(SourceSettings settings, SourceFactory factory) {
    String name = settings.optionalString("state").orElse(null);
    if (name == null) {
      return factory == null ? State.latest() : factory.state(settings);
    }
    return switch (name) {
      case "latest" -> State.latest();
      case "keyed" -> State.keyed();
      case "window" -> State.window((int) settings.integer("size", 50, 1, 100_000));
      default ->
          throw settings.problem("state", "must be latest, keyed or window, was \"" + name + "\"");
    };
  }

  private static Map<String, SourceFactory> factories() {
    Map<String, SourceFactory> factories = new TreeMap<>();
    for (SourceFactory factory : ServiceLoader.load(SourceFactory.class)) {
      factories.putIfAbsent(factory.kind(), factory);
    }
    return factories;
  }

  /** The kinds known, offered or not. */
  private static String kinds() {
    TreeMap<String, String> all = new TreeMap<>(KNOWN_KINDS);
    factories().keySet().forEach(kind -> all.putIfAbsent(kind, ""));
    return String.join(", ", all.keySet());
  }
}
