package io.github.wsproducer.history;

import io.github.wsproducer.spi.HistoryStore.Entry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An entry as the file keeps it: its epoch, seq and time, the length of its data in chars (for
 * {@link Entry#bytes()} without decoding it), then its data in UTF-8.
 */
final class Entries {
  private static final int HEADER = 3 * Long.BYTES + Integer.BYTES;

  private Entries() {}

  static byte[] encode(Entry entry) {
    byte[] data = entry.data().getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(HEADER + data.length)
        .putLong(entry.epoch())
        .putLong(entry.seq())
        .putLong(entry.ts())
        .putInt(entry.data().length())
        .put(data)
        .array();
  }

  static Entry decode(byte[] kept) {
    ByteBuffer in = ByteBuffer.wrap(kept);
    return new Entry(
        in.getLong(),
        in.getLong(),
        in.getLong(),
        new String(kept, HEADER, kept.length - HEADER, StandardCharsets.UTF_8));
  }

  static long ts(byte[] kept) {
    return ByteBuffer.wrap(kept).getLong(2 * Long.BYTES);
  }

  /** {@link Entry#bytes()} of a kept entry. */
  static long bytes(byte[] kept) {
    return 32L + ByteBuffer.wrap(kept).getInt(3 * Long.BYTES);
  }

  /** {@link Entry#isAfter} of a kept entry. */
  static boolean isAfter(byte[] kept, Entry other) {
    ByteBuffer in = ByteBuffer.wrap(kept);
    long epoch = in.getLong();
    long seq = in.getLong();
    return epoch != other.epoch() ? epoch > other.epoch() : seq > other.seq();
  }
}
