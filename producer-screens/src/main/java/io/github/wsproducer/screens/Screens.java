package io.github.wsproducer.screens;

import io.github.wsproducer.Authenticator;
import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import io.github.wsproducer.UpdateSink;
import io.github.wsproducer.UpdateSource;
import io.github.wsproducer.protocol.Protocol;
import io.github.wsproducer.spi.HttpContext;
import io.github.wsproducer.spi.HttpRequest;
import io.github.wsproducer.spi.HttpResponse;
import io.github.wsproducer.spi.HttpRoute;
import io.github.wsproducer.spi.HttpRoutes;
import io.github.wsproducer.spi.NamedThreads;
import io.github.wsproducer.spi.WebResources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
import tools.jackson.databind.node.ObjectNode;
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
public final class Screens implements UpdateSource, HttpRoutes {
  private static final Logger log = LoggerFactory.getLogger(Screens.class);

  /** The topic the pages read the screens from. */
  public static final String TOPIC = "wsproducer.screens";

  /** Where the fleet is listed as JSON, and below which its commands are ({@link #withFleet}). */
  public static final String FLEET = "/fleet";

  /** The operators' page of the fleet. */
  public static final String FLEET_PAGE = FLEET + "/admin";

  // An absent boolean or number of a tile is false or 0 on every Jackson 3 (3.1, which Spring Boot
  // 4.0 brings, fails on it by default).
  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
          .build();

  /** The spread of reloads after a deploy when the fleet is off and the screens are uncounted. */
  private static final long SPREAD_MILLIS = 5_000;

  /**
   * What pages compare to know that they run the kit's assets of an earlier deploy: the ETags of
   * the page, its script and styles, and the client script.
   */
  static final String KIT =
      WebResources.etag(
          Stream.of(
                  "/screens/x",
                  "/wsproducer/screens/screen.js",
                  "/wsproducer/screens/screen.css",
                  Protocol.CLIENT_SCRIPT_PATH)
              .map(path -> Optional.ofNullable(WebResources.find(path)))
              .map(found -> found.map(WebResources.Resource::etag).orElse(""))
              .collect(Collectors.joining())
              .getBytes(StandardCharsets.UTF_8));

  private final Path file;
  private final Authenticator operators; // or null: no fleet
  private final Fleet fleet; // or null
  private volatile ScreenFile current;
  private volatile UpdateSink sink;
  private ScheduledExecutorService watcher;
  private Object seen; // the file's modification time and size, on the watcher's thread
  private String lastProblem; // on the watcher's thread

  private Screens(Path file, ScreenFile current, Authenticator operators) {
    this.file = file;
    this.current = current;
    this.operators = operators;
    this.fleet = operators == null ? null : new Fleet();
  }

  /** The fleet's endpoints, when it is on ({@link #withFleet}); for the hub. */
  @Override
  public List<HttpRoute> httpRoutes() {
    return fleet == null ? List.of() : List.of(new FleetRoute());
  }

  /**
   * These screens with their fleet, run from a desk: every page reports itself, and {@code
   * operators} may list them and reload or identify them over HTTP ({@code docs/fleet.md}). A
   * request needs a credential {@code operators} accept in its {@code Authorization} header, such
   * as {@code Bearer TOKEN} for a {@link io.github.wsproducer.TokenAuthenticator}. Off by default.
   *
   * @throws IllegalStateException if the hub runs these screens already
   */
  public Screens withFleet(Authenticator operators) {
    Objects.requireNonNull(operators, "operators");
    if (sink != null) {
      throw new IllegalStateException("add the fleet before the hub starts the screens");
    }
    return new Screens(file, current, operators);
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
    return new Screens(null, new ScreenFile(screens, playlists), null);
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
    return new Screens(file, read(file), null);
  }

