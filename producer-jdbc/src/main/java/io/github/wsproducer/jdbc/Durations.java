package io.github.wsproducer.jdbc;

import java.time.Duration;
import java.util.Objects;

/** Validation of the sources' durations, with the field and the value in the message. */
final class Durations {
  private Durations() {}

  static Duration requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
    return value;
  }
}
