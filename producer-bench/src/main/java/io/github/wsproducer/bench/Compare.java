package io.github.wsproducer.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the side-by-side comparison and writes the report: every system gets the same workload,
 * server pinned to CPU 0 and load client to CPU 1, rounds alternating between systems, medians with
 * their range. The headline is server CPU-seconds per million delivered frames.
 */
final class Compare {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

  /**
   * What a run asks of a system. Rate 0 means idle connections, for memory per connection; {@code
   * stalled} clients stop reading; a {@code storm} is measured while its clients connect, all at
   * once (at most 256 handshakes under way), to a server that is publishing.
   */
  record Workload(
      String name,
      int clients,
      int stalled,
      int rate,
      int payload,
      double warmup,
      double seconds,
      boolean storm) {

    Workload(
        String name, int clients, int stalled, int rate, int payload, double warm, double secs) {
      this(name, clients, stalled, rate, payload, warm, secs, false);
    }

    boolean idle() {
      return rate == 0;
    }

    /** Load-client processes: each holds at most this many connections from its own address. */
    int processes() {
      return (clients + CONNECTIONS_PER_PROCESS - 1) / CONNECTIONS_PER_PROCESS;
    }

    /** The same workload without stalled clients. */
    boolean isBaselineOf(Workload stall) {
      return stalled == 0 && clients == stall.clients && rate == stall.rate && stall.stalled > 0;
    }
  }

  /**
   * One run; memory figures in KB, read at the end of the measured window with the clients still
   * connected. Heap is the used heap after a full GC, NaN for a system that cannot tell.
   */
  record Run(
      String system,
      Workload workload,
      LoadClient.Result client,
      double serverCpuSeconds,
      double serverKernelSeconds,
      double connectCpuSeconds,
      long serverRssKb,
      long rssBeforeKb,
      double heapKb,
      double heapBeforeKb) {

    double rssPerConnectionKb() {
      return (serverRssKb - rssBeforeKb) / (double) client.connected();
    }

    double heapPerConnectionKb() {
      return (heapKb - heapBeforeKb) / client.connected();
    }

    /** The share of the server's CPU time spent in the kernel, in percent. */
    double kernelPercent() {
      return serverKernelSeconds / serverCpuSeconds * 100;
    }

    double serverCpuPerMillion() {
      return client.messages() == 0 ? Double.NaN : serverCpuSeconds / client.messages() * 1e6;
    }

    boolean clientSaturated() {
      return client.cpuSeconds() / client.seconds() >= 0.9;
    }
  }

  /**
   * A system under test: how to start its server, where its clients connect, whether it answers
   * "heap" on standard input with its used heap after a full GC.
   */
  record Peer(String name, List<String> command, String path, boolean socketIo, boolean heap) {}

  private static final int CONNECTIONS_PER_PROCESS = 5_000;

  static final List<String> SYSTEMS =
      List.of(
          "wsproducer", "wsproducer-before", "jetty", "node-ws", "socket.io", "python-eventlet");

  /** Many clients, all at 10 updates/s or idle. */
  private static final List<Workload> SCALE =
      List.of(
          new Workload(
              "5,000 clients connecting at once, 10 updates/s", 5000, 0, 10, 200, 0, 1, true),
          new Workload("10,000 clients, 10 updates/s", 10_000, 0, 10, 200, 3, 5),
          new Workload("10,000 idle clients", 10_000, 0, 0, 200, 1, 0.5));

  /** The modes, each a flag of {@code compare}. */
  static final List<String> MODES = List.of("quick", "full", "rates", "scale");

  /** The options of {@code compare}: a mode and these. */
  static final List<String> OPTIONS = List.of("out", "systems", "before");

  /** The workloads of each mode. */
  private static List<Workload> workloads(String mode) {
    return switch (mode) {
      case "quick" ->
          // Small enough to run in under 5 minutes.
          List.of(
              new Workload("250 clients, 50 updates/s", 250, 0, 50, 200, 1, 2),
              new Workload("250 clients, 50 updates/s, 10 stalled", 250, 10, 50, 200, 0.5, 1.5));
      case "full" ->
          Stream.concat(
                  Stream.of(
                      new Workload("1,000 clients, 50 updates/s", 1000, 0, 50, 200, 2, 5),
                      new Workload(
                          "1,000 clients, 50 updates/s, 10 stalled", 1000, 10, 50, 200, 1, 5),
                      new Workload("1,000 clients, 200 updates/s", 1000, 0, 200, 200, 2, 5),
                      new Workload("1,000 clients, 400 updates/s", 1000, 0, 400, 200, 2, 5)),
                  SCALE.stream())
              .toList();
      case "scale" -> SCALE;
      // Stepped rates, to find where each system stops keeping up.
      case "rates" ->
          List.of(
              new Workload("1,000 clients, 50 updates/s", 1000, 0, 50, 200, 2, 4),
              new Workload("1,000 clients, 100 updates/s", 1000, 0, 100, 200, 2, 4),
              new Workload("1,000 clients, 200 updates/s", 1000, 0, 200, 200, 2, 4));
      default -> throw new IllegalArgumentException("no mode \"" + mode + "\"");
    };
  }

