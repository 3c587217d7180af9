package io.github.wsproducer.redis;

import io.github.wsproducer.Hub;
import io.github.wsproducer.RandomWalkSource;
import io.github.wsproducer.State;
import io.github.wsproducer.TokenAuthenticator;
import io.github.wsproducer.Topic;
import io.github.wsproducer.netty.NettyServer;
import java.time.Duration;
import java.util.Map;

/**
 * A server that keeps its history in Redis, as a user would write it: {@code notes} (a window)
 * takes pushes, {@code counter} comes from a source. Its {@link #main} runs it in a JVM of its own,
 * so that a test can kill it with {@code kill -9}; not a test itself.
 */
public final class RedisHistoryServer implements AutoCloseable {
  static final String TOKEN = "a-push-token-of-16";

  final Hub hub;
  final NettyServer server;

  RedisHistoryServer(String redisUri, String prefix) {
    this.hub =
        Hub.builder()
            .topic(Topic.of("notes", State.window(20)))
            .topic(Topic.of("counter", State.latest()))
            .push(TokenAuthenticator.of(Map.of("ci", TOKEN)), "notes")
            .source(RandomWalkSource.builder("counter").maxPause(Duration.ofMillis(20)).build())
            .history(RedisHistory.builder(redisUri).prefix(prefix).open())
            .build();
    this.server = NettyServer.builder(hub).port(0).start();
  }

  @Override
  public void close() {
    server.close();
    hub.close();
  }

  /**
   * Serves until killed: {@code RedisHistoryServer REDIS_URI PREFIX}; prints {@code listening URI}.
   */
  public static void main(String[] args) throws InterruptedException {
    RedisHistoryServer running = new RedisHistoryServer(args[0], args[1]);
    System.out.println("listening " + running.server.uri());
    System.out.flush();
    Thread.currentThread().join();
  }
}
