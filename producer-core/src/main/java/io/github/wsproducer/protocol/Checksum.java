package io.github.wsproducer.protocol;

import tools.jackson.databind.JsonNode;

/**
 * The checksum of a topic's state that updates of {@code keyed} and {@code window} topics carry
 * ({@code sum}): a client computes the same over the state it folded and asks for a snapshot when
 * the two differ. It is defined on JSON values as any client parses them, so that every language
 * computes it alike (docs/protocol.md, "Checksums"):
 *
 * <ul>
 *   <li>a value's hash is 32-bit FNV-1a over a stream of 16-bit units: {@code n}, {@code t} or
 *       {@code f} for null, true and false; {@code d} and the four units of a number's IEEE 754
 *       double, most significant first; {@code s}, the length (two units) and the UTF-16 units of a
 *       string; {@code a}, the length and each element of an array; {@code o} and (two units) the
 *       sum of an object's entry hashes, so that the order of keys does not matter;
 *   <li>an entry's hash is a key's string hash continued with its value's;
 *   <li>a keyed state's checksum is the sum of its entries' hashes, a window's the sum of its
 *       values' hashes, modulo 2<sup>32</sup>: the states keep them as they fold.
 * </ul>
 */
public final class Checksum {
  private static final int OFFSET = 0x811c9dc5;
  private static final int PRIME = 0x01000193;

  private Checksum() {}

  /** The hash of one value: a window state's term. */
  public static int of(JsonNode value) {
    return hash(OFFSET, value);
  }

  /** The hash of one key and its value: a keyed state's term. */
  public static int entry(String key, JsonNode value) {
    return hash(string(OFFSET, key), value);
  }

  private static int unit(int h, int unit) {
    return (h ^ unit) * PRIME;
  }

  private static int twoUnits(int h, int n) {
    return unit(unit(h, n >>> 16), n & 0xffff);
  }

  private static int string(int h, String s) {
    h = twoUnits(unit(h, 's'), s.length());
    for (int i = 0; i < s.length(); i++) {
      h = unit(h, s.charAt(i));
    }
    return h;
  }

  private static int hash(int h, JsonNode value) {
    switch (value.getNodeType()) {
      case BOOLEAN:
        return unit(h, value.booleanValue() ? 't' : 'f');
      case NUMBER:
        // The double a client's parser makes of the number's text, whatever Java type holds it.
        long bits = Double.doubleToRawLongBits(Double.parseDouble(value.numberValue().toString()));
        h = unit(h, 'd');
        for (int shift = 48; shift >= 0; shift -= 16) {
          h = unit(h, (int) (bits >>> shift) & 0xffff);
        }
        return h;
      case STRING:
        return string(h, value.stringValue());
      case ARRAY:
        h = twoUnits(unit(h, 'a'), value.size());
        for (JsonNode element : value) {
          h = hash(h, element);
        }
        return h;
      case OBJECT:
        int sum = 0;
        for (var field : value.properties()) {
          sum += entry(field.getKey(), field.getValue());
        }
        return twoUnits(unit(h, 'o'), sum);
      default: // null, missing
        return unit(h, 'n');
    }
  }
}
