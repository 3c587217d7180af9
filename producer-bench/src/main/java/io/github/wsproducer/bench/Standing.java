package io.github.wsproducer.bench;

import io.github.wsproducer.bench.Compare.Run;
import io.github.wsproducer.bench.Compare.Spread;
import io.github.wsproducer.bench.Compare.Workload;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report's "where wsproducer stands": each target against the measured medians. */
final class Standing {
  private Standing() {}

  /** Where wsproducer stands against its targets, from the first busy workload's medians. */
  static String of(List<Workload> workloads, List<Run> runs) {
    Workload first =
        workloads.stream().filter(w -> !w.idle() && !w.storm()).findFirst().orElse(null);
    if (first == null) {
      return "";
    }
    Map<String, List<Run>> by = Compare.bySystem(runs, first);
    List<Run> ours = by.get("wsproducer");
    if (ours == null) {
      return "";
    }
    double cpu = Spread.of(ours, Run::serverCpuPerMillion).median();
    StringBuilder md = new StringBuilder("## Where wsproducer stands\n\n");
    md.append(
            "Target: server CPU per delivered frame at most half of Node `ws` and of plain Jetty. ")
        .append("Measured (")
        .append(first.name())
        .append(", medians):\n\n");
    for (String peer : List.of("jetty", "node-ws", "socket.io", "python-eventlet")) {
      List<Run> theirs = by.get(peer);
      if (theirs != null) {
        double ratio = cpu / Spread.of(theirs, Run::serverCpuPerMillion).median();
        md.append(
            String.format(
                Locale.ROOT,
                "- against %s: %.2f times its CPU per frame (target for node-ws and jetty: 0.5 or"
                    + " less)%n",
                peer,
                ratio));
      }
    }
    workloads.stream()
        .filter(w -> w.clients() == 1000 && w.rate() == 50 && w.stalled() == 0)
        .findFirst()
        .ifPresent(
            w ->
                md.append(
                    String.format(
                        Locale.ROOT,
                        "%nTarget: p99 at most 20 ms at 1,000 clients and 50 updates/s. Measured"
                            + " (median): %.2f ms%n",
                        Spread.of(
                                Compare.bySystem(runs, w).get("wsproducer"),
                                r -> r.client().p99Ms())
                            .median())));
    md.append(capacity(workloads, runs));
    for (Workload w : workloads) {
      if (w.idle() && Compare.bySystem(runs, w).containsKey("wsproducer")) {
        md.append(
            String.format(
                Locale.ROOT,
                "%nTarget: heap per idle connection at most 10 KB. Measured (%s, median): %.1f"
                    + " KB%n",
                w.name(),
                Spread.of(Compare.bySystem(runs, w).get("wsproducer"), Run::heapPerConnectionKb)
                    .median()));
      }
    }
    for (Workload stall : workloads) {
      for (Workload base : workloads) {
        if (!base.isBaselineOf(stall)) {
          continue;
        }
        Map<String, List<Run>> with = Compare.bySystem(runs, stall);
        Map<String, List<Run>> without = Compare.bySystem(runs, base);
        md.append("\nTarget: healthy clients' p99 with ")
            .append(stall.stalled())
            .append(" stalled clients at most 1.1 times the run without. Measured (")
            .append(stall.name())
            .append(", medians):\n\n");
        for (String system : with.keySet()) {
          if (without.containsKey(system)) {
            md.append(
                String.format(
                    Locale.ROOT,
                    "- %s: %.2f times%n",
                    system,
                    Spread.of(with.get(system), r -> r.client().p99Ms()).median()
                        / Spread.of(without.get(system), r -> r.client().p99Ms()).median()));
          }
        }
      }
    }
    md.append(netty(workloads, runs));
    md.append(containers(workloads, runs));
    md.append(
        "\nNotes on method: wsproducer, plain Jetty, Node `ws` and Socket.IO stamp `ts` once per"
            + " update before fanning it out, so their latency includes the fan-out to every"
            + " client; the eventlet peer, like the original example, runs one loop per client"
            + " and stamps each client's copy just before sending it, so its latency leaves the"
            + " fan-out out. Delivered frames above the offered rate are updates that queued"
            + " during the connection phase or the warm-up, delivered in the measured window."
            + " Delivered frames below it mean the system published fewer updates than asked:"
            + " the peers' publishing loops fall behind instead of queuing, which keeps their"
            + " latency low.\n\n");
    return md.toString();
  }

  /** The Netty transport's targets, for the workloads and peers of this run. */
  private static String netty(List<Workload> workloads, List<Run> runs) {
    StringBuilder md = new StringBuilder();
    for (Workload w : workloads) {
      Map<String, List<Run>> by = Compare.bySystem(runs, w);
      List<Run> ours = by.get("wsproducer-netty");
      if (ours == null) {
        continue;
      }
      if (w.idle()) {
        line(
            md,
            w,
            "RSS per idle connection at most 1.1 times the bare Netty loop's",
            ours,
            by.get("netty"),
            Run::rssPerConnectionKb,
            "KB");
        md.append(
            String.format(
                Locale.ROOT,
                "- %s: heap per idle connection at most 3 KB: %.1f KB%n",
                w.name(),
                Spread.of(ours, Run::heapPerConnectionKb).median()));
      } else if (w.storm()) {
        line(
            md,
            w,
            "first-frame p99 at most Node `ws`'s",
            ours,
            by.get("node-ws"),
            r -> r.client().firstFrameMs(99),
            "ms");
      } else if (w.rate() >= 200 || w.clients() >= 10_000) {
        long gaps = ours.stream().mapToLong(r -> r.client().gaps()).sum();
        line(
            md,
            w,
            "every update delivered ("
                + gaps
                + " gaps), p99 at most "
                + (w.rate() >= 200 ? "50 ms" : "Node `ws`'s"),
            ours,
            w.rate() >= 200 ? null : by.get("node-ws"),
            r -> r.client().p99Ms(),
            "ms");
      } else if (w.stalled() == 0) {
        line(
            md,
            w,
            "CPU per frame at most 1.1 times the bare Netty loop's",
            ours,
            by.get("netty"),
            Run::serverCpuPerMillion,
            "CPU-s per 1M frames");
        line(
            md,
            w,
            "CPU per frame below Node `ws`'s",
            ours,
            by.get("node-ws"),
            Run::serverCpuPerMillion,
            "CPU-s per 1M frames");
      }
    }
    return md.length() == 0 ? "" : "\n### The Netty transport's targets\n\nMedians:\n\n" + md;
  }