  /**
   * The screens of a YAML or JSON text, such as a file shipped in a jar; not watched.
   *
   * @param origin where the text comes from, for messages: {@code "screens.yaml in the jar"}
   * @throws IllegalArgumentException naming the origin, the line and the reason
   */
  public static Screens parse(String text, String origin) {
    return new Screens(null, screenFile(text, origin), null);
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

  /** The screens and playlists now. */
  public JsonNode current() {
    return YAML.valueToTree(current);
  }

  /**
   * What pages receive: the screens and playlists; the kit's version and how long to spread reloads
   * over, for pages to reload after a deploy; and the fleet's commands.
   */
  private JsonNode published() {
    ObjectNode value = (ObjectNode) current();
    value.put("kit", KIT);
    long now = System.currentTimeMillis();
    value.put(
        "reloadSpread",
        fleet == null
            ? SPREAD_MILLIS
            : Math.min(60_000, Math.max(1_000, 200L * fleet.online(now))));
    if (fleet != null) {
      value.set("fleet", fleet.commands());
    }
    return value;
  }

  @Override
  public Set<String> topics() {
    return Set.of(TOPIC);
  }

  @Override
  public synchronized void start(UpdateSink sink) {
    this.sink = Objects.requireNonNull(sink, "sink");
    sink.publish(TOPIC, published());
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
      sink.publish(TOPIC, published());
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

  /** The fleet's HTTP endpoints. */
  private final class FleetRoute implements HttpRoute {
    @Override
    public boolean serves(String path) {
      return path.equals(FLEET) || path.startsWith(FLEET + "/");
    }

    /** Method, credentials and rate, from the head: a refused report's body is never read. */
    @Override
    public HttpResponse check(HttpRequest head, HttpContext http) {
      String path = head.path();
      boolean get = head.method().equals("GET");
      if (path.equals(FLEET_PAGE) && get) {
        return null;
      }
      if (path.equals(FLEET + "/report")) {
        if (!head.method().equals("POST")) {
          return http.onlyMethod("POST");
        }
        if (!http.isClient(head)) {
          return http.unauthorized();
        }
        if (!fleet.mayReport(head.address(), System.currentTimeMillis())) {
          return http.error(
                  429,
                  "more than "
                      + Fleet.REPORTS_PER_ADDRESS
                      + " reports from one address in "
                      + Fleet.REPORT_MILLIS / 1000
                      + " s")
              .withHeader("Retry-After", Long.toString(Fleet.REPORT_MILLIS / 1000));
        }
        return null;
      }
      if (!(get && path.equals(FLEET)) && !head.method().equals("POST")) {
        return http.onlyMethod(path.equals(FLEET) ? "GET" : "POST");
      }
      return http.authenticate(operators, head) == null ? http.unauthorized() : null;
    }

    @Override
    public HttpResponse serve(HttpRequest request, HttpContext http) {
      return fleetRequest(request, http);
    }
  }

  /** A request {@link FleetRoute#check} admitted. */
  private HttpResponse fleetRequest(HttpRequest request, HttpContext http) {
    String path = request.path();
    if (path.equals(FLEET_PAGE)) { // no data in it: its script asks for a token
      WebResources.Resource page = WebResources.find("/wsproducer/screens/fleet.html");
      byte[] bytes = new byte[page.bytes().remaining()];
      page.bytes().get(bytes);
      return new HttpResponse(200, page.contentType(), bytes, Map.of());
    }
    long now = System.currentTimeMillis();
    if (path.equals(FLEET + "/report")) {
      return report(request, http, now);
    }
    if (path.equals(FLEET)) {
      return http.json(200, fleet.list(now, KIT));
    }
    if (path.equals(FLEET + "/reload")) {
      fleet.reload("*");
      return command(Map.of("reload", "*", "online", fleet.online(now)), http);
    }
    String[] parts = path.substring(FLEET.length() + 1).split("/", -1);
    if (parts.length != 2 || !(parts[1].equals("reload") || parts[1].equals("identify"))) {
      return http.error(404, "not found");
    }
    if (!fleet.knows(parts[0])) {
      return http.error(404, "no screen " + parts[0] + " has reported");
    }
    if (parts[1].equals("reload")) {
      fleet.reload(parts[0]);
    } else {
      fleet.identify(parts[0]);
    }
    return command(Map.of(parts[1], parts[0]), http);
  }

  private HttpResponse report(HttpRequest request, HttpContext http, long now) {
    try {
      JsonNode report = http.body(request); // JSON only: it comes from anyone
      String handle = fleet.report(report, request.address(), now);
      return http.json(202, Map.of("next", Fleet.REPORT_MILLIS, "handle", handle));
    } catch (JacksonException e) {
      return http.malformed(e);
    } catch (IllegalArgumentException e) {
      return http.error(400, e.getMessage());
    }
  }

  /** Sends the fleet's commands to the pages; answers 202 with {@code answer}. */
  private HttpResponse command(Map<String, Object> answer, HttpContext http) {
    UpdateSink to = sink;
    if (to != null) {
      to.publish(TOPIC, published());
    }
    return http.json(202, answer);
  }

  @Override
  public synchronized void close() {
    if (watcher != null) {
      watcher.shutdownNow();
    }
  }
}
