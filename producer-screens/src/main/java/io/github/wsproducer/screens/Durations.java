package io.github.wsproducer.screens;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Periods as screen files write them: {@code 500ms}, {@code 30s}, {@code 15m}, {@code 2h}. */
final class Durations {
  private static final Pattern PERIOD = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  private Durations() {}

  static Duration parse(String what, String period) {
    Matcher m = PERIOD.matcher(period);
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new IllegalArgumentException(
          what + " must be a period such as 30s, 15m or 2h, was \"" + period + "\"");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /** Checks a period that may be absent. */
  static void check(String what, String period) {
    if (period != null) {
      parse(what, period);
    }
  }
}
