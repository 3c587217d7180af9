package io.github.wsproducer.bench;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code java -jar producer-bench.jar COMMAND [options]}
 *
 * <ul>
 *   <li>{@code server --port P --rate R --payload-bytes B [--system wsproducer|jetty]}: answers a
 *       line "heap" on standard input with "heap KB", its used heap after a full GC
 *   <li>{@code client --url ws://127.0.0.1:P/load --connections N --seconds S [--warmup W]
 *       [--stalled K] [--socketio] [--local-address 127.0.0.X] [--await-start]}: prints one JSON
 *       line of results, and a summary on standard error; the first K connections stop reading;
 *       with {@code --await-start} it waits for a line on standard input before warming up
 *   <li>{@code compare [--quick|--full|--rates|--idle] [--out FILE] [--systems a,b] [--before
 *       JAR]}: runs the comparison and writes the report, by default docs/benchmarks.md or
 *       docs/benchmarks-MODE.md; {@code --before} adds the bench server of another build
 *   <li>{@code jmh [JMH options]}: the hub's micro-benchmarks
 * </ul>
 */
public final class Bench {
  static final JsonMapper JSON = JsonMapper.builder().build();

  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      usage("a command is needed");
    }
    String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "server" -> {
        Map<String, String> o = options(rest);
        BenchServer server =
            BenchServer.start(
                o.getOrDefault("system", "wsproducer"),
                o.getOrDefault("host", "127.0.0.1"),
                Integer.parseInt(o.getOrDefault("port", "5050")),
                Integer.parseInt(o.getOrDefault("rate", "50")),
                Integer.parseInt(o.getOrDefault("payload-bytes", "200")));
        System.out.println("listening on " + server.port());
        System.out.flush();
        BenchServer.answerHeapQueries(); // until the process is stopped
      }
      case "client" -> {
        Map<String, String> o = options(rest);
        LoadClient.Result r =
            LoadClient.run(
                new LoadClient.Options(
                    URI.create(o.getOrDefault("url", "ws://127.0.0.1:5050/load")),
                    Integer.parseInt(o.getOrDefault("connections", "100")),
                    Integer.parseInt(o.getOrDefault("stalled", "0")),
                    Double.parseDouble(o.getOrDefault("warmup", "2")),
                    Double.parseDouble(o.getOrDefault("seconds", "10")),
                    o.containsKey("socketio"),
                    o.get("local-address"),
                    o.containsKey("await-start")));
        if (!o.containsKey("await-start")) {
          System.out.println(JSON.writeValueAsString(r));
        }
        System.err.println(LoadClient.describe(r));
      }
      case "compare" -> Compare.main(rest);
      case "jmh" -> org.openjdk.jmh.Main.main(rest);
      default -> usage("unknown command \"" + args[0] + "\"");
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        usage("unexpected argument \"" + args[i] + "\"");
      }
      String key = args[i].substring(2);
      boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
      o.put(key, flag ? "true" : args[++i]);
    }
    return o;
  }

  private static void usage(String problem) {
    System.err.println("error: " + problem);
    System.err.println(
        "usage: java -jar producer-bench.jar server|client|compare|jmh [options]; see Bench.java");
    System.exit(2);
  }
}
