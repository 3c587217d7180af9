package io.github.wsproducer.screens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wsproducer.Hub;
import io.github.wsproducer.testkit.RecordingOutbound;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Screens declared in Java or in a watched file, as a hub's pages receive them. */
class ScreensTest {
  @TempDir Path dir;

  static final String OPS =
      """
      screens:
        - name: ops
          title: Data streams
          tiles:
            - widget: number
              title: Orders per minute
              topic: totals
              path: orders.rate
              warn: 500
              critical: 900
            - widget: events
              topic: events
              columns: [time, stream, message]
              width: 2
            - widget: clock
      playlists:
        - name: lobby
          screens: [ops]
          every: 1m
      """;

  @Test
  void aFileReadsIntoScreensAndPlaylistsAsTheJavaBuilderMakesThem() throws Exception {
    Path file = Files.writeString(dir.resolve("screens.yaml"), OPS);
    Screen java =
        Screen.named("ops")
            .title("Data streams")
            .tile(
                Tile.number("Orders per minute", "totals", "orders.rate")
                    .warnAbove(500)
                    .criticalAbove(900))
            .tile(Tile.events("", "events", "time", "stream", "message").size(2, 1))
            .tile(Tile.clock(""));
    ScreenFile read = ScreenYaml.read(file);
    assertThat(read.screens()).containsExactly(java);
    assertThat(read.playlists()).containsExactly(Playlist.of("lobby", "1m", "ops"));
  }

  @Test
  void aFileThatDoesNotReadNamesTheLineAndTheReason() throws Exception {
    assertProblem(
        OPS.replace("widget: number", "widget: nummber"),
        "line 5: \"nummber\" is not one of [number, gauge, timeseries, table, events, status, text,"
            + " clock, alarms]");
    assertProblem(
        OPS.replace("path: orders.rate", "pth: orders.rate"), "line 8", "unknown key \"pth\"");
    assertProblem(
        OPS.replace("critical: 900", "critical: 100"),
        "line 5",
        "warn (500.0) must come before critical (100.0) as the value rises");
    assertProblem(OPS.replace("topic: events", "topic: \"ev ents\""), "ev ents");
    assertProblem(OPS.replace("every: 1m", "every: soon"), "every must be a period such as 30s");
    assertProblem(
        OPS.replace("screens: [ops]", "screens: [opz]"), "playlist lobby names no screen opz");
    assertProblem("screens:\n  - name: ops\n    tiles: [\n", "line 4");
  }

  private void assertProblem(String yaml, String... expected) throws Exception {
    Path file = Files.writeString(dir.resolve("bad.yaml"), yaml);
    assertThatThrownBy(() -> ScreenYaml.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .message()
        .startsWith(file.toString())
        .contains(expected);
  }

  @Test
  void aJsonFileReadsToo() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("screens.json"),
            "{\"screens\":[{\"name\":\"wall\",\"tiles\":[{\"widget\":\"gauge\",\"topic\":\"t\","
                + "\"min\":0,\"max\":1,\"format\":\"percent\"}]}]}");
    assertThat(ScreenYaml.read(file).screens())
        .containsExactly(
            Screen.named("wall")
                .tile(Tile.gauge("", "t", null).range(0, 1).format(Format.PERCENT)));
  }

  @Test
  void theBuilderRefusesWhatCannotBeShown() {
    assertThatThrownBy(() -> Tile.number("x", null, null))
        .hasMessage("a number tile needs a topic");
    assertThatThrownBy(() -> Tile.gauge("x", "t", null).range(5, 5))
        .hasMessage("min (5.0) must be below max (5.0)");
    assertThatThrownBy(() -> Tile.timeSeries("x", "t", "a b"))
        .hasMessageContaining("path must be dotted names");
    assertThatThrownBy(() -> Tile.clock("x").size(13, 1))
        .hasMessage("width must be 1 to 12 grid cells, was 13");
    assertThatThrownBy(() -> Screen.named("a b")).hasMessageContaining("screen name must be");
    assertThatThrownBy(() -> Screens.of(Screen.named("a"), Screen.named("a")))
        .hasMessage("two screens are named a");
  }

  @Test
  void editingTheFileUpdatesTheScreensAndABadEditKeepsTheLastGoodOnes() throws Exception {
    Path file = Files.writeString(dir.resolve("screens.yaml"), OPS);
    Screens screens = Screens.watch(file);
    try (Hub hub = Hub.builder().topic(Screens.topic()).source(screens).build()) {
      RecordingOutbound page = new RecordingOutbound();
      page.openPlain(hub, Screens.TOPIC, RecordingOutbound.NO_PINGS);
      assertThat(title(page.next())).isEqualTo("Data streams");

      edit(file, OPS.replace("title: Data streams", "title: Streams today"));
      assertThat(title(nextWithin(page, 10))).isEqualTo("Streams today");

      edit(file, OPS.replace("widget: clock", "widget: clocks"));
      // Rejected: the pages keep what they have, and are told what is wrong, where.
      JsonNode rejected = nextWithin(page, 10);
      assertThat(title(rejected)).isEqualTo("Streams today");
      assertThat(rejected.path("problem").asString())
          .startsWith(file + ", line 15: \"clocks\" is not one of");
      assertThat(title(screens.current())).isEqualTo("Streams today");

      edit(file, OPS.replace("title: Data streams", "title: Fixed"));
      JsonNode fixed = nextWithin(page, 10);
      assertThat(title(fixed)).isEqualTo("Fixed");
      assertThat(fixed.has("problem")).isFalse();
    }
  }

  /** Writes the file with a later modification time, as an editor saving it would. */
  static void edit(Path file, String text) throws Exception {
    FileTime before = Files.getLastModifiedTime(file);
    Files.writeString(file, text);
    Files.setLastModifiedTime(file, FileTime.from(before.toInstant().plusSeconds(1)));
  }

  private static JsonNode nextWithin(RecordingOutbound page, int seconds) throws Exception {
    String text = page.frames.poll(seconds, TimeUnit.SECONDS);
    assertThat(text).as("an update within %d s", seconds).isNotNull();
    return JsonMapper.builder().build().readTree(text);
  }

  private static String title(JsonNode screens) {
    return screens.path("screens").path(0).path("title").asString();
  }

  @Test
  void aFileThatIsBadAtStartIsAnError() throws Exception {
    Path file = Files.writeString(dir.resolve("screens.yaml"), "screens: [{name: 'a b'}]");
    assertThatThrownBy(() -> Screens.watch(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 1")
        .hasMessageContaining("screen name must be");
  }

  @Test
  void theKitsFilesReportTheirSize() throws Exception {
    for (String name : List.of("screen.js", "screen.css", "screen.html", "index.html")) {
      byte[] bytes;
      try (var in =
          Screens.class
              .getClassLoader()
              .getResourceAsStream("META-INF/resources/wsproducer/screens/" + name)) {
        assertThat(in).as(name).isNotNull();
        bytes = in.readAllBytes();
      }
      var gzipped = new java.io.ByteArrayOutputStream();
      try (var gzip = new java.util.zip.GZIPOutputStream(gzipped)) {
        gzip.write(bytes);
      }
      System.out.printf(
          "screen kit %s: %d bytes, %d bytes gzipped%n", name, bytes.length, gzipped.size());
      assertThat(gzipped.size()).as(name + " gzipped").isLessThan(16 * 1024);
    }
  }
}
