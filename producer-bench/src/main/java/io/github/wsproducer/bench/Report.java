package io.github.wsproducer.bench;

import io.github.wsproducer.bench.Compare.Peer;
import io.github.wsproducer.bench.Compare.Run;
import io.github.wsproducer.bench.Compare.Spread;
import io.github.wsproducer.bench.Compare.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Writes a report under docs/benchmarks/ and its SVG charts beside it, from one comparison. */
final class Report {
  private Report() {}

  static void write(
      Path out,
      String mode,
      int rounds,
      List<Workload> workloads,
      List<Peer> peers,
      List<String> skipped,
      List<Run> runs)
      throws IOException {
    Path charts = out.toAbsolutePath().getParent();
    Files.createDirectories(charts);
    StringBuilder md = new StringBuilder();
    md.append("# Benchmarks\n\n")
        .append("Written by `java -jar producer-bench/target/producer-bench.jar compare")
        .append(" ")
        .append(mode)
        .append("` on ")
        .append(LocalDate.now())
        .append(". Every system serves the same workload: a server publishing updates of ")
        .append("about 200 bytes (`{\"n\":…,\"ts\":…,\"pad\":…}`) to plain WebSocket clients; ")
        .append("the load client records the latency from `ts` (same host, monotonic clock), ")
        .append("delivered frames and gaps in `n`. Server pinned to CPU 0 and client to CPU 1 ")
        .append("(`taskset`), fixed heaps (server 512 MB, client 1 GB), ")
        .append(rounds)
        .append(" rounds alternating between systems; figures are medians with the range ")
        .append("(min to max) over the rounds. The headline is **server CPU-seconds per million ")
        .append("delivered frames** (lower is better), with the share of it spent in the kernel ")
        .append("(from `/proc`; on loopback a socket write also pays for the receiving side's TCP ")
        .append("work, so that share is the floor of what one write per frame costs; the kernel ")
        .append("counts it in 10 ms ticks, so in short runs the share is coarse). ")
        .append("A run whose load client used 90 % or more ")
        .append(
            "of its core is flagged: its latency says more about the client than the server.\n\n");
    md.append("## Machine\n\n").append(machine()).append('\n');
    if (!skipped.isEmpty()) {
      md.append("Not measured in this run: ").append(String.join("; ", skipped)).append(".\n\n");
    }
    for (Workload w : workloads) {
      Map<String, List<Run>> by = Compare.bySystem(runs, w);
      md.append("## ").append(w.name()).append("\n\n");
      if (w.idle()) {
        md.append("Memory each idle connection costs the server process: the growth of its")
            .append(" resident set, and of its used heap after a full GC, from before the")
            .append(" clients connected to after (heap: Java and Node only).\n\n");
        table(
            md,
            by,
            List.of(
                new Column("RSS KB per connection", Run::rssPerConnectionKb, "%.1f"),
                new Column("heap KB per connection", Run::heapPerConnectionKb, "%.1f")));
        continue;
      }
      if (w.restart()) {
        md.append("The clients are waiting before the server process starts, as screens are")
            .append(" after a deploy: each tries to connect every 50 ms until it is answered")
            .append(" (at most 256 handshakes under way per client process). Every time counts")
            .append(" from the start of the server process: when it said it listened, and when")
            .append(" each client had its first frame (the snapshot, or the peers' latest")
            .append(" update). Server CPU: from its start until every client had connected.\n\n");
        table(
            md,
            by,
            List.of(
                new Column("connected", r -> r.client().connected(), "%.0f"),
                new Column("listening s", Run::readySeconds, "%.2f"),
                new Column("first frame p50 ms", r -> r.client().firstFrameMs(50), "%.0f"),
                new Column("first frame p99 ms", r -> r.client().firstFrameMs(99), "%.0f"),
                new Column("last first frame ms", r -> r.client().firstFrameMs(100), "%.0f"),
                new Column("server CPU-s", Run::connectCpuSeconds, "%.2f")));
        continue;
      }
      if (w.storm()) {
        md.append("All clients connect at once (at most 256 handshakes under way) while the")
            .append(" server publishes. First frame: from starting a connection to its first")
            .append(" update, which every system sends at once to a new client (wsproducer its")
            .append(" snapshot, the peers the latest update; eventlet's per-client loop its first")
            .append(" update).\n\n");
        table(
            md,
            by,
            List.of(
                new Column("connected", r -> r.client().connected(), "%.0f"),
                new Column("seconds to connect all", r -> r.client().connectSeconds(), "%.2f"),
                new Column("first frame p50 ms", r -> r.client().firstFrameMs(50), "%.1f"),
                new Column("first frame p99 ms", r -> r.client().firstFrameMs(99), "%.1f"),
                new Column("server CPU-s while connecting", Run::connectCpuSeconds, "%.2f")));
        continue;
      }
      if (w.stalled() > 0) {
        md.append("The first ")
            .append(w.stalled())
            .append(" clients stop reading after their first frame; the figures are the other")
            .append(" clients'. Server RSS and heap show what the stalled ones cost.\n\n");
      }
      md.append(
          "| system | server CPU-s per 1M frames | of it in the kernel % | delivered frames/s | p50 ms"
              + " | p99 ms | p99.9 ms | gaps | server RSS MB | server heap MB | client saturated"
              + " |\n");
      md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
      for (Map.Entry<String, List<Run>> e : by.entrySet()) {
        List<Run> rs = e.getValue();
        md.append("| ")
            .append(e.getKey())
            .append(" | ")
            .append(spread(rs, Run::serverCpuPerMillion, "%.2f"))
            .append(" | ")
            .append(spread(rs, Run::kernelPercent, "%.0f"))
            .append(" | ")
            .append(spread(rs, r -> r.client().framesPerSecond(), "%,.0f"))
            .append(" | ")
            .append(spread(rs, r -> r.client().p50Ms(), "%.2f"))
            .append(" | ")
            .append(spread(rs, r -> r.client().p99Ms(), "%.2f"))
            .append(" | ")
            .append(spread(rs, r -> r.client().p999Ms(), "%.2f"))
            .append(" | ")
            .append(rs.stream().mapToLong(r -> r.client().gaps()).sum())
            .append(" | ")
            .append(spread(rs, r -> r.serverRssKb() / 1024.0, "%.0f"))
            .append(" | ")
            .append(spread(rs, r -> r.heapKb() / 1024.0, "%.1f"))
            .append(" | ")
            .append(rs.stream().filter(Run::clientSaturated).count())
            .append(" of ")
            .append(rs.size())
            .append(" |\n");
      }
      // Named after the report too: the reports of several modes share the folder.
      String slug =
          (out.getFileName() + "-" + w.name())
              .replaceAll("[^a-z0-9]+", "-")
              .replaceAll("^-|-$", "");
      chart(
          charts.resolve(slug + "-cpu.svg"),
          "Server CPU-s per 1M delivered frames",
          by,
          Run::serverCpuPerMillion);
      chart(charts.resolve(slug + "-p99.svg"), "p99 latency, ms", by, r -> r.client().p99Ms());
      md.append("\n![CPU per frame](")
          .append(slug)
          .append("-cpu.svg) ![p99 latency](")
          .append(slug)
          .append("-p99.svg)\n\n");
    }
    md.append(Standing.of(workloads, runs));
    md.append("## Exact command\n\n```sh\n./mvnw -B -q package -DskipTests\n")
        .append("java -jar producer-bench/target/producer-bench.jar compare")
        .append(" ")
        .append(mode)
        .append("\n```\n");
    Files.writeString(out, md.toString());
  }

