package io.github.wsproducer.screens;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The screens that reported themselves, and the commands for them. The commands are counters that
 * pages compare with the ones they last saw: they travel on the screens topic, so that a page
 * receives them over the socket it has, and one that reconnects catches up.
 */
final class Fleet {
  /** How often a page reports itself. */
  static final long REPORT_MILLIS = 10_000;

  /** A screen that has not reported for this long is offline. */
  static final long OFFLINE_MILLIS = 3 * REPORT_MILLIS;

  /** The most screens kept; the one seen longest ago makes room. */
  static final int MAX_SCREENS = 1000;

  static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{8,64}");
  private static final int MAX_TEXT = 100;
  private static final int MAX_TOPICS = 200;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Tells pages that a count from before a restart is not to be compared with one after. */
  private final String boot = HexFormat.of().formatHex(new SecureRandom().generateSeed(6));

  // By id, in the order they last reported: the first is the one seen longest ago, which makes
  // room.
  private final Map<String, Seen> screens =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
          return size() > MAX_SCREENS;
        }
      }; // guarded by this
  private final Map<String, Integer> reloads = new LinkedHashMap<>(); // by id, "*" for all
  private final Map<String, Integer> identifies = new LinkedHashMap<>();

  private record Seen(ObjectNode report, String address, long at) {}

  /**
   * Records a page's report.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  synchronized void report(JsonNode report, String address, long now) {
    if (!report.isObject()) {
      throw new IllegalArgumentException("a report is a JSON object");
    }
    String id = report.path("id").asString("");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("a report's id must match " + ID);
    }
    ObjectNode kept = NODES.objectNode();
    kept.put("id", id);
    for (String field : List.of("name", "screen", "version", "state")) {
      JsonNode value = report.path(field);
      if (value.isString()) {
        kept.put(field, cut(value.asString()));
      }
    }
    kept.set("seqs", numbers(report.path("seqs")));
    kept.set("stale", strings(report.path("stale")));
    kept.set("viewport", numbers(report.path("viewport")));
    if (report.path("loads").isIntegralNumber()) {
      kept.put("loads", report.path("loads").asLong());
    }
    screens.remove(id); // to the end
    screens.put(id, new Seen(kept, address, now));
  }

  private static String cut(String text) {
    return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
  }

  private static ObjectNode numbers(JsonNode object) {
    ObjectNode kept = NODES.objectNode();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      if (kept.size() < MAX_TOPICS && e.getValue().isNumber()) {
        kept.set(cut(e.getKey()), e.getValue());
      }
    }
    return kept;
  }

  private static JsonNode strings(JsonNode array) {
    var kept = NODES.arrayNode();
    for (JsonNode item : array) {
      if (kept.size() < MAX_TOPICS && item.isString()) {
        kept.add(cut(item.asString()));
      }
    }
    return kept;
  }

  /** Every screen as {@code GET /fleet} lists it, the one seen last first. */
  synchronized List<ObjectNode> list(long now, String kit) {
    List<ObjectNode> list = new ArrayList<>();
    for (Seen seen : screens.values()) {
      ObjectNode screen = seen.report().deepCopy();
      screen.put("online", now - seen.at() < OFFLINE_MILLIS);
      screen.put("lastSeen", java.time.Instant.ofEpochMilli(seen.at()).toString());
      screen.put("current", kit.equals(screen.path("version").asString("")));
      screen.put("address", seen.address());
      list.add(0, screen);
    }
    return list;
  }

  /** How many screens reported within {@link #OFFLINE_MILLIS}. */
  synchronized int online(long now) {
    return (int) screens.values().stream().filter(s -> now - s.at() < OFFLINE_MILLIS).count();
  }

  /** Whether a screen of this id reported. */
  synchronized boolean knows(String id) {
    return screens.containsKey(id);
  }

  /** Asks one screen ({@code id}) or all ({@code "*"}) to reload. */
  synchronized void reload(String id) {
    reloads.merge(id, 1, Integer::sum);
  }

  /** Asks a screen to show its name. */
  synchronized void identify(String id) {
    identifies.merge(id, 1, Integer::sum);
  }

  /** The commands as pages read them: {@code {boot, report, reload: {id: n}, identify: {...}}}. */
  synchronized ObjectNode commands() {
    ObjectNode commands = NODES.objectNode();
    commands.put("boot", boot);
    commands.put("report", REPORT_MILLIS);
    ObjectNode reload = commands.putObject("reload");
    reloads.forEach(reload::put);
    ObjectNode identify = commands.putObject("identify");
    identifies.forEach(identify::put);
    return commands;
  }
}
