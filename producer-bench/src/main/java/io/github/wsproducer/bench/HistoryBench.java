package io.github.wsproducer.bench;

import io.github.wsproducer.Hub;
import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import io.github.wsproducer.history.DiskHistory;
import io.github.wsproducer.netty.NettyServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code history}: what keeping history costs and holds, each figure measured in this one run: how
 * many updates a second the disk store persists (against the store in memory), whether retention
 * holds disk and heap at their bounds, how long a hub takes to start on an hour of history, and how
 * long a thousand screens loading their charts at once take, with the server's CPU.
 */
final class HistoryBench {
  private HistoryBench() {}

  /** The options: topics, updates, payload bytes, screens. */
  record Options(int topics, int updates, int payloadBytes, int screens, Path out) {}

  static void run(Options o) throws Exception {
    Path work = Files.createDirectories(Path.of("target", "bench-history"));
    StringBuilder md = new StringBuilder();
    md.append("# History: what it costs and holds\n\n")
        .append("`java -Xmx2g -jar producer-bench/target/producer-bench.jar history` on ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, Java ")
        .append(System.getProperty("java.version"))
        .append(", ")
        .append(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
        .append(". Each section is measured in this one run, in this one JVM.\n\n");
    persist(o, work, md);
    retention(o, work, md);
    Path hour = hourOfHistory(o, work, md);
    screens(o, hour, md);
    Files.writeString(o.out(), md);
    System.out.print(md);
  }

  // ---- 1. updates persisted a second ----

  private static void persist(Options o, Path work, StringBuilder md) throws Exception {
    md.append("## Updates persisted a second\n\n")
        .append(o.updates())
        .append(" updates of ")
        .append(o.payloadBytes())
        .append(" bytes across ")
        .append(o.topics())
        .append(" `latest` topics, published from one thread as fast as the hub applies them")
        .append(" (in batches of 10,000), until the last is applied and, on disk, committed")
        .append(" (`durable()`). Three rounds each, alternating; the median.\n\n")
        .append("| store | updates/s (median) | rounds | file |\n|---|---|---|---|\n");
    List<Double> memory = new ArrayList<>();
    List<Double> disk = new ArrayList<>();
    long size = 0;
    for (int round = 0; round < 3; round++) {
      memory.add(publishAll(o, null));
      Path dir = Files.createTempDirectory(work, "persist");
      DiskHistory store = DiskHistory.open(dir);
      disk.add(publishAll(o, store));
      size = Files.size(dir.resolve(DiskHistory.FILE));
    }
    md.append(row("memory", memory, "-"))
        .append(row("disk (commit every 200 ms)", disk, mib(size)))
        .append("\nDisk against memory: ")
        .append(String.format(Locale.ROOT, "%.2f", median(disk) / median(memory)))
        .append(" times the rate.\n\n");
  }

  private static double publishAll(Options o, DiskHistory store) throws Exception {
    Hub.Builder b = Hub.builder();
    for (int t = 0; t < o.topics(); t++) {
      b.topic(Topic.of("t" + t, State.latest()).withRetention(Duration.ofDays(1), 64L << 20));
    }
    if (store != null) {
      b.history(store);
    }
    String padding = Payload.padding(o.payloadBytes());
    try (Hub hub = b.build()) {
      long start = System.nanoTime();
      for (int n = 1; n <= o.updates(); n++) {
        hub.publish("t" + (n % o.topics()), Bench.JSON.readTree(Payload.json(n, 0, padding)));
        if (n % 10_000 == 0) {
          long applied = n;
          await(() -> hub.stats().updates() >= applied);
        }
      }
      int all = o.updates();
      await(() -> hub.stats().updates() >= all);
      if (store != null) {
        store.durable().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
      return o.updates() / ((System.nanoTime() - start) / 1e9);
    }
  }

  // ---- 2. retention holds ----

  private static void retention(Options o, Path work, StringBuilder md) throws Exception {
    Duration keep = Duration.ofSeconds(10);
    long bytes = 2L << 20;
    int rate = 1000;
    int seconds = 120;
    md.append("## Retention holds\n\n")
        .append(o.topics())
        .append(" topics, each kept for ")
        .append(keep.toSeconds())
        .append(" s and at most ")
        .append(mib(bytes))
        .append(", on disk; ")
        .append(rate)
        .append(" updates/s of ")
        .append(o.payloadBytes())
        .append(" bytes in all for ")
        .append(seconds)
        .append(" s, twelve retention windows. What the topics keep is about ")
        .append(
            mib(
                keep.toSeconds()
                    * rate
                    * (Payload.json(1, 0, Payload.padding(o.payloadBytes())).length() + 32L)))
        .append(" (10 s of updates, each its data and 32 bytes); the file also holds MVStore's")
        .append(" chunks written in the last 45 s, which it reuses only after that (its retention")
        .append(" time, so that a crash finds the last commit whole). The file and the heap in")
        .append(
            " use after a full GC, every 10 s:\n\n| s | file | heap after GC |\n|---|---|---|\n");
    Path dir = Files.createTempDirectory(work, "retention");
    Hub.Builder b = Hub.builder().history(DiskHistory.open(dir));
    for (int t = 0; t < o.topics(); t++) {
      b.topic(Topic.of("t" + t, State.latest()).withRetention(keep, bytes));
    }
    String padding = Payload.padding(o.payloadBytes());
    try (Hub hub = b.build()) {
      long start = System.nanoTime();
      long n = 0;
      long nextSample = 10;
      while (true) {
        long elapsed = System.nanoTime() - start;
        if (elapsed >= seconds * 1_000_000_000L) {
          break;
        }
        long due = elapsed * rate / 1_000_000_000L;
        for (; n < due; n++) {
          hub.publish("t" + (n % o.topics()), Bench.JSON.readTree(Payload.json(n, 0, padding)));
        }
        if (elapsed >= nextSample * 1_000_000_000L) {
          System.gc();
          long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
          md.append("| ")
              .append(nextSample)
              .append(" | ")
              .append(mib(Files.size(dir.resolve(DiskHistory.FILE))))
              .append(" | ")
              .append(mib(heap))
              .append(" |\n");
          nextSample += 10;
        }
        TimeUnit.MILLISECONDS.sleep(1); // pacing, not waiting for an event
      }
    }
    md.append("\n");
  }

  // ---- 3. starting on an hour of history ----

  /** A clock the bench moves. */
  private static final class Moved extends Clock {
    private volatile Instant now = Instant.now().minus(Duration.ofHours(1));

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static Path hourOfHistory(Options o, Path work, StringBuilder md) throws Exception {
    int perSecond = 10;
    Path dir = Files.createTempDirectory(work, "hour");
    Moved clock = new Moved();
    long written;
    Supplier<Hub.Builder> builder =
        () -> {
          Hub.Builder b = Hub.builder();
          for (int t = 0; t < o.topics(); t++) {
            b.topic(Topic.of("t" + t, State.latest()).withRetention(Duration.ofHours(2), 1L << 30));
          }
          return b;
        };
    String padding = Payload.padding(o.payloadBytes());
    long fill = System.nanoTime();
    try (Hub hub = builder.get().clock(clock).history(DiskHistory.open(dir)).build()) {
      long n = 0;
      for (int tick = 0; tick < 3600 * perSecond; tick++) {
        clock.now = clock.now.plusMillis(1000 / perSecond);
        for (int t = 0; t < o.topics(); t++) {
          hub.publish("t" + t, Bench.JSON.readTree(Payload.json(++n, 0, padding)));
        }
        long all = n;
        await(() -> hub.stats().updates() >= all);
      }
      written = n;
    }
    double fillSeconds = (System.nanoTime() - fill) / 1e9;
    long size = Files.size(dir.resolve(DiskHistory.FILE));
    List<Double> starts = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      long start = System.nanoTime();
      try (Hub hub = builder.get().history(DiskHistory.open(dir)).build()) {
        starts.add((System.nanoTime() - start) / 1e6);
        hub.topics(); // started: every topic restored
      }
    }
    md.append("## Starting on an hour of history\n\n")
        .append(o.topics())
        .append(" topics, ")
        .append(perSecond)
        .append(" updates a second each for an hour: ")
        .append(String.format(Locale.ROOT, "%,d", written))
        .append(" updates of ")
        .append(o.payloadBytes())
        .append(" bytes, a file of ")
        .append(mib(size))
        .append(", written in ")
        .append(String.format(Locale.ROOT, "%.1f", fillSeconds))
        .append(" s. Building a hub on it (opening the file, restoring every topic), three")
        .append(" times, stopped cleanly in between: ")
        .append(starts.stream().map(s -> String.format(Locale.ROOT, "%.0f ms", s)).toList())
        .append(", median ")
        .append(String.format(Locale.ROOT, "%.0f ms", median(starts)))
        .append(".\n\n");
    return dir;
  }

  // ---- 4. a thousand screens loading their charts ----

  private static void screens(Options o, Path hour, StringBuilder md) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (Hub hub = hubOn(o, hour);
        NettyServer server =
            NettyServer.builder(hub)
                .port(0)
                .maxConnections(100_000)
                .maxConnectionsPerAddress(100_000)
                .start()) {
      URI root = URI.create("ws://127.0.0.1:" + server.port() + "/");
      HttpClient http = HttpClient.newHttpClient();
      List<Answer> screens = new ArrayList<>();
      for (int i = 0; i < o.screens(); i++) {
        Answer a = new Answer();
        http.newWebSocketBuilder()
            .subprotocols("wsproducer.v1")
            .buildAsync(root, a)
            .get(30, TimeUnit.SECONDS);
        screens.add(a);
      }
      for (Answer a : screens) {
        a.hello.get(30, TimeUnit.SECONDS);
      }
      long cpu = serverCpu(threads);
      long start = System.nanoTime();
      for (int i = 0; i < screens.size(); i++) {
        screens
            .get(i)
            .socket
            .sendText(
                "{\"type\":\"history\",\"topic\":\"t"
                    + (i % o.topics())
                    + "\",\"since\":-600000,\"points\":1000}",
                true);
      }
      int points = 0;
      for (Answer a : screens) {
        points += a.history.get(120, TimeUnit.SECONDS);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpuSeconds = (serverCpu(threads) - cpu) / 1e9;
      md.append("## A thousand screens loading their charts at once\n\n")
          .append(o.screens())
          .append(" WebSocket clients on the hub of the hour above (Netty, in this JVM), each")
          .append(" asking at once for the last 10 minutes of one topic (6,000 updates) in 1,000")
          .append(" points. Time from the first request to the last answer: ")
          .append(String.format(Locale.ROOT, "%.2f s", seconds))
          .append("; CPU of the server's threads (the hub's, Netty's, the history reads' and the")
          .append(" store's) meanwhile: ")
          .append(String.format(Locale.ROOT, "%.2f s", cpuSeconds))
          .append("; points answered: ")
          .append(String.format(Locale.ROOT, "%,d", points))
          .append(".\n");
      for (Answer a : screens) {
        a.socket.abort();
      }
    }
  }

  private static Hub hubOn(Options o, Path dir) {
    Hub.Builder b = Hub.builder().history(DiskHistory.open(dir));
    for (int t = 0; t < o.topics(); t++) {
      b.topic(Topic.of("t" + t, State.latest()).withRetention(Duration.ofHours(2), 1L << 30));
    }
    return b.build();
  }

  /** CPU time of the server's threads: the hub's, Netty's, the store's. */
  private static long serverCpu(ThreadMXBean threads) {
    long total = 0;
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null
          && (info.getThreadName().startsWith("wsproducer")
              || info.getThreadName().startsWith("MVStore"))) {
        long t = threads.getThreadCpuTime(info.getThreadId());
        total += Math.max(0, t);
      }
    }
    return total;
  }

