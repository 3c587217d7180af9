package io.github.wsproducer.bench;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/** The bench's command line; {@link #USAGE} lists the commands and their options. */
public final class Bench {
  static final JsonMapper JSON = JsonMapper.builder().build();

  static final String USAGE =
      """
      usage: java -jar producer-bench.jar COMMAND [options]
        server --port P --rate R --payload-bytes B [--system wsproducer|jetty|netty|tomcat]
               [--transport jetty|netty|tomcat] [--host H] [--history DIR]
            publishes R updates/s on topic "load" (clients connect at /load): wsproducer on
            the transport given (Jetty by default), with its history on disk in a new
            directory under DIR when given, or a bare Jetty, Netty or Tomcat broadcast loop;
            answers a line "heap" on standard input with "heap KB", its used heap after a full GC
        client --url ws://127.0.0.1:P/load --connections N --seconds S [--warmup W] [--stalled K]
               [--socketio] [--local-address 127.0.0.X] [--await-start] [--restart]
            prints one JSON line of results and a summary on standard error; the first K
            connections stop reading; --await-start waits for a line on standard input;
            --restart reads the server's start (System.nanoTime) from standard input, then
            connects, trying again every 50 ms until the server answers
        compare [--quick|--full|--rates|--scale|--transports|--pairs] [--out FILE] [--systems a,b]
                [--before JAR] [--rounds N] [--warmup S]
            runs the side-by-side comparison and writes docs/benchmarks/MODE.md (quick.md,
            full.md, ...), charts beside it; --before JAR adds "wsproducer-before",
            "wsproducer-netty-before" and "wsproducer-tomcat-before", the bench server of
            another build on each transport;
            N rounds (default 5) narrow the medians; S seconds of warm-up before each
            measurement instead of the workload's own; --pairs runs the two --systems at
            the same time on one core in every round and reports the ratio of their CPU per
            frame, which this machine's load does not swing; systems: %s
        history [--topics T] [--updates U] [--payload-bytes B] [--screens S] [--out FILE]
            what keeping history costs and holds: updates persisted a second on disk and in
            memory, retention's bounds on disk and heap, starting on an hour of history, S
            screens (1000) loading their charts at once; writes docs/benchmarks/history.md
            (run it with -Xmx2g)
        jmh [JMH options]
            the hub's micro-benchmarks
      """
          .formatted(String.join(", ", Compare.SYSTEMS));

  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      usage("a command is needed");
    }
    String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
    try {
      run(args[0], rest);
    } catch (IllegalArgumentException e) {
      usage(e.getMessage());
    }
  }

  private static void run(String command, String[] rest) throws Exception {
    switch (command) {
      case "server" -> {
        Map<String, String> o =
            options(
                rest,
                List.of("system", "transport", "host", "port", "rate", "payload-bytes", "history"));
        BenchServer server =
            BenchServer.start(
                o.getOrDefault("system", "wsproducer"),
                o.getOrDefault("transport", "jetty"),
                o.getOrDefault("host", "127.0.0.1"),
                Integer.parseInt(o.getOrDefault("port", "5050")),
                Integer.parseInt(o.getOrDefault("rate", "50")),
                Integer.parseInt(o.getOrDefault("payload-bytes", "200")),
                o.get("history"));
        System.out.println("listening on " + server.port());
        System.out.flush();
        BenchServer.answerHeapQueries(); // until the process is stopped
      }
      case "client" -> {
        Map<String, String> o =
            options(
                rest,
                List.of(
                    "url",
                    "connections",
                    "stalled",
                    "warmup",
                    "seconds",
                    "socketio",
                    "local-address",
                    "await-start",
                    "restart"));
        LoadResult r =
            LoadClient.run(
                new LoadClient.Options(
                    URI.create(o.getOrDefault("url", "ws://127.0.0.1:5050/load")),
                    Integer.parseInt(o.getOrDefault("connections", "100")),
                    Integer.parseInt(o.getOrDefault("stalled", "0")),
                    Double.parseDouble(o.getOrDefault("warmup", "2")),
                    Double.parseDouble(o.getOrDefault("seconds", "10")),
                    o.containsKey("socketio"),
                    o.get("local-address"),
                    o.containsKey("await-start"),
                    o.containsKey("restart")));
        if (!o.containsKey("await-start")) {
          System.out.println(JSON.writeValueAsString(r));
        }
        System.err.println(LoadResult.describe(r));
      }
      case "compare" ->
          Compare.run(
              options(
                  rest, Stream.concat(Compare.MODES.stream(), Compare.OPTIONS.stream()).toList()));
      case "history" -> {
        Map<String, String> o =
            options(rest, List.of("topics", "updates", "payload-bytes", "screens", "out"));
        HistoryBench.run(
            new HistoryBench.Options(
                Integer.parseInt(o.getOrDefault("topics", "10")),
                Integer.parseInt(o.getOrDefault("updates", "1000000")),
                Integer.parseInt(o.getOrDefault("payload-bytes", "200")),
                Integer.parseInt(o.getOrDefault("screens", "1000")),
                java.nio.file.Path.of(o.getOrDefault("out", "docs/benchmarks/history.md"))));
      }
      case "jmh" -> org.openjdk.jmh.Main.main(rest);
      default -> usage("unknown command \"" + command + "\"");
    }
  }

  /**
   * {@code --key value} pairs, and flags ({@code --key} alone) as "true", in the order given.
   *
   * @throws IllegalArgumentException for an argument that is not one of the {@code known} options
   */
  static Map<String, String> options(String[] args, List<String> known) {
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String key = args[i].startsWith("--") ? args[i].substring(2) : null;
      if (key == null || !known.contains(key)) {
        throw new IllegalArgumentException(
            "unknown option \"" + args[i] + "\"; the options are --" + String.join(", --", known));
      }
      boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
      o.put(key, flag ? "true" : args[++i]);
    }
    return o;
  }

  private static void usage(String problem) {
    System.err.println("error: " + problem);
    System.err.print(USAGE);
    System.exit(2);
  }
}
