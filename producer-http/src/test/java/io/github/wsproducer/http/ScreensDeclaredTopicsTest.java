package io.github.wsproducer.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.wsproducer.Hub;
import io.github.wsproducer.Topic;
import io.github.wsproducer.screens.Screens;
import io.github.wsproducer.spi.Inbound;
import io.github.wsproducer.testkit.RecordingOutbound;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/** A screen file that declares its topics: the hub has them, fed by their sources. */
class ScreensDeclaredTopicsTest {
  private static final String SCREEN =
      """
      screens:
        - name: flink
          tiles:
            - {widget: table, title: Jobs, topic: jobs}
      """;

  @Test
  void aHubHasTheTopicsAScreenFileDeclaresFedByTheirSources() throws Exception {
    try (Api api = new Api()) {
      api.answer("/jobs", 200, "{\"jobs\":[{\"name\":\"orders\",\"state\":\"RUNNING\"}]}");
      String yaml =
          """
          topics:
            jobs:
              http: %s
              select: /jobs
              key: /name
              interval: 100ms
              retention: 6h
          """
                  .formatted(api.uri("/jobs"))
              + SCREEN;
      try (Hub hub =
          Hub.builder()
              .topic(Screens.topic())
              .source(Screens.parse(yaml, "screens.yaml"))
              .build()) {
        Topic jobs =
            hub.topics().stream().filter(t -> t.name().equals("jobs")).findFirst().orElseThrow();
        assertThat(jobs.state().kind()).isEqualTo("keyed");
        assertThat(jobs.retention()).isEqualTo(Duration.ofHours(6));
        RecordingOutbound screen = new RecordingOutbound();
        Inbound in = screen.openEnvelope(hub);
        screen.next("hello");
        in.onText("{\"type\":\"subscribe\",\"topic\":\"jobs\"}");
        JsonNode first = screen.next("snapshot");
        JsonNode rows = first.path("seq").asLong() > 0 ? first : screen.next("update");
        assertThat(rows.path("data").path("orders").path("state").asString()).isEqualTo("RUNNING");
      }
    }
  }

  @Test
  void aWatchedFileWhoseTopicsChangeSaysWhenTheyApplyOrWhatIsWrong(@TempDir Path dir)
      throws Exception {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    Logger logger = (Logger) LoggerFactory.getLogger(Screens.class);
    logger.addAppender(log);
    String topics = "topics:\n  jobs:\n    http: http://127.0.0.1:1/jobs\n    interval: 1h\n";
    Path file = Files.writeString(dir.resolve("screens.yaml"), topics + SCREEN);
    try (Hub hub = Hub.builder().topic(Screens.topic()).source(Screens.watch(file)).build()) {
      edit(file, topics.replace("interval", "intervall") + SCREEN);
      await()
          .untilAsserted(
              () ->
                  assertThat(log.list)
                      .extracting(ILoggingEvent::getFormattedMessage)
                      .anyMatch(
                          m ->
                              m.startsWith(
                                      file + ", line 4: topic jobs: intervall: unknown setting")
                                  && m.endsWith(
                                      "; the topics keep the version they started with")));
      edit(file, topics.replace("1h", "2h") + SCREEN);
      await()
          .untilAsserted(
              () ->
                  assertThat(log.list)
                      .extracting(ILoggingEvent::getFormattedMessage)
                      .anyMatch(m -> m.endsWith("the change takes effect at the next start")));
      assertThat(hub.topics()).extracting(Topic::name).contains("jobs");
    } finally {
      logger.detachAppender(log);
    }
  }

  /** Writes the file with a later modification time, as an editor saving it would. */
  private static void edit(Path file, String text) throws Exception {
    FileTime before = Files.getLastModifiedTime(file);
    Files.writeString(file, text);
    Files.setLastModifiedTime(file, FileTime.from(before.toInstant().plusSeconds(1)));
  }

  @Test
  void aWrongDeclarationStopsTheHubFromStartingNamingItsLine() {
    String yaml =
        """
        topics:
          jobs:
            http: http://127.0.0.1:1/jobs
            intervall: 10s
        """
            + SCREEN;
    Screens screens = Screens.parse(yaml, "screens.yaml");
    assertThatThrownBy(() -> Hub.builder().topic(Screens.topic()).source(screens).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("screens.yaml, line 4: topic jobs: intervall: unknown setting");

    assertThatThrownBy(() -> Screens.parse("topics:\n  jobs: http://h/\n" + SCREEN, "screens.yaml"))
        .hasMessageContaining("line 2")
        .hasMessageContaining("topic jobs must be a map of its source and settings");
  }
}