  /**
   * The Jetty and Jakarta transports' targets, each against its own container's plain loop, for the
   * workloads where that loop ran.
   */
  private static String containers(List<Workload> workloads, List<Run> runs) {
    StringBuilder md = new StringBuilder();
    for (Workload w : workloads) {
      Map<String, List<Run>> by = Compare.bySystem(runs, w);
      List<Run> jetty = by.get("wsproducer");
      List<Run> tomcat = by.get("wsproducer-tomcat");
      List<Run> plainTomcat = by.get("tomcat");
      if (w.idle() && tomcat != null && plainTomcat != null) {
        line(
            md,
            w,
            "Jakarta on Tomcat: heap per idle connection at most 10 KB",
            tomcat,
            plainTomcat,
            Run::heapPerConnectionKb,
            "KB");
      } else if (!w.idle() && !w.storm() && w.stalled() == 0) {
        if (jetty != null && by.containsKey("jetty")) {
          line(
              md,
              w,
              "Jetty: CPU per frame at most 1.0 times plain Jetty's",
              jetty,
              by.get("jetty"),
              Run::serverCpuPerMillion,
              "CPU-s per 1M frames");
          line(
              md,
              w,
              "Jetty: p99 no worse than plain Jetty's",
              jetty,
              by.get("jetty"),
              r -> r.client().p99Ms(),
              "ms");
        }
        if (tomcat != null && plainTomcat != null) {
          line(
              md,
              w,
              "Jakarta on Tomcat: CPU per frame at most 1.1 times plain Tomcat's",
              tomcat,
              plainTomcat,
              Run::serverCpuPerMillion,
              "CPU-s per 1M frames");
          line(
              md,
              w,
              "Jakarta on Tomcat: every update delivered, at the rate offered ("
                  + (w.rate() * w.clients())
                  + " frames/s; "
                  + tomcat.stream().mapToLong(r -> r.client().gaps()).sum()
                  + " gaps), if plain Tomcat delivers them",
              tomcat,
              plainTomcat,
              r -> r.client().framesPerSecond(),
              "frames/s");
          line(
              md,
              w,
              "Jakarta on Tomcat: p99 at most 50 ms, if plain Tomcat's is",
              tomcat,
              plainTomcat,
              r -> r.client().p99Ms(),
              "ms");
        }
      }
    }
    return md.length() == 0
        ? ""
        : "\n### The Jetty and Jakarta transports against their containers\n\nMedians:\n\n" + md;
  }

  /** One target: our median, and its ratio to a peer's when the peer ran. */
  private static void line(
      StringBuilder md,
      Workload w,
      String target,
      List<Run> ours,
      List<Run> peer,
      java.util.function.ToDoubleFunction<Run> measure,
      String unit) {
    double mine = Spread.of(ours, measure).median();
    md.append(String.format(Locale.ROOT, "- %s: %s: %.2f %s", w.name(), target, mine, unit));
    if (peer != null) {
      double theirs = Spread.of(peer, measure).median();
      md.append(String.format(Locale.ROOT, " against %.2f (%.2f times)", theirs, mine / theirs));
    }
    md.append('\n');
  }

  /**
   * Delivered frames/s at p99 of 50 ms or less: per system, the best median over the busy workloads
   * whose median p99 stays within 50 ms.
   */
  private static String capacity(List<Workload> workloads, List<Run> runs) {
    Map<String, Double> best = new java.util.LinkedHashMap<>();
    for (Workload w : workloads) {
      if (w.idle() || w.storm() || w.stalled() > 0) {
        continue;
      }
      Compare.bySystem(runs, w)
          .forEach(
              (system, rs) -> {
                double p99 = Spread.of(rs, r -> r.client().p99Ms()).median();
                double fps = Spread.of(rs, r -> r.client().framesPerSecond()).median();
                boolean saturated =
                    rs.stream().filter(Run::clientSaturated).count() * 2 > rs.size();
                if (p99 <= 50 && !saturated) {
                  best.merge(system, fps, Math::max);
                }
              });
    }
    if (best.isEmpty()) {
      return "";
    }
    Double ours = best.get("wsproducer");
    double peers =
        best.entrySet().stream()
            .filter(e -> !e.getKey().startsWith("wsproducer")) // the peers, not another build
            .mapToDouble(Map.Entry::getValue)
            .max()
            .orElse(Double.NaN);
    StringBuilder md =
        new StringBuilder(
            "\nTarget: delivered frames/s at p99 of 50 ms or less at least 1.5 times the best"
                + " peer. Measured (best median over the workloads above whose median p99 is"
                + " within 50 ms and whose client did not saturate):\n\n");
    best.forEach(
        (system, fps) ->
            md.append(String.format(Locale.ROOT, "- %s: %,.0f frames/s%n", system, fps)));
    if (ours != null && Double.isFinite(peers)) {
      md.append(String.format(Locale.ROOT, "%nwsproducer / best peer: %.2f%n", ours / peers));
    }
    return md.toString();
  }
}
