package io.github.wsproducer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * What a pushable topic accepts ({@link Topic#withShape}): a JSON object with these fields, each of
 * a type, {@code string}, {@code number}, {@code integer}, {@code boolean}, {@code object}, {@code
 * array} or {@code any}, and optional when the type ends in {@code ?}. Other fields are accepted
 * too. For a keyed topic, the shape is that of each key's value. A push that does not fit is
 * answered 422, naming the field and what was expected.
 *
 * <pre>{@code
 * Topic.of("notes", State.latest()).withShape(Shape.of(Map.of("text", "string", "by", "string?")))
 * }</pre>
 *
 * @param fields the type of each field, by name, in order
 */
public record Shape(Map<String, String> fields) {
  private static final List<String> TYPES =
      List.of("string", "number", "integer", "boolean", "object", "array", "any");

  /**
   * Checks every type.
   *
   * @throws IllegalArgumentException naming a field whose type is none of the types
   */
  public Shape {
    fields =
        Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(fields, "fields")));
    fields.forEach(
        (field, type) -> {
          if (!TYPES.contains(type.endsWith("?") ? type.substring(0, type.length() - 1) : type)) {
            throw new IllegalArgumentException(
                "field "
                    + field
                    + ": \""
                    + type
                    + "\" is not a type; write one of "
                    + TYPES
                    + ", with ? after it when the field may be left out");
          }
        });
  }

  /** An object with these fields of these types, such as {@code Map.of("text", "string")}. */
  public static Shape of(Map<String, String> fields) {
    return new Shape(fields);
  }

  /**
   * Why {@code value} does not fit, naming the field and what was expected, or {@code null} when it
   * fits.
   */
  public String problem(JsonNode value) {
    if (!value.isObject()) {
      return "the value must be a JSON object with " + fields;
    }
    for (Map.Entry<String, String> field : fields.entrySet()) {
      String type = field.getValue();
      boolean optional = type.endsWith("?");
      type = optional ? type.substring(0, type.length() - 1) : type;
      JsonNode v = value.get(field.getKey());
      if (v == null || v.isNull()) {
        if (!optional) {
          return "field \"" + field.getKey() + "\" is missing: expected " + article(type);
        }
      } else if (!fits(v, type)) {
        return "field \""
            + field.getKey()
            + "\" must be "
            + article(type)
            + ", was "
            + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
      }
    }
    return null;
  }

  private static boolean fits(JsonNode v, String type) {
    return switch (type) {
      case "string" -> v.isString();
      case "number" -> v.isNumber();
      case "integer" -> v.isIntegralNumber();
      case "boolean" -> v.isBoolean();
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      default -> true;
    };
  }

  private static String article(String type) {
    return switch (type) {
      case "integer", "object", "array" -> "an " + type;
      case "any" -> "a value";
      default -> "a " + type;
    };
  }
}
