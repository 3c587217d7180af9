package io.github.wsproducer.screens;

import io.github.wsproducer.Authenticator;
import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import io.github.wsproducer.UpdateSink;
import io.github.wsproducer.UpdateSource;
import io.github.wsproducer.protocol.Protocol;
import io.github.wsproducer.spi.DeclaredTopic;
import io.github.wsproducer.spi.DeclaresTopics;
import io.github.wsproducer.spi.HttpRoute;
import io.github.wsproducer.spi.HttpRoutes;
import io.github.wsproducer.spi.WebResources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The screens a hub serves at {@code /screens/{name}} (and lists at {@code /screens}): declared in
 * Java, or read from a YAML or JSON file that is watched, so that editing it updates every screen
 * showing it within seconds. A file that does not read is rejected with its line and the reason,
 * and the screens keep the last good version.
 *
 * <p>The pages get the screens on a topic of the hub, {@link #TOPIC}: add {@link #topic()} and this
 * source to the hub. The hub also gets the alarms that tiles' thresholds raise, on a topic this
 * source adds itself, {@code wsproducer.alarms} ({@code docs/screens.md#alarms}).
 *
 * <pre>{@code
 * Screens screens = Screens.watch(Path.of("screens.yaml"));
 * Hub hub = Hub.builder().topic(Screens.topic()).source(screens) // ...your topics and sources
 *     .build();
 * }</pre>
 */
public final class Screens implements UpdateSource, HttpRoutes, DeclaresTopics {
  private static final Logger log = LoggerFactory.getLogger(Screens.class);

  /** The topic the pages read the screens from. */
  public static final String TOPIC = "wsproducer.screens";

  /** Where the fleet is listed as JSON, and below which its commands are ({@link #withFleet}). */
  public static final String FLEET = "/fleet";

  /** The operators' page of the fleet. */
  public static final String FLEET_PAGE = FLEET + "/admin";

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
  private final String text; // as first read, for the lines of the topics it declares; or null
  private final String origin;
  private final List<Object> resources; // what declared sources may use
  private final Authenticator operators; // or null: no fleet
  private final Fleet fleet; // or null
  private final Alarms alarms = new Alarms(() -> this.current);
  private volatile ScreenFile current;
  private volatile String problem; // what is wrong with the file now, or null
  private volatile UpdateSink sink;
  private volatile Clock clock = Clock.systemUTC(); // the hub's, once it starts the screens
  private ScreenFileWatch watch; // or null

  private Screens(
      Path file,
      String text,
      String origin,
      ScreenFile current,
      List<Object> resources,
      Authenticator operators) {
    this.file = file;
    this.text = text;
    this.origin = origin;
    this.current = current;
    this.resources = List.copyOf(resources);
    this.operators = operators;
    this.fleet = operators == null ? null : new Fleet();
  }

  /**
   * For the hub: 404 for a screen that does not exist, and with the fleet ({@link #withFleet}) its
   * endpoints and the alarms' ({@code GET /alarms}, {@code POST /alarms/{id}/ack}).
   */
  @Override
  public List<HttpRoute> httpRoutes() {
    List<HttpRoute> routes = new ArrayList<>();
    routes.add(new UnknownScreenRoute(() -> current));
    if (fleet != null) {
      routes.add(new FleetRoute(fleet, operators, this::republish, () -> problem));
      routes.add(new AlarmRoute(alarms, operators));
    }
    return routes;
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
    return new Screens(file, text, origin, current, resources, operators);
  }

  /**
   * These screens, offering the topics their file declares ({@code topics:}) what their sources
   * need, such as the {@code DataSource} that {@code sql} topics query.
   */
  public Screens withResources(Object... resources) {
    List<Object> all = new ArrayList<>(this.resources);
    for (Object resource : resources) {
      all.add(Objects.requireNonNull(resource, "resource"));
    }
    return new Screens(file, text, origin, current, all, operators);
  }

  /**
   * The alarms' topic, {@value Alarms#TOPIC}, with the source that raises them ({@code
   * docs/screens.md}), and the topics the file declares in its {@code topics:} section, each with
   * its source; the hub adds them when it is built. They are read once: a change to the section of
   * a watched file takes effect at the next start.
   *
   * @throws IllegalArgumentException naming the line of a declaration that is wrong
   */
  @Override
  public List<DeclaredTopic> declaredTopics() {
    List<DeclaredTopic> declared = new ArrayList<>();
    declared.add(new DeclaredTopic(Topic.of(Alarms.TOPIC, State.keyed()), alarms));
    if (text != null) {
      ScreenYaml.declared(current, text, origin, resources).stream()
          .map(DeclaredTopic::of)
          .forEach(declared::add);
    }
    return declared;
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
    return new Screens(
        null, null, null, new ScreenFile(screens, playlists, Map.of()), List.of(), null);
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
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return new Screens(
        file, text, file.toString(), ScreenYaml.parse(text, file.toString()), List.of(), null);
  }

  /**
   * The screens of a YAML or JSON text, such as a file shipped in a jar; not watched.
   *
   * @param origin where the text comes from, for messages: {@code "screens.yaml in the jar"}
   * @throws IllegalArgumentException naming the origin, the line and the reason
   */
  public static Screens parse(String text, String origin) {
    return new Screens(null, text, origin, ScreenYaml.parse(text, origin), List.of(), null);
  }

  /** The screens and playlists now. */
  public JsonNode current() {
    return ScreenYaml.YAML.valueToTree(current);
  }

  /**
   * What pages receive: the screens and playlists; the kit's version and how long to spread reloads
   * over, for pages to reload after a deploy; and the fleet's commands.
   */
  private JsonNode published() {
    ObjectNode value = (ObjectNode) current();
    value.put("kit", KIT);
    long now = clock.millis();
    value.put(
        "reloadSpread",
        fleet == null
            ? SPREAD_MILLIS
            : Math.min(60_000, Math.max(1_000, 200L * fleet.online(now))));
    if (fleet != null) {
      value.set("fleet", fleet.commands());
    }
    if (problem != null) {
      value.put("problem", problem);
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
    this.clock = sink.clock();
    sink.publish(TOPIC, published());
    if (file != null) {
      watch =
          new ScreenFileWatch(
              file,
              read -> {
                problem = null;
                if (!read.topics().equals(current.topics())) {
                  topicsChanged(read);
                }
                current = read;
                alarms.screensChanged();
                republish();
                log.info(
                    "{}: {} screens and {} playlists",
                    file,
                    read.screens().size(),
                    read.playlists().size());
              },
              this::problem);
    }
  }

  /**
   * Says that a changed {@code topics:} section applies at the next start, or what is wrong with it
   * (naming the line), so that the next start does not fail unannounced.
   */
  private void topicsChanged(ScreenFile read) {
    String problem = null;
    try {
      for (var settings : ScreenYaml.declared(read, Files.readString(file), origin, resources)) {
        DeclaredTopic.of(settings).source().close(); // checked, never started
      }
    } catch (IllegalArgumentException e) {
      problem = e.getMessage();
    } catch (IOException e) {
      problem = "cannot read " + file;
    }
    if (problem != null) {
      log.warn("{}; the topics keep the version they started with", problem);
      this.problem = problem + "; the topics keep the version they started with";
    } else {
      log.warn(
          "{}: the topics: section changed; topics and their sources are read when the server"
              + " starts, so the change takes effect at the next start",
          file);
    }
  }

  /** Shows what is wrong with the file where people look, until it is fixed ({@code null}). */
  private void problem(String problem) {
    if (!Objects.equals(problem, this.problem)) {
      this.problem = problem;
      republish();
    }
  }

  /** Sends pages the screens, the kit's version and the fleet's commands as they are now. */
  private void republish() {
    UpdateSink to = sink;
    if (to != null) {
      to.publish(TOPIC, published());
    }
  }

  @Override
  public synchronized void close() {
    if (watch != null) {
      watch.close();
    }
  }
}