  /**
   * Writes the report of {@code compare --pairs}: each round's two runs, made at the same time, and
   * the ratio of their CPU per frame.
   */
  static void writePairs(Path out, String mode, Workload w, List<List<Run>> pairs)
      throws IOException {
    Files.createDirectories(out.toAbsolutePath().getParent());
    String a = pairs.get(0).get(0).system();
    String b = pairs.get(0).get(1).system();
    StringBuilder md = new StringBuilder();
    md.append("# ")
        .append(a)
        .append(" beside ")
        .append(b)
        .append(", in pairs\n\nWritten by `java -jar producer-bench/target/producer-bench.jar")
        .append(" compare ")
        .append(mode)
        .append("` on ")
        .append(LocalDate.now())
        .append(". Both servers run at the same time, pinned together to CPU 0, each publishing ")
        .append(w.rate())
        .append(" updates/s of about ")
        .append(w.payload())
        .append(" bytes to its own ")
        .append(String.format(Locale.ROOT, "%,d", w.clients()))
        .append(" clients (load clients on CPU 1). Both sets of clients start their ")
        .append(String.format(Locale.ROOT, "%.0f", w.warmup()))
        .append(" s warm-up together, and each server's CPU time (from `/proc`) is read over its ")
        .append(String.format(Locale.ROOT, "%.0f", w.seconds()))
        .append(" s measured window; the windows coincide. Whatever else the machine does at the")
        .append(" time falls on both servers, so the ratio of their CPU per frame holds where")
        .append(" the figures of rounds run one after another swing with the machine's load.")
        .append(" Which server starts first alternates between rounds.\n\n");
    md.append("## Machine\n\n").append(machine()).append('\n');
    md.append("## Rounds\n\n| round | started first | ")
        .append(a)
        .append(" CPU-s per 1M frames | ")
        .append(b)
        .append(" CPU-s per 1M frames | ")
        .append(a)
        .append(" / ")
        .append(b)
        .append(" | of it in the kernel: ")
        .append(a)
        .append(" % | ")
        .append(b)
        .append(" % | ")
        .append(a)
        .append(" p99 ms | ")
        .append(b)
        .append(" p99 ms | ")
        .append(a)
        .append(" frames/s | ")
        .append(b)
        .append(" frames/s |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < pairs.size(); i++) {
      List<Run> pair = pairs.get(i);
      md.append(
          String.format(
              Locale.ROOT,
              "| %d | %s | %.2f | %.2f | %.3f | %.0f | %.0f | %.2f | %.2f | %,.0f | %,.0f |%n",
              i + 1,
              i % 2 == 0 ? a : b,
              pair.get(0).serverCpuPerMillion(),
              pair.get(1).serverCpuPerMillion(),
              Compare.ratio(pair),
              pair.get(0).kernelPercent(),
              pair.get(1).kernelPercent(),
              pair.get(0).client().p99Ms(),
              pair.get(1).client().p99Ms(),
              pair.get(0).client().framesPerSecond(),
              pair.get(1).client().framesPerSecond()));
    }
    long behind =
        pairs.stream()
            .flatMap(List::stream)
            .filter(
                r -> Math.abs(r.client().framesPerSecond() / (w.clients() * w.rate()) - 1) > 0.05)
            .count();
    if (behind > 0) {
      md.append("\n")
          .append(behind)
          .append(" of the runs delivered more or less than the frames offered, by over 5 %: that")
          .append(" server fell behind, and a server behind writes more frames at a time, each for")
          .append(" less CPU. Their ratios are not of like with like.\n");
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%n**%s / %s, CPU per frame: %s**; in user space %s, in the kernel %s (medians, with"
                + " the range over %d rounds).%n%n",
            a,
            b,
            median(pairs, Compare::ratio),
            median(pairs, p -> userPerFrame(p.get(0)) / userPerFrame(p.get(1))),
            median(pairs, p -> kernelPerFrame(p.get(0)) / kernelPerFrame(p.get(1))),
            pairs.size()));
    md.append("## Exact command\n\n```sh\n./mvnw -B -q package -DskipTests\n")
        .append("java -jar producer-bench/target/producer-bench.jar compare ")
        .append(mode)
        .append("\n```\n");
    Files.writeString(out, md.toString());
  }