  /**
   * {@code compare [--quick|--full|--rates|--scale] [--out FILE] [--systems a,b] [--before JAR]},
   * with options as {@link Bench} parsed them: {@code --before} adds "wsproducer-before", the bench
   * server of another build of this jar, for before/after figures measured side by side.
   *
   * @throws IllegalArgumentException for two modes or an unknown system, before anything runs
   */
  static void run(Map<String, String> options) throws Exception {
    List<String> modes = MODES.stream().filter(options::containsKey).toList();
    if (modes.size() > 1) {
      throw new IllegalArgumentException("one mode at a time, not " + modes);
    }
    String mode = modes.isEmpty() ? "quick" : modes.get(0);
    Optional<List<String>> systems =
        Optional.ofNullable(options.get("systems")).map(x -> List.of(x.split(",")));
    for (String name : systems.orElse(List.of())) {
      if (!SYSTEMS.contains(name)) {
        throw new IllegalArgumentException(
            "--systems: no system \"" + name + "\"; the systems are " + SYSTEMS);
      }
      if (name.equals("wsproducer-before") && !options.containsKey("before")) {
        throw new IllegalArgumentException("--systems: wsproducer-before needs --before JAR");
      }
    }
    Path out =
        Path.of(
            options.getOrDefault(
                "out",
                mode.equals("quick") ? "docs/benchmarks.md" : "docs/benchmarks-" + mode + ".md"));
    int rounds = 5;
    List<Workload> workloads = workloads(mode);
    // Stopped early, leave no server or client behind to disturb the next run.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () ->
                    ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly)));
    Path work = Path.of("target", "bench-peers");
    List<Peer> peers = new ArrayList<>(peers(work));
    List<String> skipped = skipped(peers);
    Optional<String> before = Optional.ofNullable(options.get("before"));
    if (before.isPresent()) {
      peers.add(
          1,
          new Peer(
              "wsproducer-before",
              List.of("java", "-Xms512m", "-Xmx512m", "-jar", before.get(), "server"),
              "/load",
              false,
              false)); // an older build may not answer "heap"
    }
    systems.ifPresent(names -> peers.removeIf(p -> !names.contains(p.name())));
    List<Run> runs = new ArrayList<>();
    // Workloads of one rate share a server start; rounds alternate which system goes first.
    Map<String, List<Workload>> byServer = new LinkedHashMap<>();
    for (Workload w : workloads) {
      byServer.computeIfAbsent(w.rate() + "/" + w.payload(), k -> new ArrayList<>()).add(w);
    }
    for (List<Workload> sameServer : byServer.values()) {
      for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < peers.size(); i++) {
          Peer p = peers.get((i + round) % peers.size());
          for (Run r : run(p, sameServer)) {
            runs.add(r);
            print(r, round);
          }
        }
      }
    }
    Report.write(out, command(options), rounds, workloads, peers, skipped, runs);
    System.out.println("wrote " + out);
  }

  /** The options as the report quotes them: without {@code --out}, which only names the file. */
  private static String command(Map<String, String> options) {
    StringBuilder command = new StringBuilder();
    options.forEach(
        (key, value) -> {
          if (!key.equals("out")) {
            command.append(" --").append(key).append(value.equals("true") ? "" : " " + value);
          }
        });
    return command.toString().trim();
  }

  private static void print(Run r, int round) {
    String what =
        r.workload().idle()
            ? String.format(
                Locale.ROOT,
                "%.1f KB RSS, %.1f KB heap per connection",
                r.rssPerConnectionKb(),
                r.heapPerConnectionKb())
            : r.workload().storm()
                ? String.format(
                    Locale.ROOT,
                    "%d connected in %.2f s, first frame p99 %.1f ms, server %.2f CPU-s",
                    r.client().connected(),
                    r.client().connectSeconds(),
                    r.client().firstFrameMs(99),
                    r.connectCpuSeconds())
                : String.format(
                    Locale.ROOT,
                    "%.0f frames/s, p99 %.2f ms, server %.2f CPU-s per 1M frames%s",
                    r.client().framesPerSecond(),
                    r.client().p99Ms(),
                    r.serverCpuPerMillion(),
                    r.clientSaturated() ? " (client saturated)" : "");
    System.out.printf(
        Locale.ROOT, "%s | %s | round %d: %s%n", r.workload().name(), r.system(), round + 1, what);
  }

  private static List<Peer> peers(Path work) throws Exception {
    String jar = ownJar();
    List<Peer> peers = new ArrayList<>();
    for (String system : List.of("wsproducer", "jetty")) {
      peers.add(
          new Peer(
              system,
              List.of("java", "-Xms512m", "-Xmx512m", "-jar", jar, "server", "--system", system),
              "/load",
              false,
              true));
    }
    if (installNodePeers(work)) {
      peers.add(
          new Peer(
              "node-ws",
              List.of("node", "--expose-gc", work.resolve("ws-server.js").toString()),
              "/load",
              false,
              true));
      peers.add(
          new Peer(
              "socket.io",
              List.of("node", "--expose-gc", work.resolve("socketio-server.js").toString()),
              "/socket.io/?EIO=4&transport=websocket",
              true,
              true));
    }
    if (succeeds(List.of(python(), "-c", "import eventlet"))) {
      copyPeer(work, "eventlet_server.py");
      peers.add(
          new Peer(
              "python-eventlet",
              List.of(python(), work.resolve("eventlet_server.py").toString()),
              "/load",
              false,
              false));
    }
    return peers;
  }

  private static List<String> skipped(List<Peer> peers) {
    List<String> skipped = new ArrayList<>();
    if (peers.stream().noneMatch(p -> p.name().equals("node-ws"))) {
      skipped.add("node-ws and socket.io: Node.js and npm are needed");
    }
    if (peers.stream().noneMatch(p -> p.name().equals("python-eventlet"))) {
      skipped.add("python-eventlet: apt-get install python3-eventlet");
    }
    return skipped;
  }

  private static String python() {
    return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
  }

  private static boolean installNodePeers(Path work) throws Exception {
    Files.createDirectories(work);
    copyPeer(work, "ws-server.js");
    copyPeer(work, "socketio-server.js");
    if (Files.isDirectory(work.resolve("node_modules/socket.io"))) {
      return true;
    }
    return succeeds(
        List.of(
            "npm",
            "install",
            "--no-audit",
            "--no-fund",
            "--prefix",
            work.toString(),
            "ws@8",
            "socket.io@4"));
  }

  private static void copyPeer(Path work, String name) throws IOException {
    Files.createDirectories(work);
    try (InputStream in = Compare.class.getResourceAsStream("/peers/" + name)) {
      Files.write(work.resolve(name), in.readAllBytes());
    }
  }

  private static boolean succeeds(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      return p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /**
   * Starts the peer's server once for workloads of the same rate and payload, and runs the load
   * client once per workload against it.
   */
  private static List<Run> run(Peer peer, List<Workload> sameServer) throws Exception {
    Workload first = sameServer.get(0);
    int port = freePort();
    List<String> serverCommand = new ArrayList<>(List.of("taskset", "-c", "0"));
    serverCommand.addAll(peer.command());
    if (peer.command().get(0).equals("java")) {
      serverCommand.addAll(
          List.of(
              "--port",
              "" + port,
              "--rate",
              "" + first.rate(),
              "--payload-bytes",
              "" + first.payload()));
    } else {
      serverCommand.addAll(List.of("" + port, "" + first.rate(), "" + first.payload()));
    }
    Process server = new ProcessBuilder(serverCommand).redirectErrorStream(true).start();
    try {
      Server s = new Server(peer, server);
      for (String line; (line = s.out.readLine()) != null && !line.startsWith("listening"); ) {
        // startup output
      }
      Thread drain = new Thread(s::readHeapReplies);
      drain.setDaemon(true);
      drain.start();
      List<Run> runs = new ArrayList<>();
      for (Workload w : sameServer) {
        runs.add(runClients(s, w, port));
      }
      return runs;
    } finally {
      server.destroy();
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  /** A running peer server: its process, and its answers to "heap". */
  private static final class Server {
    final Peer peer;
    final Process process;
    final BufferedReader out;
    final BlockingQueue<Double> heapReplies = new LinkedBlockingQueue<>();

    Server(Peer peer, Process process) {
      this.peer = peer;
      this.process = process;
      this.out = reader(process.getInputStream());
    }

    void readHeapReplies() {
      try {
        for (String line; (line = out.readLine()) != null; ) {
          if (line.startsWith("heap ")) {
            heapReplies.add(Double.parseDouble(line.substring(5)));
          }
        }
      } catch (IOException e) {
        // the process ended
      }
    }

    /** Used heap after a full GC in KB, or NaN. */
    double heapKb() throws IOException, InterruptedException {
      if (!peer.heap()) {
        return Double.NaN;
      }
      process.getOutputStream().write("heap\n".getBytes(StandardCharsets.US_ASCII));
      process.getOutputStream().flush();
      Double kb = heapReplies.poll(30, TimeUnit.SECONDS);
      return kb == null ? Double.NaN : kb;
    }

    double cpuSeconds() throws IOException {
      return Compare.cpuSeconds(process.pid(), true);
    }

    double kernelSeconds() throws IOException {
      return Compare.cpuSeconds(process.pid(), false);
    }

    long rssKb() throws IOException {
      return Compare.rssKb(process.pid());
    }
  }

  /**
   * Runs a workload's load clients: one process per {@value #CONNECTIONS_PER_PROCESS} connections,
   * each from its own 127.0.0.x address, all on CPU 1. They connect, then start their warm-up
   * together, and stay connected until the server's memory has been read.
   */
  private static Run runClients(Server server, Workload w, int port) throws Exception {
    long rssBefore = server.rssKb();
    double heapBefore = server.heapKb();
    List<Process> clients = new ArrayList<>();
    int processes = w.processes();
    for (int i = 0; i < processes; i++) {
      int connections = w.clients() / processes + (i < w.clients() % processes ? 1 : 0);
      clients.add(startClient(server.peer, w, port, i, connections, i == 0 ? w.stalled() : 0));
    }
    try {
      List<BufferedReader> outs = clients.stream().map(p -> reader(p.getInputStream())).toList();
      double connectingCpu = Double.NaN;
      for (BufferedReader out : outs) {
        expect(out, "connecting");
        if (Double.isNaN(connectingCpu)) {
          connectingCpu = server.cpuSeconds();
        }
        expect(out, "connected");
      }
      double connectCpu = server.cpuSeconds() - connectingCpu;
      for (Process p : clients) {
        p.getOutputStream().write("go\n".getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().flush();
      }
      double cpuStart = Double.NaN;
      double kernelStart = Double.NaN;
      for (BufferedReader out : outs) {
        expect(out, "measuring");
        if (Double.isNaN(cpuStart)) {
          cpuStart = server.cpuSeconds();
          kernelStart = server.kernelSeconds();
        }
      }
      List<LoadClient.Result> results = new ArrayList<>();
      for (BufferedReader out : outs) {
        results.add(JSON.readValue(expect(out, "{"), LoadClient.Result.class));
      }
      double cpu = server.cpuSeconds() - cpuStart;
      double kernel = server.kernelSeconds() - kernelStart;
      long rss = server.rssKb();
      double heap = server.heapKb();
      return new Run(
          server.peer.name(),
          w,
          LoadClient.Result.merge(results),
          cpu,
          kernel,
          connectCpu,
          rss,
          rssBefore,
          heap,
          heapBefore);
    } finally {
      for (Process p : clients) {
        p.getOutputStream().close(); // the clients disconnect and exit
      }
      for (Process p : clients) {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  private static Process startClient(
      Peer peer, Workload w, int port, int index, int connections, int stalled) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "taskset",
                "-c",
                "1",
                "java",
                "-Xms1g",
                "-Xmx1g",
                "-jar",
                ownJar(),
                "client",
                "--url",
                "ws://127.0.0.1:" + port + peer.path(),
                "--connections",
                "" + connections,
                "--warmup",
                "" + w.warmup(),
                "--seconds",
                "" + w.seconds(),
                "--stalled",
                "" + stalled,
                "--local-address",
                "127.0.0." + (index + 1),
                "--await-start"));
    if (peer.socketIo()) {
      command.add("--socketio");
    }
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  /** Reads up to the first line that starts with {@code prefix} and returns it. */
  private static String expect(BufferedReader out, String prefix) throws IOException {
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    throw new IllegalStateException("a load client ended before \"" + prefix + "\"");
  }

  /** The path of this benchmark jar, which the servers and clients run from. */
  private static String ownJar() throws Exception {
    return Path.of(Compare.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString();
  }

  private static BufferedReader reader(InputStream in) {
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A process's CPU time so far: user and kernel, or kernel alone. */
  static double cpuSeconds(long pid, boolean withUser) throws IOException {
    String stat = Files.readString(Path.of("/proc", "" + pid, "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long kernel = Long.parseLong(fields[12]);
    return (kernel + (withUser ? Long.parseLong(fields[11]) : 0)) / (double) CLOCK_TICKS_PER_SECOND;
  }

  static long rssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", "" + pid, "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  /** Median and range of a measure over runs. */
  record Spread(double median, double min, double max) {
    static Spread of(List<Run> runs, ToDoubleFunction<Run> measure) {
      double[] xs = runs.stream().mapToDouble(measure).sorted().toArray();
      return new Spread(xs[xs.length / 2], xs[0], xs[xs.length - 1]);
    }
  }

  static Map<String, List<Run>> bySystem(List<Run> runs, Workload w) {
    Map<String, List<Run>> by = new LinkedHashMap<>();
    for (Run r : runs) {
      if (r.workload().equals(w)) {
        by.computeIfAbsent(r.system(), k -> new ArrayList<>()).add(r);
      }
    }
    return by;
  }

  private Compare() {}
}
