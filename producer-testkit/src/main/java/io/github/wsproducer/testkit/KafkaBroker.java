package io.github.wsproducer.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A real Kafka broker in KRaft mode (broker and controller in one), run from Kafka's own jars in a
 * JVM of its own, as {@code kafka-server-start.sh} would: so that a test can stop it, kill it with
 * {@code kill -9} and start it again on the same port and data. A broker that does not start skips
 * the test, saying why (fails it under {@code WSPRODUCER_REQUIRE_SERVICES=1}).
 *
 * <p>A module that uses it adds {@code kafka-clients} and, for the broker, {@code kafka_2.13} to
 * its test dependencies.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final String CLUSTER = "wsproducer-test-cluster1";

  private final Path dir;
  private final int port;
  private final int controllerPort;
  private Process process;

  /** Formats {@code dir} for a broker and starts it there on free ports. */
  public KafkaBroker(Path dir) throws Exception {
    this.dir = dir;
    this.port = freePort();
    this.controllerPort = freePort();
    Files.writeString(
        dir.resolve("server.properties"),
        String.join(
            "\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
            "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
            "controller.listener.names=CONTROLLER",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "inter.broker.listener.name=PLAINTEXT",
            "log.dirs=" + dir.resolve("data"),
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=3",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "num.partitions=1",
            ""));
    run("kafka.tools.StorageTool", "format", "-t", CLUSTER, "-c", config(), "--ignore-formatted")
        .waitFor(60, TimeUnit.SECONDS);
    start();
  }

  /** {@code 127.0.0.1:PORT}. */
  public String bootstrap() {
    return "127.0.0.1:" + port;
  }

  private String config() {
    return dir.resolve("server.properties").toString();
  }

  /** Starts it (again), and waits until it answers. */
  public void start() throws Exception {
    process = run("kafka.Kafka", config());
    try (Admin admin = admin()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (true) {
        try {
          admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
          return;
        } catch (Exception e) {
          if (!process.isAlive() || System.nanoTime() > deadline) {
            process.destroyForcibly();
            Services.absent("a Kafka broker did not start here: " + e);
          }
        }
      }
    }
  }

  /** Whether its process runs. */
  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** {@code kill -9}. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** An admin client of it, with 5 s timeouts. */
  public Admin admin() {
    return Admin.create(
        Map.of(
            "bootstrap.servers", bootstrap(),
            "request.timeout.ms", 5000,
            "default.api.timeout.ms", 5000));
  }

  /** Creates a topic. */
  public void createTopic(String name, int partitions) throws Exception {
    try (Admin admin = admin()) {
      admin
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  /** A producer of text keys and values. */
  public KafkaProducer<String, String> producer() {
    return new KafkaProducer<>(
        Map.of("bootstrap.servers", bootstrap(), "linger.ms", 0, "max.block.ms", 10_000),
        new StringSerializer(),
        new StringSerializer());
  }

  /** A name no other test uses. */
  public static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private Process run(String main, String... args) throws IOException {
    List<String> command = ForkedMain.command("-Xmx384m", main, args);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(main + ".log").toFile())
        .start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
