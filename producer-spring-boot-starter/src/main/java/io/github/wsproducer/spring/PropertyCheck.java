package io.github.wsproducer.spring;

import java.util.function.Supplier;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;

/**
 * Turns the library's own validation errors into ones that name the property and the value as the
 * user wrote it, which Spring Boot reports at startup with where the value came from.
 */
final class PropertyCheck {
  private final Environment env;

  PropertyCheck(Environment env) {
    this.env = env;
  }

  /**
   * Runs {@code step}, which applies {@code property}'s bound {@code value}.
   *
   * @throws InvalidConfigurationPropertyValueException if the step refuses it
   */
  <T> T check(String property, Object value, Supplier<T> step) {
    try {
      return step.get();
    } catch (IllegalArgumentException e) {
      throw invalid(property, value, e.getMessage());
    }
  }

  /** An error naming {@code property}, its value as written if the environment has it, and why. */
  InvalidConfigurationPropertyValueException invalid(String property, Object value, String why) {
    String written = env.getProperty(property);
    return new InvalidConfigurationPropertyValueException(
        property, written != null ? written : value, why);
  }
}
