package io.github.wsproducer.testkit;

import io.github.wsproducer.Hub;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * A {@link FaultServer} in a JVM of its own, with a 128 MB heap and its log at INFO, as the kit's
 * fault scenarios attack it: so that an attack that fills the heap or the log shows, and kills no
 * test run. {@link Floods} has what to assert of it.
 */
public final class ForkedServer implements AutoCloseable {
  /** The heap the server is given. */
  static final String HEAP = "-Xmx128m";

  /**
   * The heap in use after a full collection, and the live threads.
   *
   * @param heapBytes bytes of heap in use
   * @param threads live threads
   */
  public record Stats(long heapBytes, int threads) {}

  private final Process process;
  private final Writer commands;
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
  private final AtomicLong logBytes = new AtomicLong();
  private final List<String> lastLines = new ArrayList<>(); // guarded by itself
  private final URI root;

  private ForkedServer(Process process) throws Exception {
    this.process = process;
    this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(this::read, "fault-server-output");
    reader.setDaemon(true);
    reader.start();
    String root = null;
    for (int i = 0; i < 600 && root == null && process.isAlive(); i++) {
      root = answers.poll(100, TimeUnit.MILLISECONDS);
    }
    if (root == null || !root.startsWith("root ")) {
      process.destroyForcibly();
      throw new IllegalStateException("the forked server did not start: " + lines());
    }
    this.root = URI.create(root.substring(5));
  }

  /**
   * Starts the transport of {@code kit} (a {@link TransportCompatibilityKit} subclass with a
   * constructor without arguments) in a JVM of its own, serving {@link FaultServer}'s hub.
   */
  public static ForkedServer start(Class<? extends TransportCompatibilityKit> kit)
      throws Exception {
    return start(kit, null);
  }

  /**
   * The same, with what {@code more} (a class with a constructor without arguments) adds to the
   * hub's builder: a module's sources and routes.
   */
  public static ForkedServer start(
      Class<? extends TransportCompatibilityKit> kit,
      Class<? extends UnaryOperator<Hub.Builder>> more)
      throws Exception {
    Path logback = Files.createTempFile("fault-server-logback", ".xml");
    Files.writeString(
        logback,
        "<configuration><appender name=\"OUT\" class=\"ch.qos.logback.core.ConsoleAppender\">"
            + "<encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n"
            + "</pattern></encoder></appender>"
            // Jetty's own WARN line for each request with a duplicate or malformed Host, as
            // docs/security.md advises.
            + "<logger name=\"org.eclipse.jetty.http.HttpParser\" level=\"ERROR\"/>"
            + "<logger name=\"org.eclipse.jetty.util.HostPort\" level=\"ERROR\"/>"
            + "<root level=\"INFO\"><appender-ref ref=\"OUT\"/></root></configuration>");
    logback.toFile().deleteOnExit();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    // Everything on the class path: the kit's class (in a test module, when tests run on the
    // module path), the modules and the class path of this JVM.
    List<String> path = new ArrayList<>();
    path.add(Path.of(kit.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
    for (String property : List.of("jdk.module.path", "java.class.path")) {
      String value = System.getProperty(property);
      if (value != null && !value.isEmpty()) {
        path.add(value);
      }
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                java.toString(),
                HEAP,
                "-XX:+ExitOnOutOfMemoryError",
                "-Dlogback.configurationFile=" + logback,
                "-cp",
                String.join(File.pathSeparator, path),
                FaultServer.class.getName(),
                kit.getName()));
    if (more != null) {
      command.add(more.getName());
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    return new ForkedServer(process);
  }

  private void read() {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith("root ") || line.startsWith("stats ")) {
          answers.add(line);
        } else {
          logBytes.addAndGet(line.length() + 1);
          synchronized (lastLines) {
            lastLines.add(line);
            if (lastLines.size() > 20) {
              lastLines.remove(0);
            }
          }
        }
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  /** The server's root, {@code ws://127.0.0.1:port/}. */
  public URI root() {
    return root;
  }

  /** Whether the server process still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The bytes the server logged so far. */
  public long logBytes() {
    return logBytes.get();
  }

  /** The server's last lines of log, for a failure's message. */
  public String lines() {
    synchronized (lastLines) {
      return String.join("\n", lastLines);
    }
  }

  /** Heap after a full collection, and threads, as the server measures them. */
  public Stats stats() throws Exception {
    commands.write("stats\n");
    commands.flush();
    String answer = answers.poll(30, TimeUnit.SECONDS);
    if (answer == null) {
      throw new IllegalStateException("the forked server did not answer: " + lines());
    }
    String[] parts = answer.split(" ");
    return new Stats(Long.parseLong(parts[1]), Integer.parseInt(parts[2]));
  }

  /** Stops the server: it stops when its input ends, or is killed after 10 s. */
  @Override
  public void close() {
    try {
      commands.close();
    } catch (IOException e) {
      // it is gone already
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
