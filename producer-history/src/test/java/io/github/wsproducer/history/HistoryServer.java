package io.github.wsproducer.history;

import io.github.wsproducer.Hub;
import io.github.wsproducer.RandomWalkSource;
import io.github.wsproducer.State;
import io.github.wsproducer.TokenAuthenticator;
import io.github.wsproducer.Topic;
import io.github.wsproducer.netty.NettyServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * A server that keeps its history in a directory, as a user would write it: {@code notes} (a
 * window) and {@code streams} (keyed) take pushes, {@code counter} comes from a source. Its {@link
 * #main} runs it in a JVM of its own, so that a test can kill it with {@code kill -9}; not a test
 * itself.
 */
public final class HistoryServer implements AutoCloseable {
  static final String TOKEN = "a-push-token-of-16";
  static final Duration STALE_AFTER = Duration.ofMinutes(1);

  final Hub hub;
  final NettyServer server;

  HistoryServer(Path directory, Clock clock, boolean counter) {
    Hub.Builder builder =
        Hub.builder()
            .topic(Topic.of("notes", State.window(20)).withStaleAfter(STALE_AFTER))
            .topic(Topic.of("streams", State.keyed()))
            .topic(Topic.of("counter", State.latest()))
            .push(TokenAuthenticator.of(Map.of("ci", TOKEN)), "notes", "streams")
            .history(DiskHistory.open(directory))
            .clock(clock);
    if (counter) {
      builder.source(RandomWalkSource.builder("counter").maxPause(Duration.ofMillis(20)).build());
    }
    this.hub = builder.build();
    this.server = NettyServer.builder(hub).port(0).start();
  }

  @Override
  public void close() {
    server.close();
    hub.close();
  }

  /** Serves until killed: {@code HistoryServer DIRECTORY}; prints {@code listening URI}. */
  public static void main(String[] args) throws InterruptedException {
    HistoryServer running = new HistoryServer(Path.of(args[0]), Clock.systemUTC(), true);
    System.out.println("listening " + running.server.uri());
    System.out.flush();
    Thread.currentThread().join();
  }
}
