package io.github.wsproducer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A tiny run of the bench server and load client: the benchmark works. It asserts what the tools
 * do, never how fast: figures belong in the reports.
 */
class BenchSmokeIT {

  /** Each server the bench runs: a system, its transport and where it keeps history. */
  static List<String> systems() {
    return List.of(
        "wsproducer jetty",
        "wsproducer netty",
        "jetty jetty",
        "netty netty",
        "tomcat tomcat",
        "wsproducer netty target/bench-history");
  }

  private static BenchServer start(String system, int rate) throws Exception {
    String[] s = system.split(" ");
    return BenchServer.start(s[0], s[1], "127.0.0.1", 0, rate, 200, s.length > 2 ? s[2] : null);
  }

  @ParameterizedTest
  @MethodSource("systems")
  void theLoadClientReceivesEveryUpdateOfTheBenchServer(String system) throws Exception {
    BenchServer server = start(system, 100);
    try {
      LoadResult result =
          LoadClient.run(
              new LoadClient.Options(url(server), 20, 0, 0.5, 1.0, false, null, false, false));
      assertThat(result.connected()).isEqualTo(20);
      assertThat(result.messages()).isPositive();
      assertThat(result.gaps()).isZero();
      assertThat(result.p50Ms()).isPositive();

      LoadResult stalled =
          LoadClient.run(
              new LoadClient.Options(
                  url(server), 20, 5, 0.5, 1.0, false, "127.0.0.2", false, false));
      assertThat(stalled.connected()).as("from another source address").isEqualTo(20);
      assertThat(stalled.messages()).as("the 15 reading clients").isPositive();
      assertThat(stalled.gaps()).isZero();

      LoadResult both = LoadResult.merge(java.util.List.of(result, stalled));
      assertThat(both.connected()).isEqualTo(40);
      assertThat(both.messages()).isEqualTo(result.messages() + stalled.messages());
      assertThat(both.p50Ms()).isPositive();
    } finally {
      server.stop();
    }
  }

  @ParameterizedTest
  @MethodSource("systems")
  void aNewClientGetsTheLatestUpdateAtOnce(String system) throws Exception {
    BenchServer server = start(system, 1); // one update a second
    try {
      LoadResult result =
          LoadClient.run(
              new LoadClient.Options(url(server), 20, 0, 0, 0.1, false, null, false, false));
      assertThat(result.connected()).isEqualTo(20);
      assertThat(result.firstFrames())
          .as("in 0.1 s every client has a frame: without a snapshot most would wait for the next")
          .isEqualTo(20);
    } finally {
      server.stop();
    }
  }

  @Test
  void clientsWaitingForARestartConnectOnceItListensAndCountFromItsStart() throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    PipedWriter orchestrator = new PipedWriter();
    BufferedReader commands = new BufferedReader(new PipedReader(orchestrator));
    URI url = URI.create("ws://127.0.0.1:" + port + "/load");
    ExecutorService clients = Executors.newSingleThreadExecutor();
    try {
      Future<LoadResult> result =
          clients.submit(
              () ->
                  LoadClient.run(
                      new LoadClient.Options(url, 20, 0, 0, 0.2, false, null, false, true),
                      commands));
      long start = System.nanoTime();
      orchestrator.write(start + "\n");
      orchestrator.flush();
      // The clients are refused until the server listens.
      long listening = System.nanoTime();
      BenchServer server =
          BenchServer.start("wsproducer", "netty", "127.0.0.1", port, 10, 200, null);
      try {
        LoadResult r = result.get(60, TimeUnit.SECONDS);
        assertThat(r.connected()).as("every client, refused at first").isEqualTo(20);
        assertThat(r.firstFrames()).isEqualTo(20);
        assertThat(r.firstFrameMs(0))
            .as("counted from the start, before the server listened")
            .isGreaterThanOrEqualTo((listening - start) / 1e6);
      } finally {
        server.stop();
      }
    } finally {
      clients.shutdownNow();
    }
  }

  private static URI url(BenchServer server) {
    return URI.create("ws://127.0.0.1:" + server.port() + "/load");
  }
}
