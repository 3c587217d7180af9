package io.github.wsproducer.testkit;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A server's {@code main} in a JVM of its own with a 128 MB heap and the test's class path, so that
 * a test can kill it with {@code kill -9} and start it again: it is ready once it prints {@code
 * listening URI}.
 */
public final class ForkedMain implements AutoCloseable {
  private final Process process;
  private final URI root;
  private final List<String> output = new CopyOnWriteArrayList<>();

  private ForkedMain(Process process) throws Exception {
    this.process = process;
    CompletableFuture<URI> listening = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  output.add(line);
                  if (line.startsWith("listening ")) {
                    listening.complete(URI.create(line.substring(10)));
                  }
                }
              } catch (Exception e) {
                listening.completeExceptionally(e);
              }
              listening.completeExceptionally(new IllegalStateException("exited: " + output));
            },
            "forked-main-output");
    reader.setDaemon(true);
    reader.start();
    try {
      this.root = listening.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** Starts {@code main} of {@code mainClass} with {@code args}, and waits until it listens. */
  public static ForkedMain start(Class<?> mainClass, String... args) throws Exception {
    return new ForkedMain(
        new ProcessBuilder(command(ForkedServer.HEAP, mainClass.getName(), args))
            .redirectErrorStream(true)
            .start());
  }

  /** {@code java HEAP -cp THIS_CLASS_PATH MAIN ARGS}: a JVM with this one's classes. */
  static List<String> command(String heap, String main, String... args) {
    List<String> path = new ArrayList<>();
    for (String property : List.of("jdk.module.path", "java.class.path")) {
      String value = System.getProperty(property);
      if (value != null && !value.isEmpty()) {
        path.add(value);
      }
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(heap);
    command.add("-cp");
    command.add(String.join(File.pathSeparator, path));
    command.add(main);
    command.addAll(List.of(args));
    return command;
  }

  /** The URI it printed. */
  public URI root() {
    return root;
  }

  /** What it printed so far, a line each. */
  public List<String> output() {
    return output;
  }

  /** {@code kill -9}: SIGKILL, no shutdown hook, no close; returns once the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 137) {
      throw new IllegalStateException("not killed: " + process);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
