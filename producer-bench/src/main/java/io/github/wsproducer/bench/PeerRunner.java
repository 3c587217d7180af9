package io.github.wsproducer.bench;

import io.github.wsproducer.bench.Compare.Peer;
import io.github.wsproducer.bench.Compare.Run;
import io.github.wsproducer.bench.Compare.Workload;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one system under test: its server process pinned to CPU 0, the load client processes on CPU
 * 1, and the figures read from {@code /proc} (CPU time, RSS) and the server (heap).
 */
final class PeerRunner {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux
  static final int CONNECTIONS_PER_PROCESS = 5_000;

  private PeerRunner() {}

  /**
   * Starts the peer's server once for workloads of the same rate and payload, and runs the load
   * client once per workload against it.
   */
  static List<Run> run(Peer peer, List<Workload> sameServer) throws Exception {
    Workload first = sameServer.get(0);
    train(peer, first);
    int port = freePort();
    if (first.restart()) {
      return List.of(restart(peer, first, port));
    }
    Server s = new Server(peer, start(serverCommand(peer, first, port)));
    try {
      s.awaitListening();
      List<Run> runs = new ArrayList<>();
      for (Workload w : sameServer) {
        runs.add(runClients(s, w, port, null, Double.NaN, null));
      }
      return runs;
    } finally {
      s.stop();
    }
  }

  /**
   * Runs the peers' servers at the same time, all on CPU 0, in the order given, each with its own
   * load clients on CPU 1: the clients of all start their warm-up together, so the measured windows
   * coincide and what else the machine does at the time falls on every server alike. Heap is read
   * once every server's window has ended, as its full GC takes CPU 0.
   */
  static List<Run> runTogether(List<Peer> peers, Workload w) throws Exception {
    List<Server> servers = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    ExecutorService each = Executors.newFixedThreadPool(peers.size());
    try {
      for (Peer p : peers) {
        int port = freePort();
        Server s = new Server(p, start(serverCommand(p, w, port)));
        servers.add(s);
        ports.add(port);
        s.awaitListening();
      }
      CyclicBarrier together = new CyclicBarrier(peers.size());
      List<Future<Run>> runs = new ArrayList<>();
      for (int i = 0; i < servers.size(); i++) {
        Server s = servers.get(i);
        int port = ports.get(i);
        runs.add(each.submit(() -> runClients(s, w, port, null, Double.NaN, together)));
      }
      List<Run> done = new ArrayList<>();
      for (Future<Run> r : runs) {
        done.add(r.get());
      }
      return done;
    } finally {
      each.shutdownNow();
      for (Server s : servers) {
        s.stop();
      }
    }
  }

  /** The class-data archives made by this process: an archive made by another jar is stale. */
  private static final Set<String> trained = new HashSet<>();

  private static final int TRAINING_CLIENTS = 500;

  /**
   * Makes the peer's class-data archive once per comparison, when its command names one: a training
   * run of its server, with {@value #TRAINING_CLIENTS} clients for a few seconds, writes the
   * classes it loaded to the archive when it exits.
   */
  private static void train(Peer peer, Workload w) throws Exception {
    int at = -1;
    for (int i = 0; i < peer.command().size(); i++) {
      if (peer.command().get(i).startsWith(Peers.ARCHIVE)) {
        at = i;
      }
    }
    if (at < 0 || !trained.add(peer.name())) {
      return;
    }
    String archive = peer.command().get(at).substring(Peers.ARCHIVE.length());
    Files.deleteIfExists(Path.of(archive));
    List<String> command = new ArrayList<>(peer.command());
    command.set(at, "-XX:ArchiveClassesAtExit=" + archive);
    Peer training = new Peer(peer.name(), command, peer.path(), peer.socketIo(), peer.heap());
    int port = freePort();
    Workload load =
        new Workload("training", TRAINING_CLIENTS, 0, Math.max(1, w.rate()), w.payload(), 1, 2);
    Server s = new Server(training, start(serverCommand(training, load, port)));
    try {
      s.awaitListening();
      runClients(s, load, port, null, Double.NaN, null);
    } finally {
      s.stop(); // the archive is written as the JVM exits
    }
    if (!Files.isRegularFile(Path.of(archive))) {
      throw new IllegalStateException(peer.name() + ": the training run wrote no " + archive);
    }
  }

  /**
   * Starts the load clients first and the server once they wait, as after a deploy: their first
   * frames and the server's CPU time count from the moment its process starts.
   */
  private static Run restart(Peer peer, Workload w, int port) throws Exception {
    Clients clients = startClients(peer, w, port);
    Server s = null;
    try {
      for (BufferedReader out : clients.outs()) {
        expect(out, "waiting");
      }
      long start = System.nanoTime();
      s = new Server(peer, start(serverCommand(peer, w, port)));
      clients.say("" + start);
      s.awaitListening();
      double ready = (System.nanoTime() - start) / 1e9;
      return runClients(s, w, port, clients, ready, null);
    } finally {
      if (s != null) {
        s.stop();
      } else {
        clients.processes().forEach(Process::destroyForcibly);
      }
    }
  }

