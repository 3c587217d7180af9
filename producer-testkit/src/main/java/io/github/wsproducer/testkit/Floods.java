package io.github.wsproducer.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * What a server must hold while it is flooded, as the kit's fault scenarios assert it of a {@link
 * ForkedServer}: it stays up, an honest client keeps receiving updates, and heap, threads and log
 * stay within bounds. For scenarios of your own, such as a module's routes.
 *
 * <pre>{@code
 * try (ForkedServer server = ForkedServer.start(MyTransportKit.class, AddMyRoutes.class);
 *     Floods.HonestClient honest = new Floods.HonestClient(server.root())) {
 *   // flood server.root() from Floods.ATTACKER
 *   Floods.assertSurvived(server, honest, "my flood");
 * }
 * }</pre>
 */
public final class Floods {
  /** Where floods come from: a loopback address of their own, as another client's. */
  public static final InetAddress ATTACKER = loopback();

  /**
   * The heap a flood may leave in use after a full collection: the server's own few MB, and the
   * request bodies in progress (16 MiB at most, {@code docs/security.md}).
   */
  public static final long HEAP_BOUND = 64L << 20;

  /** Threads a flood may leave: the container's pool at its bound, and the hub's own. */
  public static final int THREAD_BOUND = 300;

  /** The longest an honest client may go without an update while a flood runs. */
  public static final Duration GAP_BOUND = Duration.ofSeconds(3);

  /**
   * Bytes a flood may add to the server's log: a few lines, however long it goes on (Tomcat logs
   * the first malformed request of its life with a stack trace).
   */
  public static final long LOG_BOUND = 8192;

  private Floods() {}

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, 2});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * An honest client of a {@link ForkedServer}'s {@code random} topic, from 127.0.0.1, which times
   * the gaps between its updates on a thread of its own.
   */
  public static final class HonestClient implements AutoCloseable {
    private final WsTestClient client;
    private volatile long last = System.nanoTime();
    private volatile long longest;
    private volatile boolean stop;

    /** Connects to {@code root}'s {@code /random} and waits for its snapshot. */
    public HonestClient(URI root) throws Exception {
      client = WsTestClient.connect(root.resolve("/random"), null, null);
      client.nextText();
      last = System.nanoTime();
      Thread reader = new Thread(this::read, "honest-client");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      try {
        while (!stop) {
          String text = client.poll(Duration.ofMillis(100));
          long now = System.nanoTime();
          if (text != null) {
            longest = Math.max(longest, now - last);
            last = now;
          } else if (client.isClosed()) {
            return;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** The longest gap between two updates so far, the current one included. */
    public Duration longestGap() {
      return Duration.ofNanos(Math.max(longest, System.nanoTime() - last));
    }

    @Override
    public void close() {
      stop = true;
      client.close();
    }
  }

  /** The server survived the flood: it runs, its updates went on, heap and threads are bounded. */
  public static void assertSurvived(ForkedServer server, HonestClient honest, String flood)
      throws Exception {
    assertThat(server.isAlive())
        .as("the server is up after %s: %s", flood, server.lines())
        .isTrue();
    assertThat(honest.longestGap())
        .as("the longest an honest client waited for an update during %s", flood)
        .isLessThan(GAP_BOUND);
    ForkedServer.Stats stats = server.stats();
    assertThat(stats.heapBytes()).as("heap in use after %s", flood).isLessThan(HEAP_BOUND);
    assertThat(stats.threads()).as("threads after %s", flood).isLessThan(THREAD_BOUND);
  }
}
