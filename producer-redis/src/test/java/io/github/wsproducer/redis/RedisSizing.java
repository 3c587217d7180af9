package io.github.wsproducer.redis;

import io.github.wsproducer.Hub;
import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import io.github.wsproducer.UpdateSink;
import io.github.wsproducer.UpdateSource;
import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.spi.Handshake;
import io.github.wsproducer.spi.Outbound;
import io.github.wsproducer.spi.TextFrame;
import io.github.wsproducer.testkit.RecordingOutbound;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Measures what one replicated topic sustains on this machine, for docs/scaling.md: a producing
 * node publishes as fast as it can, and a second node's subscriber records when each value arrives.
 * Not a test; run it by hand (see docs/scaling.md). Prints one line per round and the medians.
 */
public final class RedisSizing {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  public static void main(String[] args) throws Exception {
    String redis = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
    int payload = 200;
    int rounds = 5;
    round(redis, 20_000, 0, payload); // warm-up, not reported
    for (int rate : new int[] {1_000, 5_000, 20_000, 0}) {
      double[] rates = new double[rounds];
      double[] p50 = new double[rounds];
      double[] p99 = new double[rounds];
      int values = rate == 0 ? 20_000 : rate * 3;
      for (int r = 0; r < rounds; r++) {
        double[] result = round(redis, values, rate, payload);
        rates[r] = result[0];
        p50[r] = result[1];
        p99[r] = result[2];
      }
      System.out.printf(
          "%s: %,.0f values/s delivered, latency p50 %.2f ms (%.2f..%.2f), p99 %.2f ms"
              + " (%.2f..%.2f); median of %d rounds of %,d values of %d bytes%n",
          rate == 0 ? "unpaced" : String.format("%,d/s offered", rate),
          median(rates),
          median(p50),
          min(p50),
          max(p50),
          median(p99),
          min(p99),
          max(p99),
          rounds,
          values,
          payload);
    }
  }

  private static double[] round(String redis, int values, int rate, int payload) throws Exception {
    String prefix = "sizing-" + UUID.randomUUID().toString().substring(0, 8);
    AtomicReference<UpdateSink> sink = new AtomicReference<>();
    Hub producerHub = Hub.builder().topic(Topic.of("load", State.latest())).build();
    Hub readerHub = Hub.builder().topic(Topic.of("load", State.latest())).build();
    RedisFanout producer =
        RedisFanout.builder(redis, producerHub)
            .prefix(prefix)
            .maxLength(values + 1000)
            .source(
                "load",
                () ->
                    new UpdateSource() {
                      @Override
                      public void start(UpdateSink s) {
                        sink.set(s);
                      }

                      @Override
                      public void close() {}
                    })
            .build();
    RedisFanout reader = RedisFanout.builder(redis, readerHub).prefix(prefix).topic("load").build();
    long[] latencies = new long[values];
    CountDownLatch done = new CountDownLatch(values);
    Outbound counter =
        new Outbound() {
          int i;

          @Override
          public void send(List<TextFrame> frames, SendCallback callback) {
            long now = System.nanoTime();
            for (TextFrame frame : frames) {
              JsonNode v = JSON.readTree(frame.toString());
              if (i < values) {
                latencies[i++] = now - v.path("t").asLong();
                done.countDown();
              }
            }
            callback.succeeded();
          }

          @Override
          public void ping() {}

          @Override
          public void close(int code, String reason) {}

          @Override
          public void abort() {}

          @Override
          public String describe() {
            return "sizing";
          }
        };
    Endpoint.of(
            readerHub, RecordingOutbound.options(64 << 20, Duration.ofMinutes(1), Duration.ZERO))
        .open(new Handshake.Accept(null, "load", "sizing"), counter);
    while (sink.get() == null) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // until this node holds the lease
    }
    String pad = "x".repeat(payload);
    long start = System.nanoTime();
    long interval = rate == 0 ? 0 : 1_000_000_000L / rate;
    for (int i = 0; i < values; i++) {
      long due = start + i * interval;
      while (System.nanoTime() < due) {
        LockSupport.parkNanos(Math.min(50_000, due - System.nanoTime()));
      }
      sink.get().publish("load", Map.of("t", System.nanoTime(), "pad", pad));
    }
    boolean all = done.await(120, TimeUnit.SECONDS);
    long elapsed = System.nanoTime() - start;
    reader.close();
    producer.close();
    readerHub.close();
    producerHub.close();
    if (!all) {
      throw new IllegalStateException("only " + (values - done.getCount()) + " values arrived");
    }
    Arrays.sort(latencies);
    return new double[] {
      values / (elapsed / 1e9), latencies[values / 2] / 1e6, latencies[values * 99 / 100] / 1e6
    };
  }

  private static double min(double[] xs) {
    return Arrays.stream(xs).min().orElseThrow();
  }

  private static double max(double[] xs) {
    return Arrays.stream(xs).max().orElseThrow();
  }

  private static double median(double[] xs) {
    double[] sorted = xs.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
