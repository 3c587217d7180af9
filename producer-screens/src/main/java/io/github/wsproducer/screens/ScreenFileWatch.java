package io.github.wsproducer.screens;

import io.github.wsproducer.spi.NamedThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a screen file, checking its modification time and size every second on a thread of its
 * own, and hands on each version that reads; a version that does not is logged once, and the last
 * good one stays.
 */
final class ScreenFileWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ScreenFileWatch.class);

  private final Path file;
  private final Consumer<ScreenFile> changed;
  private final Consumer<String> problem; // what is wrong with a version that does not read
  private final ScheduledExecutorService watcher;
  private Object seen; // the file's modification time and size, on the watcher's thread
  private String lastProblem; // on the watcher's thread

  /**
   * Starts watching {@code file}, as it is now: {@code changed} gets each version that reads, and
   * {@code problem} what is wrong with one that does not.
   */
  ScreenFileWatch(Path file, Consumer<ScreenFile> changed, Consumer<String> problem) {
    this.file = file;
    this.changed = changed;
    this.problem = problem;
    this.seen = stamp();
    this.watcher =
        Executors.newSingleThreadScheduledExecutor(
            new NamedThreads("wsproducer-screens-" + file.getFileName()));
    watcher.scheduleWithFixedDelay(this::reloadIfChanged, 1, 1, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    watcher.shutdownNow();
  }

  /** The file's modification time and size; {@code null} when it is gone. */
  private Object stamp() {
    try {
      return List.of(Files.getLastModifiedTime(file), Files.size(file));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void reloadIfChanged() {
    try {
      Object now = stamp();
      if (Objects.equals(now, seen)) {
        return;
      }
      seen = now;
      if (now == null) {
        warn(file + " is gone; the screens keep its last good version");
        return;
      }
      ScreenFile read = ScreenYaml.read(file);
      lastProblem = null;
      changed.accept(read);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      warn(e.getMessage() + "; the screens keep the last good version");
    } catch (RuntimeException e) {
      log.error("{}: could not apply the screens", file, e);
    }
  }

  private void warn(String problem) {
    if (!problem.equals(lastProblem)) {
      log.warn(problem);
      lastProblem = problem;
      this.problem.accept(problem);
    }
  }
}
