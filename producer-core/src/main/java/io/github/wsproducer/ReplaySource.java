package io.github.wsproducer;

import io.github.wsproducer.spi.NamedThreads;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plays recorded topics into a hub as their sources once published them: a demo, or a screen test
 * that sees the same data every time. A recording is a topic's history as {@code GET
 * /topics/{topic}/history} exports it: NDJSON, one update per line with its {@code ts} and {@code
 * data}. A directory holds one recording per topic, {@code TOPIC.ndjson}; every line's data is
 * published when its time comes, the recordings keeping their times to each other, the pauses
 * divided by the speed; then they stop, or start over together.
 *
 * <pre>{@code
 * Hub hub = Hub.builder()
 *     .topic(Topic.of("streams", State.keyed()))
 *     .topic(Topic.of("totals", State.latest()))
 *     .source(ReplaySource.builder(Path.of("recordings")).speed(10).loop(true).build())
 *     .build();
 * }</pre>
 *
 * <p>Updates are changes: a keyed topic's recording should start where the topic started, or with
 * an update that has every key. A line that is not an update stops its recording, reported on its
 * topic naming the file and the line. Runs on its own thread ({@code wsproducer-replay-1}).
 */
public final class ReplaySource implements UpdateSource {
  private static final Logger log = LoggerFactory.getLogger(ReplaySource.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Map<String, Path> recordings;
  private final double speed;
  private final boolean loop;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(new NamedThreads("wsproducer-replay"));
  private final List<Player> players = new ArrayList<>(); // confined to the thread
  private volatile boolean closed;

  private ReplaySource(Builder b) {
    this.recordings = b.recordings;
    this.speed = b.speed;
    this.loop = b.loop;
  }

  /**
   * A builder of a source playing the recordings in {@code directory}, {@code TOPIC.ndjson} each,
   * or the one recording a file is (its topic the file's name without {@code .ndjson}).
   *
   * @throws UncheckedIOException if it cannot be read
   * @throws IllegalArgumentException if it holds no recording, or one named no topic can be
   */
  public static Builder builder(Path recordings) {
    return new Builder(recordings);
  }

  @Override
  public Set<String> topics() {
    return recordings.keySet();
  }

  @Override
  public void start(UpdateSink sink) {
    Objects.requireNonNull(sink, "sink");
    schedule(() -> play(sink), 0);
  }

  /** Starts every recording from its first line, at the same moment. */
  private void play(UpdateSink sink) {
    players.forEach(Player::close);
    players.clear();
    long first = Long.MAX_VALUE;
    for (Map.Entry<String, Path> recording : recordings.entrySet()) {
      Player player = new Player(recording.getKey(), recording.getValue(), sink);
      players.add(player);
      if (player.next != null) {
        first = Math.min(first, player.next.path("ts").asLong());
      }
    }
    long start = System.nanoTime();
    for (Player player : players) {
      player.start(start, first);
    }
    if (players.stream().allMatch(p -> p.next == null)) {
      finished(sink);
    }
  }

  /** After the last line of every recording: stop, or start over. */
  private void finished(UpdateSink sink) {
    if (players.stream().allMatch(p -> p.next == null)) {
      if (loop) {
        schedule(() -> play(sink), 1_000_000_000L / Math.max(1, (long) speed));
      } else {
        log.info("replay of {} finished", recordings.keySet());
      }
    }
  }

  private void schedule(Runnable task, long delayNanos) {
    if (closed) {
      return;
    }
    try {
      thread.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("replay stopped: closed");
    }
  }

  /** One recording: its reader, and its next line, read ahead. */
  private final class Player {
    private final String topic;
    private final Path file;
    private final UpdateSink sink;
    private BufferedReader lines;
    private int number;
    JsonNode next; // null once done
    private long start;
    private long first;

    Player(String topic, Path file, UpdateSink sink) {
      this.topic = topic;
      this.file = file;
      this.sink = sink;
      try {
        lines = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        advance();
      } catch (IOException e) {
        fail("cannot be read: " + e.getMessage());
      }
    }

    void start(long start, long first) {
      this.start = start;
      this.first = first;
      scheduleNext();
    }

    private void scheduleNext() {
      if (next != null) {
        long due = (long) ((next.path("ts").asLong() - first) * 1_000_000 / speed);
        schedule(this::publish, start + due - System.nanoTime());
      }
    }

    private void publish() {
      if (next == null || closed) {
        return;
      }
      try {
        sink.publish(topic, next.get("data"));
      } catch (RuntimeException e) {
        log.error("replay of {}: line {} of {} was not published", topic, number, file, e);
      }
      advance();
      if (next == null) {
        finished(sink);
      } else {
        scheduleNext();
      }
    }

    /** Reads the next update, skipping empty lines; stops at the end or at a line that is none. */
    private void advance() {
      next = null;
      try {
        for (String line; (line = lines.readLine()) != null; ) {
          number++;
          if (line.isBlank()) {
            continue;
          }
          JsonNode update = JSON.readTree(line);
          if (update == null || !update.path("ts").canConvertToLong() || !update.has("data")) {
            fail("line " + number + " is not an update with \"ts\" and \"data\"");
            return;
          }
          next = update;
          return;
        }
        close();
      } catch (IOException e) {
        fail("cannot be read at line " + number + ": " + e.getMessage());
      } catch (JacksonException e) {
        fail("line " + number + " is not JSON: " + e.getOriginalMessage());
      }
    }

    private void fail(String why) {
      String message = "recording " + file + " " + why;
      log.error("replay of {}: {}", topic, message);
      sink.reportError(topic, message);
      close();
    }

    void close() {
      next = null;
      if (lines != null) {
        try {
          lines.close();
        } catch (IOException e) {
          // nothing more to read anyway
        }
        lines = null;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    players.forEach(Player::close);
  }

  @Override
  public String toString() {
    return "ReplaySource" + recordings.keySet();
  }

  /** Configures a {@link ReplaySource}. */
  public static final class Builder {
    private final Map<String, Path> recordings = new LinkedHashMap<>();
    private double speed = 1;
    private boolean loop;

    private Builder(Path from) {
      Objects.requireNonNull(from, "recordings");
      if (Files.isDirectory(from)) {
        try (Stream<Path> files = Files.list(from)) {
          files
              .filter(f -> f.getFileName().toString().endsWith(".ndjson"))
              .sorted()
              .forEach(this::add);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot list the recordings in " + from, e);
        }
        if (recordings.isEmpty()) {
          throw new IllegalArgumentException("no recording (TOPIC.ndjson) in " + from);
        }
      } else if (Files.isRegularFile(from)) {
        add(from);
      } else {
        throw new IllegalArgumentException("no recording at " + from.toAbsolutePath());
      }
    }

    private void add(Path file) {
      String name = file.getFileName().toString();
      String topic = name.endsWith(".ndjson") ? name.substring(0, name.length() - 7) : name;
      if (!Topic.isValidName(topic)) {
        throw new IllegalArgumentException(
            "recording " + file + ": \"" + topic + "\" is not a topic name");
      }
      recordings.put(topic, file);
    }

    /** How much faster than recorded to play, positive; 1 by default. */
    public Builder speed(double speed) {
      if (!(speed > 0) || Double.isInfinite(speed)) {
        throw new IllegalArgumentException("speed must be positive, was " + speed);
      }
      this.speed = speed;
      return this;
    }

    /** Whether to start over after the last line, for a demo that runs all day; not by default. */
    public Builder loop(boolean loop) {
      this.loop = loop;
      return this;
    }

    /** The source, not yet started. */
    public ReplaySource build() {
      return new ReplaySource(this);
    }
  }
}
