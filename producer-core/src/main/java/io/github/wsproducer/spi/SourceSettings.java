package io.github.wsproducer.spi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The settings of a topic declared in configuration (a screen file's {@code topics:} section,
 * Spring properties), read by {@link DeclaredTopic} and the {@link SourceFactory} of its kind.
 * Every read checks the value and, when it is wrong, throws an error that names where it is written
 * ({@code screens.yaml, line 12}) and why; a setting nothing reads is refused the same way, so that
 * a typo never passes silently.
 *
 * <p>Secrets are never written in configuration: {@link #secret} reads a value from a file or an
 * environment variable that the configuration names, and refuses the value itself.
 */
public final class SourceSettings {
  private static final Pattern PERIOD = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  /**
   * One setting.
   *
   * @param value a string, a number, a boolean, a list or a map, as JSON
   * @param where where it is written, for messages: {@code screens.yaml, line 12} or {@code
   *     wsproducer.topics.jobs.http}
   */
  public record Setting(JsonNode value, String where) {
    /** Checks that both are there. */
    public Setting {
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(where, "where");
    }
  }

  private final String topic;
  private final String where;
  private final Map<String, Setting> settings;
  private final List<Object> resources;
  private final Set<String> read = new LinkedHashSet<>();

  /**
   * The settings of one topic.
   *
   * @param where where the topic is declared, for messages about it as a whole
   * @param resources what the application offers its declared sources, such as a {@code DataSource}
   *     for {@code sql}
   */
  public SourceSettings(
      String topic, String where, Map<String, Setting> settings, Collection<?> resources) {
    this.topic = Objects.requireNonNull(topic, "topic");
    this.where = Objects.requireNonNull(where, "where");
    this.settings = new LinkedHashMap<>(settings);
    this.resources = List.copyOf(resources);
  }

  /** The topic declared. */
  public String topic() {
    return topic;
  }

  /** The keys written, in order. */
  public Set<String> keys() {
    return settings.keySet();
  }

  /** Whether {@code key} is written. */
  public boolean has(String key) {
    return settings.containsKey(key);
  }

  /**
   * An error about a setting, naming where it is written: {@code screens.yaml, line 12: topic jobs:
   * url: why}; about the topic as a whole when {@code key} is {@code null}.
   */
  public IllegalArgumentException problem(String key, String why) {
    Setting setting = key == null ? null : settings.get(key);
    return new IllegalArgumentException(
        (setting != null ? setting.where() : where)
            + ": topic "
            + topic
            + ": "
            + (key == null ? "" : key + ": ")
            + why);
  }

  private Optional<JsonNode> value(String key) {
    read.add(key);
    Setting setting = settings.get(key);
    return setting == null || setting.value().isNull()
        ? Optional.empty()
        : Optional.of(setting.value());
  }

  /**
   * A text setting that must be written.
   *
   * @throws IllegalArgumentException if it is absent, empty or not text
   */
  public String string(String key) {
    return optionalString(key).orElseThrow(() -> problem(null, "needs " + key));
  }

  /** A text setting that may be absent; a number or a boolean reads as its text. */
  public Optional<String> optionalString(String key) {
    Optional<JsonNode> value = value(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    JsonNode node = value.get();
    if (!node.isValueNode()) {
      throw problem(key, "must be text, was " + node);
    }
    String text = node.asString();
    if (text.isBlank()) {
      throw problem(key, "must not be empty");
    }
    return Optional.of(text);
  }

  /**
   * A period such as {@code 500ms}, {@code 30s}, {@code 15m}, {@code 2h}, {@code 1d} (or ISO-8601,
   * {@code PT30S}); {@code fallback} when absent.
   */
  public Duration duration(String key, Duration fallback) {
    Optional<String> text = optionalString(key);
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      return period(text.get());
    } catch (IllegalArgumentException e) {
      throw problem(key, e.getMessage());
    }
  }

  /**
   * Reads a positive period such as {@code 500ms}, {@code 30s}, {@code 15m}, {@code 2h}, {@code
   * 1d}, or ISO-8601 ({@code PT30S}).
   *
   * @throws IllegalArgumentException saying what it must be
   */
  public static Duration period(String text) {
    Matcher m = PERIOD.matcher(text);
    Duration period = null;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      period =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
    } else if (text.startsWith("P") || text.startsWith("p")) {
      try {
        period = Duration.parse(text);
      } catch (DateTimeParseException e) {
        // said below
      }
    }
    if (period == null || period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException(
          "must be a period such as 30s, 15m or 2h, was \"" + text + "\"");
    }
    return period;
  }

  /** A whole number from {@code min} to {@code max}; {@code fallback} when absent. */
  public long integer(String key, long fallback, long min, long max) {
    Optional<JsonNode> value = value(key);
    if (value.isEmpty()) {
      return fallback;
    }
    JsonNode node = value.get();
    long n;
    if (node.isIntegralNumber()) {
      n = node.asLong();
    } else {
      try {
        n = Long.parseLong(node.asString().trim());
      } catch (NumberFormatException e) {
        throw problem(key, "must be a whole number, was " + node);
      }
    }
    if (n < min || n > max) {
      throw problem(key, "must be from " + min + " to " + max + ", was " + n);
    }
    return n;
  }

  /** {@code true} or {@code false}; {@code fallback} when absent. */
  public boolean bool(String key, boolean fallback) {
    Optional<String> text = optionalString(key);
    if (text.isEmpty()) {
      return fallback;
    }
    return switch (text.get()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw problem(key, "must be true or false, was \"" + text.get() + "\"");
    };
  }

  /**
   * A list of texts, written as a list, or as one text with commas between them (as properties
   * write lists); empty when absent.
   */
  public List<String> strings(String key) {
    Optional<JsonNode> value = value(key);
    List<String> texts = new ArrayList<>();
    if (value.isEmpty()) {
      return texts;
    }
    JsonNode node = value.get();
    if (node.isValueNode()) {
      for (String text : node.asString().split(",")) {
        if (!text.isBlank()) {
          texts.add(text.trim());
        }
      }
    } else if (node.isArray()) {
      for (JsonNode item : node) {
        if (!item.isValueNode() || item.asString().isBlank()) {
          throw problem(key, "must be a list of texts, was " + node);
        }
        texts.add(item.asString());
      }
    } else {
      throw problem(key, "must be a text or a list of texts, was " + node);
    }
    return texts;
  }

  /** A map of texts, in order; empty when absent. */
  public Map<String, String> map(String key) {
    Optional<JsonNode> value = value(key);
    Map<String, String> map = new LinkedHashMap<>();
    if (value.isEmpty()) {
      return map;
    }
    JsonNode node = value.get();
    if (!node.isObject()) {
      throw problem(key, "must be a map, such as {name: value}, was " + node);
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isValueNode()) {
        throw problem(key, e.getKey() + " must be text, was " + e.getValue());
      }
      map.put(e.getKey(), e.getValue().asString());
    }
    return map;
  }

  /**
   * A secret, read from the file that {@code <key>-file} names or the environment variable that
   * {@code <key>-env} names, trimmed; empty when neither is written.
   *
   * @throws IllegalArgumentException if {@code key} itself is written (a secret in the
   *     configuration), both are, or the file or variable is missing or empty; never with the
   *     secret in the message
   */
  public Optional<String> secret(String key) {
    if (settings.containsKey(key)) {
      throw problem(
          key,
          "write no secret here: name a file with "
              + key
              + "-file or an environment variable with "
              + key
              + "-env");
    }
    Optional<String> file = optionalString(key + "-file");
    Optional<String> env = optionalString(key + "-env");
    if (file.isPresent() && env.isPresent()) {
      throw problem(key + "-env", "write " + key + "-file or " + key + "-env, not both");
    }
    String secret;
    if (file.isPresent()) {
      try {
        secret = Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).trim();
      } catch (IOException | RuntimeException e) {
        throw problem(
            key + "-file", "cannot read " + file.get() + " (" + e.getClass().getSimpleName() + ")");
      }
    } else if (env.isPresent()) {
      secret = System.getenv(env.get());
      if (secret == null) {
        throw problem(key + "-env", "the environment variable " + env.get() + " is not set");
      }
      secret = secret.trim();
    } else {
      return Optional.empty();
    }
    if (secret.isEmpty()) {
      throw problem(
          file.isPresent() ? key + "-file" : key + "-env", file.orElseGet(env::get) + " is empty");
    }
    return Optional.of(secret);
  }

  /**
   * What the application offers declared sources, such as the {@code DataSource} of {@code sql}.
   *
   * @param what what it is for, in the message when it is missing
   * @throws IllegalArgumentException if the application offers none
   */
  public <T> T resource(Class<T> type, String what) {
    for (Object resource : resources) {
      if (type.isInstance(resource)) {
        return type.cast(resource);
      }
    }
    throw problem(
        null,
        "needs " + what + " (a " + type.getName() + "), which the application offers none of");
  }

  /**
   * Refuses the settings nothing read: a typo, or a setting of another kind.
   *
   * @throws IllegalArgumentException naming the first and the keys that are read
   */
  void requireAllRead() {
    for (String key : settings.keySet()) {
      if (!read.contains(key)) {
        throw problem(
            key, "unknown setting; known here: " + String.join(", ", new TreeSet<>(read)));
      }
    }
  }
}