  private static Process start(List<String> command) throws IOException {
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static List<String> serverCommand(Peer peer, Workload w, int port) {
    List<String> command = new ArrayList<>(List.of("taskset", "-c", "0"));
    command.addAll(peer.command());
    if (peer.command().get(0).equals("java")) {
      command.addAll(
          List.of(
              "--port", "" + port, "--rate", "" + w.rate(), "--payload-bytes", "" + w.payload()));
    } else {
      command.addAll(List.of("" + port, "" + w.rate(), "" + w.payload()));
    }
    return command;
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

    /**
     * Reads the server's output up to "listening", then its answers to "heap" in the background.
     */
    void awaitListening() throws IOException {
      for (String line; (line = out.readLine()) != null && !line.startsWith("listening"); ) {
        // startup output
      }
      Thread drain = new Thread(this::readHeapReplies);
      drain.setDaemon(true);
      drain.start();
    }

    void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
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
      return PeerRunner.cpuSeconds(process.pid(), true);
    }

    double kernelSeconds() throws IOException {
      return PeerRunner.cpuSeconds(process.pid(), false);
    }

    long rssKb() throws IOException {
      return PeerRunner.rssKb(process.pid());
    }
  }

  /**
   * A workload's load clients: one process per {@value #CONNECTIONS_PER_PROCESS} connections, each
   * from its own 127.0.0.x address, all on CPU 1.
   */
  private static Clients startClients(Peer peer, Workload w, int port) throws Exception {
    List<Process> clients = new ArrayList<>();
    int processes = w.processes();
    for (int i = 0; i < processes; i++) {
      int connections = w.clients() / processes + (i < w.clients() % processes ? 1 : 0);
      clients.add(startClient(peer, w, port, i, connections, i == 0 ? w.stalled() : 0));
    }
    return new Clients(clients, clients.stream().map(p -> reader(p.getInputStream())).toList());
  }

  /** Load client processes and their output. */
  private record Clients(List<Process> processes, List<BufferedReader> outs) {
    /** Writes a line to every client. */
    void say(String line) throws IOException {
      for (Process p : processes) {
        p.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().flush();
      }
    }
  }

  /**
   * Runs a workload's load clients: they connect, then start their warm-up together, and stay
   * connected until the server's memory has been read. A restart's clients were {@code started}
   * before its server, whose memory before them is thus not known; others start once it is read.
   * Servers run {@code together} start their clients' warm-up at once, and read their memory once
   * all have read their CPU time.
   */
  private static Run runClients(
      Server server, Workload w, int port, Clients started, double ready, CyclicBarrier together)
      throws Exception {
    long rssBefore = started != null ? 0 : server.rssKb();
    double heapBefore = started != null ? Double.NaN : server.heapKb();
    Clients clients = started != null ? started : startClients(server.peer, w, port);
    try {
      List<BufferedReader> outs = clients.outs();
      double connectingCpu = w.restart() ? 0 : Double.NaN;
      for (BufferedReader out : outs) {
        expect(out, "connecting");
        if (Double.isNaN(connectingCpu)) {
          connectingCpu = server.cpuSeconds();
        }
        expect(out, "connected");
      }
      double connectCpu = server.cpuSeconds() - connectingCpu;
      await(together);
      clients.say("go");
      double cpuStart = Double.NaN;
      double kernelStart = Double.NaN;
      for (BufferedReader out : outs) {
        expect(out, "measuring");
        if (Double.isNaN(cpuStart)) {
          cpuStart = server.cpuSeconds();
          kernelStart = server.kernelSeconds();
        }
      }
      List<LoadResult> results = new ArrayList<>();
      for (BufferedReader out : outs) {
        results.add(JSON.readValue(expect(out, "{"), LoadResult.class));
      }
      double cpu = server.cpuSeconds() - cpuStart;
      double kernel = server.kernelSeconds() - kernelStart;
      await(together);
      long rss = server.rssKb();
      double heap = server.heapKb();
      return new Run(
          server.peer.name(),
          w,
          LoadResult.merge(results),
          cpu,
          kernel,
          connectCpu,
          rss,
          rssBefore,
          heap,
          heapBefore,
          ready);
    } finally {
      for (Process p : clients.processes()) {
        p.getOutputStream().close(); // the clients disconnect and exit
      }
      for (Process p : clients.processes()) {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  private static void await(CyclicBarrier together) throws Exception {
    if (together != null) {
      together.await(5, TimeUnit.MINUTES); // a server that fails breaks it for the others
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
    if (w.restart()) {
      command.add("--restart");
    }
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
  static String ownJar() throws Exception {
    return Path.of(PeerRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString();
  }

  private static BufferedReader reader(InputStream in) {
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  /**
   * A free port below the kernel's range of ephemeral ports: a client that keeps trying a port in
   * that range while nothing listens there may connect to itself (its own source port chosen as the
   * destination), and the server could then not bind it.
   */
  private static int freePort() throws IOException {
    String[] range =
        Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
            .get(0)
            .trim()
            .split("\\s+");
    int below = Integer.parseInt(range[0]);
    for (int port = below - 1 - new java.util.Random().nextInt(1000); port > 1024; port--) {
      try (ServerSocket s = new ServerSocket(port)) {
        return s.getLocalPort();
      } catch (IOException taken) {
        // the next one
      }
    }
    throw new IOException("no free port below " + below);
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
}
