package io.github.wsproducer.testkit;

import io.github.wsproducer.Hub;
import io.github.wsproducer.RandomWalkSource;
import io.github.wsproducer.State;
import io.github.wsproducer.TokenAuthenticator;
import io.github.wsproducer.Topic;
import io.github.wsproducer.spi.TransportOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The server of the kit's fault scenarios, run by {@link ForkedServer} in a JVM of its own with a
 * small heap: the transport under test (a {@link TransportCompatibilityKit} subclass, named by the
 * first argument) with the default options but a handshake timeout of {@value
 * #HANDSHAKE_TIMEOUT_SECONDS} s (the scenarios that wait for it end sooner), serving a topic {@code
 * random} that changes every 0 to 100 ms and a topic {@code notes} pushable with either of two
 * tokens, and what the class named by the second argument, if any (a {@code
 * UnaryOperator<Hub.Builder>}), adds. It prints {@code root URI} once it listens, answers {@code
 * stats} on its standard input with {@code stats HEAP THREADS} (bytes of heap in use after a full
 * collection, live threads), and stops when its standard input ends.
 */
public final class FaultServer {
  /** A push token of {@code notes}, the honest client's. */
  static final String PUSH_TOKEN = "fault-scenario-push-token";

  /** Another push token, the attacker's: a rate limit of its own. */
  static final String ATTACKER_TOKEN = "fault-scenario-attacker-token";

  static final int HANDSHAKE_TIMEOUT_SECONDS = 3;

  private FaultServer() {}

  /**
   * Serves until standard input ends.
   *
   * @param args the transport's kit class, and optionally what adds to the hub
   */
  public static void main(String[] args) throws Exception {
    Constructor<?> make = Class.forName(args[0]).getDeclaredConstructor();
    make.setAccessible(true);
    TransportCompatibilityKit kit = (TransportCompatibilityKit) make.newInstance();
    Hub.Builder builder =
        Hub.builder()
            .topic(Topic.of("random", State.latest()))
            .topic(Topic.of("notes", State.latest()))
            .source(RandomWalkSource.builder("random").maxPause(Duration.ofMillis(100)).build())
            .push(
                TokenAuthenticator.of(Map.of("ci", PUSH_TOKEN, "attacker", ATTACKER_TOKEN)),
                "notes");
    if (args.length > 1) {
      Constructor<?> more = Class.forName(args[1]).getDeclaredConstructor();
      more.setAccessible(true);
      @SuppressWarnings("unchecked")
      UnaryOperator<Hub.Builder> adds = (UnaryOperator<Hub.Builder>) more.newInstance();
      builder = adds.apply(builder);
    }
    Hub hub = builder.build();
    TransportCompatibilityKit.Served served =
        kit.serve(
            hub,
            TransportOptions.builder()
                .handshakeTimeout(Duration.ofSeconds(HANDSHAKE_TIMEOUT_SECONDS))
                .build());
    System.out.println("root " + served.root());
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      if (line.equals("stats")) {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.println("stats " + heap + " " + Thread.activeCount());
      }
    }
    served.stop();
    hub.close();
    System.exit(0);
  }
}
