package io.github.wsproducer.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * Runs the side-by-side comparison and writes the report: every system gets the same workload,
 * server pinned to CPU 0 and load client to CPU 1, rounds alternating between systems, medians with
 * their range. The headline is server CPU-seconds per million delivered frames.
 */
final class Compare {

  /** When a workload's clients connect, and so what is measured. */
  enum Connect {
    /** Before the measurement: it is of the updates. */
    AHEAD,
    /** All at once (at most 256 handshakes under way) to a server that is publishing. */
    STORM,
    /**
     * All waiting before the server process starts, as after a deploy, trying again every 50 ms:
     * measured from the process's start to each connection's first frame.
     */
    RESTART
  }

  /**
   * What a run asks of a system. Rate 0 means idle connections, for memory per connection; {@code
   * stalled} clients stop reading.
   */
  record Workload(
      String name,
      int clients,
      int stalled,
      int rate,
      int payload,
      double warmup,
      double seconds,
      Connect connect) {

    Workload(
        String name, int clients, int stalled, int rate, int payload, double warm, double secs) {
      this(name, clients, stalled, rate, payload, warm, secs, Connect.AHEAD);
    }

    boolean idle() {
      return rate == 0;
    }

    /** Whether the measure is the time to each connection's first frame. */
    boolean storm() {
      return connect != Connect.AHEAD;
    }

    boolean restart() {
      return connect == Connect.RESTART;
    }

    /** Load-client processes: each holds at most this many connections from its own address. */
    int processes() {
      return (clients + PeerRunner.CONNECTIONS_PER_PROCESS - 1)
          / PeerRunner.CONNECTIONS_PER_PROCESS;
    }

    /** The same workload without stalled clients. */
    boolean isBaselineOf(Workload stall) {
      return stalled == 0 && clients == stall.clients && rate == stall.rate && stall.stalled > 0;
    }
  }

