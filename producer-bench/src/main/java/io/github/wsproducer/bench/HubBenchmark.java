package io.github.wsproducer.bench;

import io.github.wsproducer.Hub;
import io.github.wsproducer.Topic;
import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.spi.Handshake;
import io.github.wsproducer.spi.Outbound;
import io.github.wsproducer.spi.TextFrame;
import io.github.wsproducer.spi.TransportOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hub's cost of one update delivered to N subscribers, apply, encode and fan-out included, with
 * transports that complete every send at once. Run {@code java -jar producer-bench.jar jmh
 * HubBenchmark -prof gc} for the allocation per update as well.
 */
@org.openjdk.jmh.annotations.State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HubBenchmark {
  @Param({"1", "100", "1000"})
  public int subscribers;

  private Hub hub;
  private final AtomicLong delivered = new AtomicLong();
  private long expected;
  private long n;

  @Setup
  public void setUp() {
    hub = Hub.builder().topic(Topic.of("load", io.github.wsproducer.State.latest())).build();
    Endpoint endpoint = Endpoint.of(hub, TransportOptions.DEFAULTS);
    Handshake.Accept plain = new Handshake.Accept(null, "load", "benchmark");
    for (int i = 0; i < subscribers; i++) {
      endpoint.open(
          plain,
          new Outbound() {
            @Override
            public void send(List<TextFrame> frames, SendCallback callback) {
              delivered.addAndGet(frames.size());
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
              return "benchmark";
            }
          });
    }
  }

  /** Publishes one update and waits until every subscriber has been handed it. */
  @Benchmark
  public long publishToAllSubscribers() {
    hub.publish(
        "load", Map.of("n", ++n, "pad", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
    expected += subscribers;
    while (delivered.get() < expected) {
      Thread.onSpinWait();
    }
    return expected;
  }

  @TearDown
  public void tearDown() {
    hub.close();
  }
}
