package io.github.wsproducer.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * The bytes of HTTP request bodies a hub may hold while they arrive, in all and per client address:
 * a body is counted from its admission, before its first byte is read, until it is served or
 * dropped. Thousands of half-sent bodies thus cost a few refusals, not the heap or direct memory.
 * Thread-safe.
 */
final class BodyBudget {
  /** Bytes of request bodies held at once, in all. */
  static final long TOTAL = 16L << 20;

  /** Bytes of request bodies held at once for one client address. */
  static final long PER_ADDRESS = 1L << 20;

  private final long total;
  private final long perAddress;
  private long used; // guarded by this
  private final Map<String, Long> byAddress = new HashMap<>(); // guarded by this

  /** The budgets for bodies of at most {@code maxBody} bytes: never below one such body. */
  BodyBudget(long maxBody) {
    this.perAddress = Math.max(PER_ADDRESS, maxBody);
    this.total = Math.max(TOTAL, 16 * maxBody);
  }

  /** Takes {@code bytes} for {@code address}; whether there was room. */
  synchronized boolean take(String address, long bytes) {
    long mine = byAddress.getOrDefault(address, 0L);
    if (used + bytes > total || mine + bytes > perAddress) {
      return false;
    }
    used += bytes;
    byAddress.put(address, mine + bytes);
    return true;
  }

  /** Gives back what {@link #take} took. */
  synchronized void giveBack(String address, long bytes) {
    used -= bytes;
    byAddress.computeIfPresent(address, (a, mine) -> mine == bytes ? null : mine - bytes);
  }

  /** The bytes held now, in all. */
  synchronized long used() {
    return used;
  }
}