  /** One screen: its hello, then the number of updates in its history answer. */
  private static final class Answer implements WebSocket.Listener {
    final CompletableFuture<Void> hello = new CompletableFuture<>();
    final CompletableFuture<Integer> history = new CompletableFuture<>();
    final StringBuilder text = new StringBuilder();
    WebSocket socket;

    @Override
    public void onOpen(WebSocket webSocket) {
      socket = webSocket;
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        String message = text.toString();
        text.setLength(0);
        var json = Bench.JSON.readTree(message);
        String type = json.path("type").asString();
        if (type.equals("hello")) {
          hello.complete(null);
        } else if (type.equals("history")) {
          history.complete(json.path("updates").size());
        } else if (type.equals("error")) {
          history.completeExceptionally(new IllegalStateException(message));
        }
      }
      webSocket.request(1);
      return null;
    }
  }

  // ---- helpers ----

  private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the hub did not apply the updates within 5 min");
      }
      Thread.onSpinWait();
    }
  }

  private static String row(String name, List<Double> rates, String file) {
    return "| "
        + name
        + " | "
        + String.format(Locale.ROOT, "%,.0f", median(rates))
        + " | "
        + rates.stream().map(r -> String.format(Locale.ROOT, "%,.0f", r)).toList()
        + " | "
        + file
        + " |\n";
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
