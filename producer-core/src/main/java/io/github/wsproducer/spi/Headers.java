package io.github.wsproducer.spi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request's headers as {@link Handshake} and {@link HttpRequest} carry them: by lower-case name,
 * each with its values in the order they came. A transport adds each header line its server read.
 * Not thread-safe: one per request.
 */
public final class Headers {
  private final Map<String, List<String>> byName = new HashMap<>();

  /** No headers yet. */
  public Headers() {}

  /** Adds one header line; {@code name} in any case. */
  public Headers add(CharSequence name, String value) {
    byName
        .computeIfAbsent(name.toString().toLowerCase(Locale.ROOT), n -> new ArrayList<>(1))
        .add(value);
    return this;
  }

  /** The headers so far, by lower-case name; not copied. */
  public Map<String, List<String>> byName() {
    return byName;
  }
}
