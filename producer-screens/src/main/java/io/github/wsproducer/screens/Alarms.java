package io.github.wsproducer.screens;

import io.github.wsproducer.UpdateSink;
import io.github.wsproducer.UpdateSource;
import io.github.wsproducer.spi.NamedThreads;
import io.github.wsproducer.spi.WatchesTopics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The screens' alarms: a tile whose value reaches its {@code warn} or {@code critical} threshold,
 * or a status tile whose word says so, raises an alarm, which clears once the value has been back
 * for the tile's {@code clear} period (30 s by default, so that a value hovering at a threshold
 * does not raise alarm after alarm); one that clears and comes back is a new alarm, with a new id.
 * A table raises one per key.
 *
 * <p>The hub tells this of every topic's value ({@link WatchesTopics}), so alarms exist whether or
 * not a screen is open; they are published on {@link #TOPIC}, keyed by id, for the screens, the
 * {@code alarms} widget and other systems. Alarms live in memory: after a restart they are raised
 * again from the restored values, with new ids and start times, and unacknowledged.
 */
final class Alarms implements UpdateSource, WatchesTopics {
  /** The topic the current alarms are published on, keyed by id. */
  static final String TOPIC = "wsproducer.alarms";

  /** Status words and their levels, as the status widget reads them (Kafka lag's among them). */
  static final Map<String, String> WORDS =
      Map.ofEntries(
          Map.entry("ok", "ok"),
          Map.entry("up", "ok"),
          Map.entry("green", "ok"),
          Map.entry("warn", "warn"),
          Map.entry("warning", "warn"),
          Map.entry("amber", "warn"),
          Map.entry("critical", "critical"),
          Map.entry("crit", "critical"),
          Map.entry("error", "critical"),
          Map.entry("err", "critical"),
          Map.entry("down", "critical"),
          Map.entry("red", "critical"),
          Map.entry("failed", "critical"),
          Map.entry("stall", "critical"),
          Map.entry("stop", "critical"));

  /** How long a value must be back before its alarm clears, unless its tile says. */
  static final Duration CLEAR = Duration.ofSeconds(30);

  /** The most alarms kept: a table of many keys over its threshold raises no more. */
  static final int MAX_ALARMS = 1000;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** What an alarm is about; the same identity raised again later is a new alarm. */
  record Subject(String screen, int tile, String topic, String key) {}

  private static final class Alarm {
    final String id;
    final Subject subject;
    final long since;
    String level;
    JsonNode value; // the value that raised it at its level
    String ackedBy; // or null
    long ackedAt;
    long backSince = -1; // since when its value is back, or -1 while it is not

    Alarm(Subject subject, String level, JsonNode value, long since, long n) {
      this.id = id(subject, since, n);
      this.subject = subject;
      this.level = level;
      this.value = value;
      this.since = since;
    }
  }

  private final Supplier<ScreenFile> screens;
  // All guarded by this.
  private final Map<String, JsonNode> values = new HashMap<>(); // a copy of each topic's value
  private final Map<String, Long> times = new HashMap<>(); // when each topic last changed
  private final Map<Subject, double[]> counters = new HashMap<>(); // a rate tile's [ms, count]
  private final Map<Subject, Double> rates = new HashMap<>(); // a rate tile's last rate
  private final Map<Subject, Alarm> alarms = new LinkedHashMap<>();
  private UpdateSink sink;
  private ScheduledExecutorService clearing; // clears the alarms whose values have been back
  private ScreenFile alarmingOf; // the version of the screens alarmingTopics is of
  private Set<String> alarmingTopics = Set.of();
  private long raised; // alarms raised so far, in ids: one that comes back is a new alarm

  /** Alarms of the screens {@code screens} supplies, as they are at each update. */
  Alarms(Supplier<ScreenFile> screens) {
    this.screens = screens;
  }

  @Override
  public Set<String> topics() {
    return Set.of(TOPIC);
  }

  @Override
  public boolean watches(String topic) {
    return !topic.equals(TOPIC) && !topic.equals(Screens.TOPIC);
  }

  @Override
  public synchronized void start(UpdateSink sink) {
    this.sink = sink;
    publish();
    clearing = Executors.newSingleThreadScheduledExecutor(new NamedThreads("wsproducer-alarms"));
    clearing.scheduleWithFixedDelay(this::clearThoseBack, 1, 1, TimeUnit.SECONDS);
  }

  @Override
  public synchronized void close() {
    if (clearing != null) {
      clearing.shutdownNow();
    }
  }

  /** Clears the alarms whose values have been back for their tile's period; every second. */
  private synchronized void clearThoseBack() {
    long now = sink.clock().millis();
    if (alarms.values().removeIf(a -> a.backSince >= 0 && now - a.backSince >= clear(a))) {
      publish();
    }
  }

  private long clear(Alarm alarm) {
    Tile tile = tile(alarm.subject);
    return tile == null || tile.clear() == null
        ? CLEAR.toMillis()
        : Durations.parse("clear", tile.clear()).toMillis();
  }

  @Override
  public synchronized void changed(String topic, JsonNode value, Instant at) {
    if (!alarming(topic)) {
      values.remove(topic); // kept only for tiles that may raise an alarm
      return;
    }
    values.put(topic, value.deepCopy());
    times.put(topic, at.toEpochMilli());
    if (raise(topic, true)) {
      publish();
    }
  }

  /**
   * Whether a tile of the screens shows {@code topic} and may raise an alarm on it; asked at every
   * update of every topic, so the topics are found once per version of the screens.
   */
  private boolean alarming(String topic) {
    ScreenFile now = screens.get();
    if (now != alarmingOf) {
      alarmingOf = now;
      alarmingTopics = new HashSet<>();
      for (Screen screen : now.screens()) {
        for (Tile tile : screen.tiles()) {
          if (tile.warn() != null || tile.critical() != null || tile.widget() == Widget.STATUS) {
            alarmingTopics.add(tile.topic());
          }
        }
      }
    }
    return alarmingTopics.contains(topic);
  }

  /**
   * Raises and clears the alarms of the screens as they are now; after the file changed. A topic
   * that no tile raised alarms on before is evaluated at its next update.
   */
  synchronized void screensChanged() {
    boolean changed = alarms.keySet().removeIf(s -> tile(s) == null);
    for (String topic : values.keySet()) {
      changed |= raise(topic, false);
    }
    if (changed) {
      publish();
    }
  }

  /**
   * Acknowledges an alarm: its screens stop flashing and sounding, and show who acknowledged it.
   * Returns the alarm as published, or {@code null} when there is no alarm {@code id}.
   */
  synchronized ObjectNode acknowledge(String id, String by, long now) {
    for (Alarm alarm : alarms.values()) {
      if (alarm.id.equals(id)) {
        if (alarm.ackedBy == null) {
          alarm.ackedBy = by;
          alarm.ackedAt = now;
          publish();
        }
        return json(alarm);
      }
    }
    return null;
  }

  /** The current alarms, the oldest first. */
  synchronized List<ObjectNode> list() {
    List<ObjectNode> list = new ArrayList<>();
    alarms.values().forEach(a -> list.add(json(a)));
    return list;
  }

  /**
   * Brings the alarms of the tiles showing {@code topic} in line with its value; returns whether
   * any changed. {@code update} says that the value is new, so that rates move on.
   */
  private boolean raise(String topic, boolean update) {
    JsonNode value = values.get(topic);
    long now = times.get(topic);
    Map<Subject, Object[]> levels = new LinkedHashMap<>(); // subject -> [level, value]
    for (Screen screen : screens.get().screens()) {
      for (int i = 0; i < screen.tiles().size(); i++) {
        Tile tile = screen.tiles().get(i);
        if (topic.equals(tile.topic())) {
          levels(new Subject(screen.name(), i, topic, null), tile, value, now, update, levels);
        }
      }
    }
    boolean changed = false;
    for (Alarm alarm : alarms.values()) {
      if (alarm.subject.topic().equals(topic) && !levels.containsKey(alarm.subject)) {
        if (alarm.backSince < 0) {
          alarm.backSince = now; // cleared once it stays back
          changed = true;
        }
      }
    }
    for (Map.Entry<Subject, Object[]> e : levels.entrySet()) {
      String level = (String) e.getValue()[0];
      JsonNode shown = (JsonNode) e.getValue()[1];
      Alarm alarm = alarms.get(e.getKey());
      if (alarm != null && alarm.backSince >= 0) {
        alarm.backSince = -1;
        changed = true;
      }
      if (alarm == null) {
        if (alarms.size() < MAX_ALARMS) {
          alarms.put(e.getKey(), new Alarm(e.getKey(), level, shown, now, raised++));
          changed = true;
        }
      } else if (!alarm.level.equals(level)) { // the value alone changes nothing: no update
        if (level.equals("critical")) {
          alarm.ackedBy = null; // worse: it calls for attention again
        }
        alarm.level = level;
        alarm.value = shown;
        changed = true;
      }
    }
    return changed;
  }

  /** Puts the level of each alarm a tile raises on {@code value} into {@code levels}. */
  private void levels(
      Subject subject,
      Tile tile,
      JsonNode value,
      long now,
      boolean update,
      Map<Subject, Object[]> levels) {
    switch (tile.widget()) {
      case NUMBER, GAUGE, STATUS -> put(levels, subject, at(value, tile.path()), tile);
      case TIME_SERIES -> {
        JsonNode v = at(value, tile.path());
        if (!tile.rate()) {
          put(levels, subject, v, tile);
        } else if (v.isNumber()) {
          if (update) {
            double[] before = counters.put(subject, new double[] {now, v.asDouble()});
            if (before != null && v.asDouble() >= before[1] && now > before[0]) {
              rates.put(subject, (v.asDouble() - before[1]) * 1000 / (now - before[0]));
            } else {
              rates.remove(subject); // the first sample, or a counter's reset
            }
          }
          Double rate = rates.get(subject);
          if (rate != null) {
            put(levels, subject, NODES.numberNode(rate), tile);
          }
        }
      }
      case TABLE -> {
        for (Map.Entry<String, JsonNode> row : value.properties()) {
          Subject keyed =
              new Subject(subject.screen(), subject.tile(), subject.topic(), row.getKey());
          List<String> columns = tile.columns();
          if (columns == null) {
            columns = new ArrayList<>();
            for (Map.Entry<String, JsonNode> field : row.getValue().properties()) {
              columns.add(field.getKey());
            }
          }
          String worst = null;
          JsonNode shown = null;
          for (String column : columns) {
            JsonNode v = at(row.getValue(), column);
            String level = v.isNumber() ? threshold(tile, v.asDouble()) : null;
            if (level != null && (worst == null || level.equals("critical"))) {
              worst = level;
              shown = v;
            }
          }
          if (worst != null) {
            levels.put(keyed, new Object[] {worst, shown});
          }
        }
      }
      default -> {}
    }
  }

  private static void put(Map<Subject, Object[]> levels, Subject subject, JsonNode v, Tile tile) {
    String level = level(tile, v);
    if (level != null) {
      levels.put(subject, new Object[] {level, v});
    }
  }

  /**
   * {@code warn} or {@code critical}, or {@code null} for a value that is well: a number against
   * the tile's thresholds; for a status tile also a word or a boolean.
   */
  static String level(Tile tile, JsonNode v) {
    if (v.isNumber()) {
      return threshold(tile, v.asDouble());
    }
    if (tile.widget() != Widget.STATUS) {
      return null;
    }
    if (v.isBoolean()) {
      return v.asBoolean() ? null : "critical";
    }
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    String level = WORDS.getOrDefault(v.asString().toLowerCase(Locale.ROOT), "warn");
    return level.equals("ok") ? null : level;
  }

  private static String threshold(Tile tile, double v) {
    return reached(tile, tile.critical(), v)
        ? "critical"
        : reached(tile, tile.warn(), v) ? "warn" : null;
  }

  private static boolean reached(Tile tile, Double limit, double v) {
    return limit != null && (tile.below() ? v <= limit : v >= limit);
  }

  /** A field by a dotted path of names and indexes, as the pages read it: missing when absent. */
  static JsonNode at(JsonNode value, String path) {
    if (path == null) {
      return value;
    }
    JsonNode node = value;
    for (String part : path.split("\\.")) {
      node =
          node.isArray() && part.matches("\\d+")
              ? node.path(Integer.parseInt(part))
              : node.path(part);
    }
    return node;
  }

  /** The tile an alarm is about, or {@code null} when the screens no longer have it. */
  private Tile tile(Subject subject) {
    for (Screen screen : screens.get().screens()) {
      if (screen.name().equals(subject.screen()) && subject.tile() < screen.tiles().size()) {
        Tile tile = screen.tiles().get(subject.tile());
        return subject.topic().equals(tile.topic()) ? tile : null;
      }
    }
    return null;
  }

  private void publish() {
    if (sink == null) {
      return; // at start
    }
    ObjectNode all = NODES.objectNode();
    alarms.values().forEach(a -> all.set(a.id, json(a)));
    sink.replace(TOPIC, all);
  }

  private ObjectNode json(Alarm alarm) {
    ObjectNode json = NODES.objectNode();
    json.put("id", alarm.id);
    json.put("level", alarm.level);
    json.put("screen", alarm.subject.screen());
    json.put("tile", alarm.subject.tile());
    Tile tile = tile(alarm.subject);
    json.put("title", tile == null ? "" : tile.title());
    json.put("topic", alarm.subject.topic());
    json.put("key", alarm.subject.key());
    json.set("value", alarm.value);
    json.put("since", alarm.since);
    if (alarm.ackedBy != null) {
      json.put("ackedBy", alarm.ackedBy);
      json.put("ackedAt", alarm.ackedAt);
    }
    if (alarm.backSince >= 0) {
      json.put("backSince", alarm.backSince); // the value is back; it clears if it stays
    }
    return json;
  }

  /** An id of the subject, when its alarm began and its number: URL-safe, new for each alarm. */
  private static String id(Subject subject, long since, long n) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(subject.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 4)
          + "-"
          + Long.toString(since, 36)
          + "-"
          + Long.toString(n, 36);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is in every JDK", e);
    }
  }
}
