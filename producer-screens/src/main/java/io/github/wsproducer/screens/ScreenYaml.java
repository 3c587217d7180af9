package io.github.wsproducer.screens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationFeature;
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
    try {
      return YAML.readValue(text, ScreenFile.class);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(origin + problem(e, text), e);
    }
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
