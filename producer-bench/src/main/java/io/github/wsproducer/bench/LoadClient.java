package io.github.wsproducer.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Holds many WebSocket connections in one process and records, per message, the latency from the
 * {@code ts} it carries (same host, monotonic clock), the throughput and gaps in {@code n}. Speaks
 * the plain form, and Socket.IO's framing for that peer.
 */
final class LoadClient {

  /** What one run measured, after the warm-up. */
  record Result(
      int connections,
      int connected,
      long messages,
      double seconds,
      double p50Ms,
      double p99Ms,
      double p999Ms,
      long gaps,
      double cpuSeconds) {

    double framesPerSecond() {
      return messages / seconds;
    }

    String json() {
      return String.format(
          java.util.Locale.ROOT,
          "{\"connections\":%d,\"connected\":%d,\"messages\":%d,\"seconds\":%.3f,\"p50Ms\":%.3f,"
              + "\"p99Ms\":%.3f,\"p999Ms\":%.3f,\"gaps\":%d,\"cpuSeconds\":%.3f}",
          connections,
          connected,
          messages,
          seconds,
          p50Ms,
          p99Ms,
          p999Ms,
          gaps,
          cpuSeconds);
    }
  }

  private final ConcurrentHistogram latencyMicros = new ConcurrentHistogram(60_000_000L, 3);
  private final AtomicLong messages = new AtomicLong();
  private final AtomicLong gaps = new AtomicLong();
  private volatile boolean measuring;

  /**
   * Connects {@code connections} clients to {@code url}, warms up, measures for {@code seconds} and
   * reports. With {@code socketIo}, speaks Engine.IO 4 framing ({@code 42["load",{...}]}). Prints
   * "measuring" when the measured window starts, for an orchestrator reading CPU time.
   */
  static Result run(URI url, int connections, double warmup, double seconds, boolean socketIo)
      throws Exception {
    return run(url, connections, 0, warmup, seconds, socketIo);
  }

  /**
   * Like {@link #run(URI, int, double, double, boolean)}, with the first {@code stalled}
   * connections never reading after their first frame, like frozen browsers; only the others are
   * measured.
   */
  static Result run(
      URI url, int connections, int stalled, double warmup, double seconds, boolean socketIo)
      throws Exception {
    LoadClient load = new LoadClient();
    HttpClient http = new HttpClient();
    http.setMaxConnectionsPerDestination(connections + 16);
    http.setMaxRequestsQueuedPerDestination(connections + 16);
    WebSocketClient client = new WebSocketClient(http);
    client.setIdleTimeout(java.time.Duration.ofMinutes(5));
    client.start();
    try {
      List<CompletableFuture<Session>> sessions = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        Object listener = i < stalled ? new Stalled() : load.new Connection(socketIo);
        sessions.add(client.connect(listener, new ClientUpgradeRequest(url)));
      }
      int connected = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // for all of them
      for (CompletableFuture<Session> s : sessions) {
        try {
          s.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          connected++;
        } catch (Exception e) {
          // counted as not connected
        }
      }
      TimeUnit.NANOSECONDS.sleep((long) (warmup * 1e9));
      load.measuring = true;
      System.out.println("measuring");
      System.out.flush();
      long cpu0 = cpuNanos();
      long start = System.nanoTime();
      TimeUnit.NANOSECONDS.sleep((long) (seconds * 1e9));
      load.measuring = false;
      double elapsed = (System.nanoTime() - start) / 1e9;
      double cpu = (cpuNanos() - cpu0) / 1e9;
      ConcurrentHistogram h = load.latencyMicros;
      return new Result(
          connections,
          connected,
          load.messages.get(),
          elapsed,
          h.getValueAtPercentile(50) / 1000.0,
          h.getValueAtPercentile(99) / 1000.0,
          h.getValueAtPercentile(99.9) / 1000.0,
          load.gaps.get(),
          cpu);
    } finally {
      client.stop();
    }
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** A connection that reads one frame and then never again: Jetty stops reading its socket. */
  public static final class Stalled implements Session.Listener {
    @Override
    public void onWebSocketOpen(Session session) {
      session.demand();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
      // the server gives up on a client that does not read
    }
  }

  /** One connection; Jetty calls it on its own threads. */
  public final class Connection implements Session.Listener.AutoDemanding {
    private final boolean socketIo;
    private Session session;
    private long last = -1;

    Connection(boolean socketIo) {
      this.socketIo = socketIo;
    }

    @Override
    public void onWebSocketOpen(Session session) {
      this.session = session;
    }

    @Override
    public void onWebSocketError(Throwable cause) {
      // the connection ends with the run
    }

    @Override
    public void onWebSocketText(String text) {
      long now = System.nanoTime();
      if (socketIo) {
        if (text.startsWith("0")) {
          session.sendText("40", Callback.NOOP); // join the default namespace
          return;
        }
        if (text.equals("2")) {
          session.sendText("3", Callback.NOOP); // Engine.IO pong
          return;
        }
        if (!text.startsWith("42")) {
          return;
        }
      }
      long n = Payload.field(text, "n");
      long ts = Payload.field(text, "ts");
      if (n < 0 || ts < 0) {
        return;
      }
      if (last >= 0 && n != last + 1 && measuring) {
        gaps.incrementAndGet();
      }
      last = n;
      if (measuring) {
        messages.incrementAndGet();
        latencyMicros.recordValue(Math.max(0, Math.min((now - ts) / 1000, 59_999_999L)));
      }
    }
  }
}
