package io.github.wsproducer.sample;

import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import io.github.wsproducer.kafka.KafkaLagSource;
import io.github.wsproducer.spi.NamedThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sample's pipelines through a real Kafka cluster ({@code --kafka HOST:PORT}): each of {@code
 * orders}, {@code payments} and {@code clicks} produces JSON records into a topic of its own and
 * consumes them in a consumer group of its own, and topic {@link #TOPIC} shows their lag and status
 * from Kafka ({@link KafkaLagSource}). Now and then one pipeline falls behind (it reads at half its
 * pace for a while, or stops reading while it stays in its group), so that the status moves; then
 * it catches up.
 */
final class KafkaPipelines implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaPipelines.class);

  /** The hub topic of the pipelines' consumer lag. */
  static final String TOPIC = "kafka-lag";

  /** What the topic says without {@code --kafka}. */
  static final String WITHOUT = "start the sample with --kafka HOST:PORT to see consumer lag";

  private static final Map<String, Integer> RATES =
      Map.of("orders", 20, "payments", 8, "clicks", 50);

  private final String bootstrap;
  private final Duration behindEvery;
  private final Random random = new Random();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final List<Thread> threads = new ArrayList<>();
  private volatile String behind; // the pipeline that falls behind now, or null
  private volatile boolean stopped; // whether it stopped reading, rather than slowed down

  /**
   * Pipelines through the cluster at {@code bootstrap}; one falls behind every {@code behindEvery}
   * or so.
   */
  KafkaPipelines(String bootstrap, Duration behindEvery) {
    this.bootstrap = bootstrap;
    this.behindEvery = behindEvery;
  }

  static String kafkaTopic(String pipeline) {
    return "wsproducer-sample." + pipeline;
  }

  static String group(String pipeline) {
    return "wsproducer-sample-" + pipeline;
  }

  /** The topic of their lag, a row per pipeline's group. */
  static Topic topic() {
    return Topic.of(TOPIC, State.keyed()).withStaleAfter(Duration.ofSeconds(30));
  }

  /** The source of {@link #TOPIC}. */
  KafkaLagSource source() {
    return KafkaLagSource.builder(TOPIC, bootstrap)
        .groups(RATES.keySet().stream().sorted().map(KafkaPipelines::group).toArray(String[]::new))
        .window(6)
        .interval(Duration.ofSeconds(5))
        .build();
  }

  /**
   * Creates the topics that are missing and starts producing and consuming.
   *
   * @throws IllegalStateException if the cluster cannot be reached
   */
  void start() {
    try (Admin admin =
        Admin.create(
            Map.of(
                "bootstrap.servers", bootstrap,
                "request.timeout.ms", 10_000,
                "default.api.timeout.ms", 10_000))) {
      for (String pipeline : RATES.keySet()) {
        try {
          admin
              .createTopics(List.of(new NewTopic(kafkaTopic(pipeline), 3, (short) 1)))
              .all()
              .get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "cannot create the sample's topics in Kafka at " + bootstrap + ": " + e.getCause(),
                e);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Kafka at " + bootstrap + " does not answer", e);
    }
    RATES.forEach(
        (pipeline, rate) -> {
          threads.add(thread("produce-" + pipeline, () -> produce(pipeline, rate)));
          threads.add(thread("consume-" + pipeline, () -> consume(pipeline, rate)));
        });
    threads.add(thread("behind", this::fallBehindNowAndThen));
    log.info("pipelines {} run through Kafka at {}", RATES.keySet(), bootstrap);
  }

  private Thread thread(String name, Runnable task) {
    Thread t = new NamedThreads("wsproducer-sample-kafka-" + name).newThread(task);
    t.start();
    return t;
  }

  private boolean sleep(long millis) {
    try {
      return !closed.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void produce(String pipeline, int rate) {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", bootstrap, "linger.ms", 20),
            new StringSerializer(),
            new StringSerializer())) {
      long n = 0;
      while (sleep(100)) {
        int batch = Math.max(1, rate / 10 + random.nextInt(3) - 1);
        for (int i = 0; i < batch; i++) {
          n++;
          producer.send(
              new ProducerRecord<>(
                  kafkaTopic(pipeline),
                  Long.toString(n),
                  "{\"pipeline\":\"" + pipeline + "\",\"n\":" + n + "}"));
        }
      }
    } catch (RuntimeException e) {
      log.warn("pipeline {}: producing stopped: {}", pipeline, e.toString());
    }
  }

  /** Reads at one and a half times the pace it is written, at half of it while behind. */
  private void consume(String pipeline, int rate) {
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                "bootstrap.servers",
                bootstrap,
                "group.id",
                group(pipeline),
                "enable.auto.commit",
                "false",
                "auto.offset.reset",
                "latest",
                "max.poll.records",
                50),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.subscribe(List.of(kafkaTopic(pipeline)));
      while (closed.getCount() > 0) {
        boolean isBehind = pipeline.equals(behind);
        if (isBehind && stopped) { // in the group, reading nothing: its offsets do not move
          consumer.pause(consumer.assignment());
          consumer.poll(Duration.ofMillis(500));
          continue;
        }
        consumer.resume(consumer.paused());
        int read = consumer.poll(Duration.ofMillis(500)).count();
        if (read > 0) {
          consumer.commitSync();
          double pace = isBehind ? rate * 0.5 : rate * 1.5;
          sleep((long) (read * 1000 / pace));
        }
      }
    } catch (org.apache.kafka.common.errors.WakeupException
        | org.apache.kafka.common.errors.InterruptException e) {
      // closed
    } catch (RuntimeException e) {
      log.warn("pipeline {}: consuming stopped: {}", pipeline, e.toString());
    }
  }

  private void fallBehindNowAndThen() {
    List<String> pipelines = List.copyOf(RATES.keySet());
    long every = behindEvery.toMillis();
    while (sleep(every / 2 + (long) (random.nextDouble() * every))) {
      stopped = random.nextInt(3) == 0;
      behind = pipelines.get(random.nextInt(pipelines.size()));
      log.info("pipeline {} falls behind ({})", behind, stopped ? "stops reading" : "slows down");
      if (!sleep(every / 2)) {
        return;
      }
      behind = null;
    }
  }

  @Override
  public void close() {
    closed.countDown();
    for (Thread t : threads) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
