package io.github.wsproducer.bench;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * What one run measured. The message figures cover the measured window, after the warm-up; the
 * connect figures cover the connection phase. Histograms travel as compressed base64 so that
 * results of several processes can be merged.
 */
record LoadResult(
    int connections,
    int connected,
    long messages,
    double seconds,
    long gaps,
    double cpuSeconds,
    double connectSeconds,
    String latencyMicros,
    String firstFrameMicros) {

  double framesPerSecond() {
    return messages / seconds;
  }

  double p50Ms() {
    return percentileMs(latencyMicros, 50);
  }

  double p99Ms() {
    return percentileMs(latencyMicros, 99);
  }

  double p999Ms() {
    return percentileMs(latencyMicros, 99.9);
  }

  /** Time from starting a connection to its first frame (a snapshot where the system has one). */
  double firstFrameMs(double percentile) {
    return percentileMs(firstFrameMicros, percentile);
  }

  /** How many connections received a first frame. */
  long firstFrames() {
    return decode(firstFrameMicros).getTotalCount();
  }

  /** The results of processes that shared one run, as one. */
  static LoadResult merge(List<LoadResult> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    Histogram latency = new Histogram(MAX_MICROS, 3);
    Histogram first = new Histogram(MAX_MICROS, 3);
    int connections = 0;
    int connected = 0;
    long messages = 0;
    long gaps = 0;
    double seconds = 0;
    double cpu = 0;
    double connect = 0;
    for (LoadResult r : parts) {
      connections += r.connections;
      connected += r.connected;
      messages += r.messages;
      gaps += r.gaps;
      seconds = Math.max(seconds, r.seconds);
      cpu += r.cpuSeconds;
      connect = Math.max(connect, r.connectSeconds);
      latency.add(decode(r.latencyMicros));
      first.add(decode(r.firstFrameMicros));
    }
    return new LoadResult(
        connections,
        connected,
        messages,
        seconds,
        gaps,
        cpu,
        connect,
        encode(latency),
        encode(first));
  }

  private static double percentileMs(String histogram, double percentile) {
    Histogram h = decode(histogram);
    return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
  }

  /** Latency bound of the histograms. */
  static final long MAX_MICROS = 60_000_000L;

  static String encode(Histogram h) {
    ByteBuffer b = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int n = h.encodeIntoCompressedByteBuffer(b);
    return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(b.array(), n));
  }

  static Histogram decode(String base64) {
    try {
      return Histogram.decodeFromCompressedByteBuffer(
          ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("not an encoded histogram", e);
    }
  }

  static String describe(LoadResult r) {
    return String.format(
        Locale.ROOT,
        "%d/%d connected in %.2f s, first frame p50 %.1f ms and p99 %.1f ms, %.0f frames/s,"
            + " p50 %.2f ms, p99 %.2f ms, p999 %.2f ms",
        r.connected(),
        r.connections(),
        r.connectSeconds(),
        r.firstFrameMs(50),
        r.firstFrameMs(99),
        r.framesPerSecond(),
        r.p50Ms(),
        r.p99Ms(),
        r.p999Ms());
  }
}
