package io.github.wsproducer.screens;

import io.github.wsproducer.spi.DeclaredTopic;
import io.github.wsproducer.spi.SourceSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Screen files in YAML or JSON: read into a {@link ScreenFile}, or rejected naming the line and the
 * reason.
 */
final class ScreenYaml {
  // An absent boolean or number of a tile is false or 0 on every Jackson 3 (3.1, which Spring Boot
  // 4.0 brings, fails on it by default).
  static final YAMLMapper YAML =
      YAMLMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
          .build();

  private ScreenYaml() {}

  /**
   * Reads a screen file.
   *
   * @throws IllegalArgumentException naming the file, the line and the reason
   */
  static ScreenFile read(Path file) {
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Reads a screen file's text.
   *
   * @throws IllegalArgumentException naming the origin, the line and the reason
   */
  static ScreenFile parse(String text, String origin) {
    ScreenFile file;
    try {
      file = YAML.readValue(text, ScreenFile.class);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(origin + problem(e, text), e);
    }
    file.topics()
        .forEach(
            (topic, declaration) -> {
              if (!declaration.isObject()) {
                throw new IllegalArgumentException(
                    where(origin, lines(text), "/topics/" + topic)
                        + ": topic "
                        + topic
                        + " must be a map of its source and settings, such as {http: URL,"
                        + " interval: 10s}");
              }
            });
    return file;
  }

  /**
   * Where and why a file does not read: {@code , line 12: a gauge tile needs a topic}. The line is
   * that of the key or the item the problem is in, found by the path Jackson reports, as records
   * are read ahead without their places.
   */
  private static String problem(JacksonException e, String text) {
    int line = -1;
    if (!e.getPath().isEmpty()) {
      StringBuilder pointer = new StringBuilder();
      for (JacksonException.Reference r : e.getPath()) {
        pointer
            .append('/')
            .append(r.getPropertyName() != null ? r.getPropertyName() : r.getIndex());
      }
      Map<String, Integer> lines = lines(text);
      for (String p = pointer.toString(); line < 0 && !p.isEmpty(); ) {
        line = lines.getOrDefault(p, -1);
        p = p.substring(0, p.lastIndexOf('/'));
      }
    } else if (e.getLocation() != null) { // a syntax error: where the parser stopped
      line = e.getLocation().getLineNr();
    }
    String why;
    if (e instanceof UnrecognizedPropertyException unknown) {
      why =
          "unknown key \""
              + unknown.getPropertyName()
              + "\"; known keys: "
              + unknown.getKnownPropertyIds();
    } else if (e instanceof InvalidFormatException bad && bad.getTargetType().isEnum()) {
      List<Object> names = new ArrayList<>();
      for (Object constant : bad.getTargetType().getEnumConstants()) {
        names.add(YAML.valueToTree(constant).asString());
      }
      why = "\"" + bad.getValue() + "\" is not one of " + names;
    } else if (e instanceof ValueInstantiationException && e.getCause() != null) {
      why = e.getCause().getMessage();
    } else {
      why = e.getOriginalMessage();
    }
    return (line > 0 ? ", line " + line : "") + ": " + why;
  }

  /**
   * The topics a file declares, with their settings and where each is written, for {@link
   * DeclaredTopic#of}.
   */
  static List<SourceSettings> declared(
      ScreenFile file, String text, String origin, List<Object> resources) {
    Map<String, Integer> lines = lines(text);
    List<SourceSettings> declared = new ArrayList<>();
    file.topics()
        .forEach(
            (topic, declaration) -> {
              String at = "/topics/" + topic;
              Map<String, SourceSettings.Setting> settings = new LinkedHashMap<>();
              for (Map.Entry<String, JsonNode> e : declaration.properties()) {
                settings.put(
                    e.getKey(),
                    new SourceSettings.Setting(
                        e.getValue(), where(origin, lines, at + "/" + e.getKey())));
              }
              declared.add(
                  new SourceSettings(topic, where(origin, lines, at), settings, resources));
            });
    return declared;
  }

  private static String where(String origin, Map<String, Integer> lines, String pointer) {
    Integer line = lines.get(pointer);
    return line == null ? origin : origin + ", line " + line;
  }

  /** The line of every key and item of a file, by JSON Pointer. */
  private static Map<String, Integer> lines(String text) {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser parser = YAML.createParser(text)) {
      while (parser.nextToken() != null) {
        lines.putIfAbsent(
            parser.streamReadContext().pathAsPointer().toString(),
            parser.currentTokenLocation().getLineNr());
      }
    } catch (JacksonException e) {
      // what was read so far
    }
    return lines;
  }
}
