package io.github.wsproducer.screens;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The screens that reported themselves, and the commands for them. The commands are counters that
 * pages compare with the ones they last saw: they travel on the screens topic, so that a page
 * receives them over the socket it has, and one that reconnects catches up.
 *
 * <p>A screen's id is its proof: only the page, which made it up, and operators know it. Commands
 * therefore name a screen by its handle, a keyed hash of its id that the page learns in the answer
 * to its report: every socket client reads the commands, and a handle makes no report.
 *
 * <p>What it keeps is bounded: a report is kept as compact JSON of at most {@value
 * #MAX_REPORT_BYTES} bytes, for at most {@value #MAX_SCREENS} screens, and an address may report
 * {@value #REPORTS_PER_ADDRESS} times per {@value #REPORT_MILLIS} ms (as many screens behind one
 * address).
 */
final class Fleet {
  /** How often a page reports itself. */
  static final long REPORT_MILLIS = 10_000;

  /** A screen that has not reported for this long is offline. */
  static final long OFFLINE_MILLIS = 3 * REPORT_MILLIS;

  /** The most screens kept; the one seen longest ago makes room. */
  static final int MAX_SCREENS = 1000;

  /** The most bytes of one screen's report kept, as compact JSON. */
  static final int MAX_REPORT_BYTES = 4096;

  /** Reports one address may make per {@link #REPORT_MILLIS}. */
  static final int REPORTS_PER_ADDRESS = 200;

  static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{8,64}");
  private static final int MAX_TEXT = 100;
  private static final int MAX_TOPICS = 64;
  private static final int MAX_ADDRESSES = 10_000; // a bound on the rate limits kept
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final JsonMapper JSON = JsonMapper.shared();

  /** Tells pages that a count from before a restart is not to be compared with one after. */
  private final String boot = HexFormat.of().formatHex(new SecureRandom().generateSeed(6));

  private final byte[] handleKey = new SecureRandom().generateSeed(32);

  // By id, in the order they last reported: the first is the one seen longest ago, which makes
  // room.
  private final Map<String, Seen> screens =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
          return size() > MAX_SCREENS;
        }
      }; // guarded by this
  // By handle, "*" for all; bounded as the screens are: a handle is made only for a known screen.
  private final Map<String, Integer> reloads = bounded();
  private final Map<String, Integer> identifies = bounded();
  private final Map<String, Window> reports = new HashMap<>(); // by address

  private record Seen(byte[] report, String address, long at) {}

  /** Reports of one address in the current window. */
  private static final class Window {
    long start;
    int count;
  }

  private static <V> Map<String, V> bounded() {
    return new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > MAX_SCREENS + 1;
      }
    };
  }

  /** Whether {@code address} may report once more at {@code now}; counts the report. */
  synchronized boolean mayReport(String address, long now) {
    Window w = reports.get(address);
    if (w == null) {
      if (reports.size() >= MAX_ADDRESSES) {
        reports.clear(); // addresses by the thousand: start over rather than grow
      }
      reports.put(address, w = new Window());
      w.start = now;
    }
    if (now - w.start >= REPORT_MILLIS) {
      w.start = now;
      w.count = 0;
    }
    return ++w.count <= REPORTS_PER_ADDRESS;
  }

  /** The name commands give the screen of {@code id}: a keyed hash, which tells nothing of it. */
  String handle(String id) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(handleKey, "HmacSHA256"));
      byte[] hash = mac.doFinal(id.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is in every JDK", e);
    }
  }

  /**
   * Records a page's report; returns the screen's handle.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  synchronized String report(JsonNode report, String address, long now) {
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
    byte[] json = JSON.writeValueAsBytes(kept);
    if (json.length > MAX_REPORT_BYTES) {
      throw new IllegalArgumentException(
          "a report is over " + MAX_REPORT_BYTES + " bytes once trimmed: fewer or shorter topics");
    }
    screens.remove(id); // to the end
    screens.put(id, new Seen(json, address, now));
    return handle(id);
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
      ObjectNode screen = (ObjectNode) JSON.readTree(seen.report());
      screen.put("handle", handle(screen.path("id").asString()));
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
    reloads.merge(id.equals("*") ? id : handle(id), 1, Integer::sum);
  }

  /** Asks a screen to show its name. */
  synchronized void identify(String id) {
    identifies.merge(handle(id), 1, Integer::sum);
  }

  /**
   * The commands as pages read them: {@code {boot, report, reload: {handle: n}, identify: {...}}}.
   */
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
