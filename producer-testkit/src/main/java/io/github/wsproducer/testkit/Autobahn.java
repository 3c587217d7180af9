package io.github.wsproducer.testkit;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Autobahn|Testsuite's fuzzing client against a WebSocket server: the RFC 6455 conformance suite,
 * run under Jython in a child JVM (the suite's event loop runs once per process). The server should
 * serve an {@link EchoEndpoint}, so that every case applies.
 *
 * <p>The suite comes from Maven Central inside {@code
 * me.normanmaurer.maven.autobahntestsuite:autobahntestsuite-maven-plugin}; that jar and {@code
 * org.python:jython-standalone} must be on the test class path. Each case's report is written under
 * the directory given, as JSON and HTML.
 */
public final class Autobahn {
  private Autobahn() {}

  /**
   * Groups 1 to 7 and 10: framing, pings and pongs, reserved bits, opcodes, fragments, UTF-8,
   * closing, automatic fragmentation. 247 cases, about 30 s.
   */
  public static final List<String> QUICK =
      List.of("1.*", "2.*", "3.*", "4.*", "5.*", "6.*", "7.*", "10.*");

  /** The outcomes RFC 6455 allows: exact, lenient but conforming, and for information only. */
  private static final Set<String> PASSING = Set.of("OK", "NON-STRICT", "INFORMATIONAL");

  private static final String CLIENT =
      String.join(
          "\n",
          "import sys",
          "from autobahntestsuite import wstest",
          "spec = {'outdir': sys.argv[2], 'failByDrop': False, 'options': {'version': 18},",
          "        'servers': [{'agent': 'wsproducer', 'url': sys.argv[1]}],",
          "        'cases': sys.argv[3].split(','), 'exclude-cases': []}",
          "wstest.start({'mode': 'fuzzingclient'}, spec)");

  /** The cases to run: the system property {@code autobahn.cases}, comma-separated, or QUICK. */
  public static List<String> cases() {
    String cases = System.getProperty("autobahn.cases", "");
    return cases.isBlank() ? QUICK : Arrays.asList(cases.split(","));
  }

  /** One case's outcome, as the suite names them (OK, NON-STRICT, FAILED and so on). */
  public record Result(String id, String behavior, String behaviorClose) {
    public boolean passed() {
      return PASSING.contains(behavior) && PASSING.contains(behaviorClose);
    }
  }

  /** Every case's outcome, and where the suite wrote its reports. */
  public record Report(Path directory, List<Result> results) {

    public List<Result> failed() {
      return results.stream().filter(r -> !r.passed()).toList();
    }

    /** How many cases had each outcome, such as {@code {NON-STRICT=8, OK=236, ...}}. */
    public Map<String, Integer> counts() {
      Map<String, Integer> counts = new TreeMap<>();
      results.forEach(r -> counts.merge(r.behavior(), 1, Integer::sum));
      return counts;
    }

    /** One line: the counts, the cases that did not pass exactly, and where the reports are. */
    public String summary() {
      List<String> notOk =
          results.stream()
              .filter(r -> !r.behavior().equals("OK") || !r.behaviorClose().equals("OK"))
              .map(r -> r.id() + " " + r.behavior() + "/" + r.behaviorClose())
              .toList();
      return results.size() + " cases " + counts() + ", not OK: " + notOk + "; in " + directory;
    }
  }

  /**
   * Runs {@code cases} (such as {@code "6.*"} or {@code "7.1.1"}) against the server at {@code
   * server} (a {@code ws://} or {@code http://} address), writing reports under {@code directory}.
   *
   * @throws IllegalStateException if the suite could not run, with the end of its output
   */
  public static Report run(URI server, Path directory, List<String> cases)
      throws IOException, InterruptedException {
    Files.createDirectories(directory);
    Path log = directory.resolve("fuzzingclient.log");
    Path index = directory.resolve("index.json");
    Files.deleteIfExists(index);
    String url = URI.create(server.toString().replaceFirst("^http", "ws")).resolve("/").toString();
    Process client =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // A short run: the quick compiler alone starts it sooner and leaves the server
                // more of the machine.
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                "org.python.util.jython",
                "-c",
                CLIENT,
                url,
                directory.toAbsolutePath().toString(),
                String.join(",", cases))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    // Groups 1-7 and 10 take about 30 s; group 9 (performance) a few minutes more.
    long minutes = cases.stream().anyMatch(c -> c.startsWith("9")) ? 20 : 5;
    if (!client.waitFor(minutes, TimeUnit.MINUTES)) {
      client.destroyForcibly();
      throw new IllegalStateException(
          "the fuzzing client ran past " + minutes + " minutes; see " + log);
    }
    if (client.exitValue() != 0 || !Files.exists(index)) {
      List<String> lines = Files.readAllLines(log);
      throw new IllegalStateException(
          "the fuzzing client failed (exit "
              + client.exitValue()
              + "; it needs autobahntestsuite-maven-plugin and jython-standalone on the class"
              + " path): "
              + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
    }
    List<Result> results = new ArrayList<>();
    JsonNode agent = JsonMapper.builder().build().readTree(index.toFile()).path("wsproducer");
    for (Map.Entry<String, JsonNode> c : agent.properties()) {
      results.add(
          new Result(
              c.getKey(),
              c.getValue().path("behavior").asString(),
              c.getValue().path("behaviorClose").asString()));
    }
    return new Report(directory, results);
  }
}