  private static String median(List<List<Run>> pairs, ToDoubleFunction<List<Run>> ratio) {
    double[] xs = pairs.stream().mapToDouble(ratio).sorted().toArray();
    return String.format(
        Locale.ROOT, "%.3f (%.3f to %.3f)", xs[xs.length / 2], xs[0], xs[xs.length - 1]);
  }

  private static double kernelPerFrame(Run r) {
    return r.serverKernelSeconds() / r.client().messages();
  }

  private static double userPerFrame(Run r) {
    return (r.serverCpuSeconds() - r.serverKernelSeconds()) / r.client().messages();
  }

  /** A column of a table: its heading, and the measure each system's spread is taken of. */
  private record Column(String heading, ToDoubleFunction<Run> measure, String format) {}

  /** A table with a row per system, then an empty line. */
  private static void table(StringBuilder md, Map<String, List<Run>> by, List<Column> columns) {
    md.append("| system");
    columns.forEach(c -> md.append(" | ").append(c.heading()));
    md.append(" |\n|---").append("|---".repeat(columns.size())).append("|\n");
    by.forEach(
        (system, rs) -> {
          md.append("| ").append(system);
          columns.forEach(c -> md.append(" | ").append(spread(rs, c.measure(), c.format())));
          md.append(" |\n");
        });
    md.append('\n');
  }

