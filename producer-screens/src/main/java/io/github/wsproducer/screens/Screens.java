package io.github.wsproducer.screens;

import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import io.github.wsproducer.UpdateSink;
import io.github.wsproducer.UpdateSource;
import io.github.wsproducer.internal.NamedThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The screens a hub serves at {@code /screens/{name}} (and lists at {@code /screens}): declared in
 * Java, or read from a YAML or JSON file that is watched, so that editing it updates every screen
 * showing it within seconds. A file that does not read is rejected with its line and the reason,
 * and the screens keep the last good version.
 *
 * <p>The pages get the screens on a topic of the hub, {@link #TOPIC}: add {@link #topic()} and this
 * source to the hub.
 *
 * <pre>{@code
 * Screens screens = Screens.watch(Path.of("screens.yaml"));
 * Hub hub = Hub.builder().topic(Screens.topic()).source(screens) // ...your topics and sources
 *     .build();
 * }</pre>
 */
public final class Screens implements UpdateSource {
  private static final Logger log = LoggerFactory.getLogger(Screens.class);

  /** The topic the pages read the screens from. */
  public static final String TOPIC = "wsproducer.screens";

  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
          .build();

  private final Path file;
  private volatile ScreenFile current;
  private volatile UpdateSink sink;
  private ScheduledExecutorService watcher;
  private Object seen; // the file's modification time and size, on the watcher's thread
  private String lastProblem; // on the watcher's thread

  private Screens(Path file, ScreenFile current) {
    this.file = file;
    this.current = current;
  }

  /** The topic to add to the hub: the screens as pages read them. */
  public static Topic topic() {
    return Topic.of(TOPIC, State.latest());
  }

  /**
   * These screens and playlists.
   *
   * @throws IllegalArgumentException if two have one name, or a playlist names no screen
   */
  public static Screens of(List<Screen> screens, List<Playlist> playlists) {
    return new Screens(null, new ScreenFile(screens, playlists));
  }

  /** These screens. */
  public static Screens of(Screen... screens) {
    return of(List.of(screens), List.of());
  }

  /**
   * The screens of a YAML or JSON file, read now and again whenever it changes (checked every
   * second).
   *
   * @throws IllegalArgumentException if the file does not read, naming the line and the reason
   * @throws UncheckedIOException if the file cannot be read at all
   */
  public static Screens watch(Path file) {
    return new Screens(file, read(file));
  }

  /**
   * The screens of a YAML or JSON text, such as a file shipped in a jar; not watched.
   *
   * @param origin where the text comes from, for messages: {@code "screens.yaml in the jar"}
   * @throws IllegalArgumentException naming the origin, the line and the reason
   */
  public static Screens parse(String text, String origin) {
    return new Screens(null, screenFile(text, origin));
  }

  /**
   * Reads a screen file.
   *
   * @throws IllegalArgumentException naming the file, the line and the reason
   */
  static ScreenFile read(Path file) {
    try {
      return screenFile(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static ScreenFile screenFile(String text, String origin) {
    try {
      return YAML.readValue(text, ScreenFile.class);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(origin + problem(e, text), e);
    }
  }

  /**
   * Where and why a file does not read: {@code , line 12: a gauge tile needs a topic}. The line is
   * that of the key or the item the problem is in, found by the path Jackson reports, as records
   * are read ahead without their places.
   */
  private static String problem(JacksonException e, String text) {
    int line = -1;
    if (!e.getPath().isEmpty()) {
      StringBuilder pointer = new StringBuilder();
      for (JacksonException.Reference r : e.getPath()) {
        pointer
            .append('/')
            .append(r.getPropertyName() != null ? r.getPropertyName() : r.getIndex());
      }
      Map<String, Integer> lines = lines(text);
      for (String p = pointer.toString(); line < 0 && !p.isEmpty(); ) {
        line = lines.getOrDefault(p, -1);
        p = p.substring(0, p.lastIndexOf('/'));
      }
    } else if (e.getLocation() != null) { // a syntax error: where the parser stopped
      line = e.getLocation().getLineNr();
    }
    String why;
    if (e instanceof UnrecognizedPropertyException unknown) {
      why =
          "unknown key \""
              + unknown.getPropertyName()
              + "\"; known keys: "
              + unknown.getKnownPropertyIds();
    } else if (e instanceof InvalidFormatException bad && bad.getTargetType().isEnum()) {
      List<Object> names = new ArrayList<>();
      for (Object constant : bad.getTargetType().getEnumConstants()) {
        names.add(YAML.valueToTree(constant).asString());
      }
      why = "\"" + bad.getValue() + "\" is not one of " + names;
    } else if (e instanceof ValueInstantiationException && e.getCause() != null) {
      why = e.getCause().getMessage();
    } else {
      why = e.getOriginalMessage();
    }
    return (line > 0 ? ", line " + line : "") + ": " + why;
  }

  /** The line of every key and item of a file, by JSON Pointer. */
  private static Map<String, Integer> lines(String text) {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser parser = YAML.createParser(text)) {
      while (parser.nextToken() != null) {
        lines.putIfAbsent(
            parser.streamReadContext().pathAsPointer().toString(),
            parser.currentTokenLocation().getLineNr());
      }
    } catch (JacksonException e) {
      // what was read so far
    }
    return lines;
  }

  /** The screens and playlists now, as pages receive them. */
  public JsonNode current() {
    return YAML.valueToTree(current);
  }

  @Override
  public Set<String> topics() {
    return Set.of(TOPIC);
  }

  @Override
  public synchronized void start(UpdateSink sink) {
    this.sink = Objects.requireNonNull(sink, "sink");
    sink.publish(TOPIC, current());
    if (file != null) {
      seen = stamp();
      watcher =
          Executors.newSingleThreadScheduledExecutor(
              new NamedThreads("wsproducer-screens-" + file.getFileName()));
      watcher.scheduleWithFixedDelay(this::reloadIfChanged, 1, 1, TimeUnit.SECONDS);
    }
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
      ScreenFile read = read(file);
      current = read;
      lastProblem = null;
      sink.publish(TOPIC, current());
      log.info(
          "{}: {} screens and {} playlists", file, read.screens().size(), read.playlists().size());
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
    }
  }

  @Override
  public synchronized void close() {
    if (watcher != null) {
      watcher.shutdownNow();
    }
  }
}
