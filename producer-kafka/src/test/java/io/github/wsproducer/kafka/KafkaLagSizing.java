package io.github.wsproducer.kafka;

import io.github.wsproducer.UpdateSink;
import io.github.wsproducer.testkit.KafkaBroker;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Measures what one poll of a {@link KafkaLagSource} costs with many groups and partitions, for
 * docs/benchmarks/kafka-lag.md: a real broker, a topic of P partitions, G groups that each
 * committed an offset on every partition; then N polls, each timed, with the requests it made (the
 * admin client's own count) and the bytes it allocated (on the polling thread and on the admin
 * client's network thread). Not a test; run it by hand. Prints one line per setting, medians of the
 * polls.
 */
public final class KafkaLagSizing {
  public static void main(String[] args) throws Exception {
    int groups = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int polls = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    Path dir = Files.createTempDirectory("kafka-lag-sizing");
    try (KafkaBroker broker = new KafkaBroker(dir)) {
      String topic = "sizing";
      broker.createTopic(topic, partitions);
      try (KafkaProducer<String, String> p = broker.producer()) {
        for (int i = 0; i < partitions * 20; i++) {
          p.send(new ProducerRecord<>(topic, i % partitions, null, "{\"n\":" + i + "}"));
        }
      }
      String[] names = new String[groups];
      try (Admin admin = broker.admin()) {
        for (int g = 0; g < groups; g++) {
          names[g] = "group-" + g;
          Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
          for (int q = 0; q < partitions; q++) {
            offsets.put(new TopicPartition(topic, q), new OffsetAndMetadata(g % 20));
          }
          admin.alterConsumerGroupOffsets(names[g], offsets).all().get(30, TimeUnit.SECONDS);
        }
      }
      KafkaLagSource source =
          KafkaLagSource.builder("lag", broker.bootstrap())
              .groups(names)
              .timeout(Duration.ofSeconds(30))
              .build();
      UpdateSink sink = new Discarding();
      com.sun.management.ThreadMXBean threads =
          (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
      double[] millis = new double[polls];
      double[] requests = new double[polls];
      double[] allocated = new double[polls];
      for (int i = -3; i < polls; i++) { // 3 to warm up, not reported
        double requestsBefore = requestTotal(jmx);
        long networkBefore = networkThreadAllocated(threads);
        long before = threads.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        source.poll(sink);
        long took = System.nanoTime() - start;
        long mine = threads.getCurrentThreadAllocatedBytes() - before;
        long network = networkThreadAllocated(threads) - networkBefore;
        if (i >= 0) {
          millis[i] = took / 1e6;
          requests[i] = requestTotal(jmx) - requestsBefore;
          allocated[i] = mine + network;
        }
      }
      source.close();
      System.out.printf(
          "%d groups x %d partitions (%,d group-partitions): a poll takes %.1f ms (%.1f..%.1f),"
              + " %.0f requests, allocates %.1f MB (%.1f..%.1f); median of %d polls%n",
          groups,
          partitions,
          groups * partitions,
          median(millis),
          min(millis),
          max(millis),
          median(requests),
          median(allocated) / 1e6,
          min(allocated) / 1e6,
          max(allocated) / 1e6,
          polls);
    }
  }

  /** The requests the admin clients of this JVM sent, by their own metrics. */
  private static double requestTotal(MBeanServer jmx) throws Exception {
    double total = 0;
    for (ObjectName name :
        jmx.queryNames(new ObjectName("kafka.admin.client:type=admin-client-metrics,*"), null)) {
      Object value = jmx.getAttribute(name, "request-total");
      if (value instanceof Number n) {
        total += n.doubleValue();
      }
    }
    return total;
  }

  private static long networkThreadAllocated(com.sun.management.ThreadMXBean threads) {
    long total = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("kafka-admin-client-thread")) {
        total += threads.getThreadAllocatedBytes(t.getId());
      }
    }
    return total;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(0);
  }

  private static double max(double[] v) {
    return Arrays.stream(v).max().orElse(0);
  }

  /** Keeps nothing: the poll's own work is what is measured. */
  private static final class Discarding implements UpdateSink {
    @Override
    public void publish(String topic, Object value) {}

    @Override
    public void heartbeat(String topic) {}

    @Override
    public void reportError(String topic, String message) {}

    @Override
    public boolean isWatched(String topic) {
      return true;
    }
  }
}