  static String spread(List<Run> runs, ToDoubleFunction<Run> measure, String format) {
    Spread s = Spread.of(runs, measure);
    return String.format(
        Locale.ROOT, format + " (" + format + " to " + format + ")", s.median(), s.min(), s.max());
  }

  /** A horizontal bar chart of the medians, with the range as a line. */
  private static void chart(
      Path file, String title, Map<String, List<Run>> by, ToDoubleFunction<Run> measure)
      throws IOException {
    int width = 640;
    int barHeight = 26;
    int left = 150;
    int height = 50 + by.size() * (barHeight + 10);
    double max =
        by.values().stream()
            .mapToDouble(rs -> Spread.of(rs, measure).max())
            .filter(Double::isFinite)
            .max()
            .orElse(1);
    double scale = (width - left - 70) / (max <= 0 ? 1 : max);
    StringBuilder svg = new StringBuilder();
    svg.append(
            String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"13\">",
                width,
                height))
        .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>")
        .append("<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">")
        .append(title)
        .append("</text>");
    int y = 40;
    for (Map.Entry<String, List<Run>> e : by.entrySet()) {
      Spread s = Spread.of(e.getValue(), measure);
      svg.append(
          String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\">%s</text>", y + 18, e.getKey()));
      if (Double.isFinite(s.median())) {
        svg.append(
                String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>",
                    left,
                    y,
                    s.median() * scale,
                    barHeight,
                    e.getKey().equals("wsproducer") ? "#1f77b4" : "#9aa9b8"))
            .append(
                String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"black\"/>",
                    left + s.min() * scale,
                    left + s.max() * scale,
                    y + barHeight / 2,
                    y + barHeight / 2))
            .append(
                String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\">%.2f</text>",
                    left + s.max() * scale + 6,
                    y + 18,
                    s.median()));
      }
      y += barHeight + 10;
    }
    svg.append("</svg>\n");
    Files.writeString(file, svg.toString());
  }

  private static String machine() throws IOException {
    String cpu =
        Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
            .filter(l -> l.startsWith("model name"))
            .findFirst()
            .map(l -> l.substring(l.indexOf(':') + 2))
            .orElse("unknown CPU");
    return "- "
        + Runtime.getRuntime().availableProcessors()
        + " cores: "
        + cpu
        + "\n- Java "
        + System.getProperty("java.version")
        + " ("
        + System.getProperty("java.vm.name")
        + "), Jetty "
        + org.eclipse.jetty.util.Jetty.VERSION
        + "\n- Node "
        + version("node", "--version")
        + ", python3 "
        + version("/usr/bin/python3", "--version")
        + "\n";
  }

  private static String version(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String v = new String(p.getInputStream().readAllBytes()).trim();
      return p.waitFor() == 0 ? v.replace("Python ", "") : "not installed";
    } catch (IOException | InterruptedException e) {
      return "not installed";
    }
  }
}