  /**
   * One run; memory figures in KB, read at the end of the measured window with the clients still
   * connected. Heap is the used heap after a full GC, NaN for a system that cannot tell. For a
   * restart, {@code connectCpuSeconds} counts from the server process's start, and {@code
   * readySeconds} is how long after it the server said it listened (NaN for other workloads).
   */
  record Run(
      String system,
      Workload workload,
      LoadResult client,
      double serverCpuSeconds,
      double serverKernelSeconds,
      double connectCpuSeconds,
      long serverRssKb,
      long rssBeforeKb,
      double heapKb,
      double heapBeforeKb,
      double readySeconds) {

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

  static final List<String> SYSTEMS =
      List.of(
          "wsproducer",
          "wsproducer-no-pings",
          "wsproducer-netty",
          "wsproducer-tomcat",
          "wsproducer-netty-disk",
          "wsproducer-c1",
          "wsproducer-netty-c1",
          "wsproducer-cds-c1",
          "wsproducer-netty-cds-c1",
          "wsproducer-before",
          "wsproducer-netty-before",
          "wsproducer-tomcat-before",
          "jetty",
          "netty",
          "tomcat",
          "node-ws",
          "socket.io",
          "python-eventlet");

  /** Many clients, all at 10 updates/s or idle. */
  private static final List<Workload> SCALE =
      List.of(
          new Workload(
              "5,000 clients connecting at once, 10 updates/s",
              5000,
              0,
              10,
              200,
              0,
              1,
              Connect.STORM),
          new Workload("10,000 clients, 10 updates/s", 10_000, 0, 10, 200, 3, 5),
          new Workload("10,000 idle clients", 10_000, 0, 0, 200, 1, 0.5));

  /** The modes, each a flag of {@code compare}. */
  static final List<String> MODES =
      List.of("quick", "full", "rates", "scale", "transports", "pairs");

  /**
   * The workload of {@code --pairs}: each client at the rate of {@code --transports}, but a quarter
   * of the clients, as two servers share CPU 0 and each must have well under half of it: a server
   * that falls behind writes more frames at a time, each for less CPU, and its figures are then not
   * of like with like.
   */
  static final Workload PAIRS =
      new Workload(
          "250 clients each, 50 updates/s, two servers at once on CPU 0", 250, 0, 50, 200, 30, 30);

  /** The systems of {@code --transports} unless {@code --systems} names others. */
  private static final List<String> TRANSPORTS =
      List.of(
          "wsproducer",
          "jetty",
          "wsproducer-tomcat",
          "tomcat",
          "wsproducer-netty",
          "netty",
          "node-ws");

  /** The options of {@code compare}: a mode and these. */
  static final List<String> OPTIONS = List.of("out", "systems", "before", "rounds", "warmup");

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
      case "pairs" -> List.of(PAIRS);
      // Each transport beside its own container's plain loop.
      case "transports" ->
          List.of(
              new Workload("1,000 clients, 50 updates/s", 1000, 0, 50, 200, 10, 5),
              new Workload("2,000 idle clients", 2000, 0, 0, 200, 1, 0.5),
              new Workload(
                  "5,000 clients waiting for a restart, 10 updates/s",
                  5000,
                  0,
                  10,
                  200,
                  0,
                  1,
                  Connect.RESTART));
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
   * {@code compare [--quick|--full|--rates|--scale] [--out FILE] [--systems a,b] [--before JAR]
   * [--rounds N] [--warmup S]}, with options as {@link Bench} parsed them: {@code --before} adds
   * "wsproducer-before", "wsproducer-netty-before" and "wsproducer-tomcat-before", wsproducer on
   * each transport from the bench server of another build of this jar, for before/after figures
   * measured side by side. {@code --pairs --systems a,b} runs the two at the same time instead, in
   * every round, and reports the ratio of their CPU per frame.
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
        Optional.ofNullable(options.get("systems"))
            .map(x -> List.of(x.split(",")))
            .or(() -> mode.equals("transports") ? Optional.of(TRANSPORTS) : Optional.empty());
    for (String name : systems.orElse(List.of())) {
      if (!SYSTEMS.contains(name)) {
        throw new IllegalArgumentException(
            "--systems: no system \"" + name + "\"; the systems are " + SYSTEMS);
      }
      if (name.endsWith("-before") && !options.containsKey("before")) {
        throw new IllegalArgumentException("--systems: " + name + " needs --before JAR");
      }
    }
    if (mode.equals("pairs")
        && systems.map(s -> s.size() != 2 || s.get(0).equals(s.get(1))).orElse(true)) {
      throw new IllegalArgumentException("--pairs: two systems, as --systems a,b");
    }
    Path out = Path.of(options.getOrDefault("out", "docs/benchmarks/" + mode + ".md"));
    int rounds = rounds(options.getOrDefault("rounds", "5"));
    List<Workload> workloads = workloads(mode);
    if (options.containsKey("warmup")) {
      double warmup = warmup(options.get("warmup"));
      workloads =
          workloads.stream()
              .map(
                  w ->
                      new Workload(
                          w.name(),
                          w.clients(),
                          w.stalled(),
                          w.rate(),
                          w.payload(),
                          warmup,
                          w.seconds(),
                          w.connect()))
              .toList();
    }
    // Stopped early, leave no server or client behind to disturb the next run.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () ->
                    ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly)));
    Path work = Path.of("target", "bench-peers");
    List<Peer> peers = new ArrayList<>(Peers.available(work));
    List<String> skipped = Peers.skipped(peers);
    Optional<String> before = Optional.ofNullable(options.get("before"));
    if (before.isPresent()) {
      // A build older than the "heap" command gives NaN after a 30 s wait; one older than
      // --transport runs only on Jetty.
      List<String> server = List.of("java", "-Xms512m", "-Xmx512m", "-jar", before.get(), "server");
      peers.add(1, new Peer("wsproducer-before", server, "/load", false, true));
      int at = 2;
      for (String transport : List.of("netty", "tomcat")) {
        List<String> on = new ArrayList<>(server);
        on.addAll(List.of("--transport", transport));
        peers.add(at++, new Peer("wsproducer-" + transport + "-before", on, "/load", false, true));
      }
    }
    systems.ifPresent(names -> peers.removeIf(p -> !names.contains(p.name())));
    if (mode.equals("pairs")) {
      pairs(out, options, rounds, workloads.get(0), systems.get(), peers, skipped);
      return;
    }
    List<Run> runs = new ArrayList<>();
    // Workloads of one rate share a server start; rounds alternate which system goes first.
    Map<String, List<Workload>> byServer = new LinkedHashMap<>();
    for (Workload w : workloads) {
      // A restart starts its own server, after its clients.
      String server = w.restart() ? w.name() : w.rate() + "/" + w.payload();
      byServer.computeIfAbsent(server, k -> new ArrayList<>()).add(w);
    }
    for (List<Workload> sameServer : byServer.values()) {
      for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < peers.size(); i++) {
          Peer p = peers.get((i + round) % peers.size());
          for (Run r : PeerRunner.run(p, sameServer)) {
            runs.add(r);
            print(r, round);
          }
        }
      }
    }
    Report.write(out, command(options), rounds, workloads, peers, skipped, runs);
    System.out.println("wrote " + out);
  }

  /**
   * Runs the two systems at once in every round, the one started first alternating, and writes the
   * report of their ratios.
   */
  private static void pairs(
      Path out,
      Map<String, String> options,
      int rounds,
      Workload w,
      List<String> names,
      List<Peer> peers,
      List<String> skipped)
      throws Exception {
    if (peers.size() != 2) {
      throw new IllegalArgumentException("--pairs: not available here: " + skipped);
    }
    // In the order named: the report's ratio is of the first to the second.
    peers.sort(Comparator.comparingInt(p -> names.indexOf(p.name())));
    List<List<Run>> pairs = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      List<Peer> order = round % 2 == 0 ? peers : List.of(peers.get(1), peers.get(0));
      List<Run> pair = new ArrayList<>(PeerRunner.runTogether(order, w));
      pair.sort(Comparator.comparingInt(r -> names.indexOf(r.system())));
      pairs.add(pair);
      pair.forEach(r -> print(r, pairs.size() - 1));
      System.out.printf(
          Locale.ROOT,
          "round %d: %s / %s = %.3f%n",
          round + 1,
          names.get(0),
          names.get(1),
          ratio(pair));
    }
    Report.writePairs(out, command(options), w, pairs);
    System.out.println("wrote " + out);
  }

  /** The first run's CPU per frame to the second's. */
  static double ratio(List<Run> pair) {
    return pair.get(0).serverCpuPerMillion() / pair.get(1).serverCpuPerMillion();
  }

  /** {@code --warmup S}: seconds before each measurement, for servers slow to catch up. */
  private static double warmup(String value) {
    try {
      double seconds = Double.parseDouble(value);
      if (seconds >= 0 && seconds <= 600) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--warmup: seconds from 0 to 600, not \"" + value + "\"");
  }

  private static int rounds(String value) {
    try {
      int rounds = Integer.parseInt(value);
      if (rounds >= 1) {
        return rounds;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "--rounds: a whole number of 1 or more, not \"" + value + "\"");
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
                    "%d connected in %.2f s, first frame p99 %.1f ms, last %.1f ms, server %.2f"
                        + " CPU-s",
                    r.client().connected(),
                    r.client().connectSeconds(),
                    r.client().firstFrameMs(99),
                    r.client().firstFrameMs(100),
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
