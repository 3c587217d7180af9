package io.github.wsproducer.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wsproducer.spi.DeclaredTopic;
import io.github.wsproducer.spi.SourceSettings;
import io.github.wsproducer.testkit.Declarations;
import io.github.wsproducer.testkit.RecordingSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kinds http and prometheus, declared in configuration. */
class DeclaredHttpTopicsTest {
  @TempDir Path dir;

  private static SourceSettings settings(String topic, String json) {
    return Declarations.settings(topic, json);
  }

  @Test
  void anHttpTopicWithAKeyIsKeyedAndPolls() throws Exception {
    try (Api api = new Api()) {
      api.answer("/jobs", 200, "{\"jobs\":[{\"name\":\"orders\",\"state\":\"RUNNING\"}]}");
      Path token = Files.writeString(dir.resolve("token"), "t0ken\n");
      DeclaredTopic declared =
          DeclaredTopic.of(
              settings(
                  "jobs",
                  "{\"http\":\""
                      + api.uri("/jobs")
                      + "\",\"select\":\"/jobs\",\"key\":\"/name\",\"fields\":{\"state\":\"/state\"},"
                      + "\"interval\":\"1s\",\"stale-after\":\"1m\",\"retention\":\"6h\","
                      + "\"token-file\":\""
                      + token
                      + "\"}"));
      assertThat(declared.topic().state().kind()).isEqualTo("keyed");
      assertThat(declared.topic().staleAfter()).isEqualTo(Duration.ofMinutes(1));
      assertThat(declared.topic().retention()).isEqualTo(Duration.ofHours(6));
      RecordingSink sink = new RecordingSink();
      declared.source().start(sink);
      try {
        assertThat(sink.next().toString()).isEqualTo("{\"orders\":{\"state\":\"RUNNING\"}}");
        assertThat(api.requests.take().getRequestHeaders().getFirst("Authorization"))
            .isEqualTo("Bearer t0ken");
      } finally {
        declared.source().close();
      }
    }
  }

  @Test
  void mistakesAreRefusedNamingTheirLine() {
    assertThatThrownBy(
            () ->
                DeclaredTopic.of(
                    settings("e", "{\"prometheus\":\"up\",\"url\":\"http://p\",\"byy\":\"job\"}")))
        .hasMessage(
            "screens.yaml, line 4: topic e: byy: unknown setting; known here: backfill, by,"
                + " headers, interval, max-backoff, max-body-bytes, prometheus, retention,"
                + " retention-bytes, stale-after, state, step, timeout, token-env, token-file, url");
    assertThatThrownBy(() -> DeclaredTopic.of(settings("e", "{\"prometheus\":\"up\"}")))
        .hasMessage("screens.yaml, line 1: topic e: needs url");
    assertThatThrownBy(
            () -> DeclaredTopic.of(settings("e", "{\"http\":\"http://h/\",\"interval\":\"soon\"}")))
        .hasMessage(
            "screens.yaml, line 3: topic e: interval: must be a period such as 30s, 15m or 2h,"
                + " was \"soon\"");
    assertThatThrownBy(
            () -> DeclaredTopic.of(settings("e", "{\"http\":\"http://h/\",\"token\":\"abc\"}")))
        .hasMessage(
            "screens.yaml, line 3: topic e: token: write no secret here: name a file with"
                + " token-file or an environment variable with token-env");
    assertThatThrownBy(
            () ->
                DeclaredTopic.of(
                    settings("e", "{\"http\":\"http://h/\",\"token-env\":\"WSPRODUCER_NO_SUCH\"}")))
        .hasMessage(
            "screens.yaml, line 3: topic e: token-env: the environment variable"
                + " WSPRODUCER_NO_SUCH is not set");
    assertThatThrownBy(() -> DeclaredTopic.of(settings("e", "{\"http\":\"file:///etc/passwd\"}")))
        .hasMessageContaining("line 2: topic e: http: must be an http or https URL");
    assertThatThrownBy(() -> DeclaredTopic.of(settings("e", "{\"kafka-lag\":\"orders\"}")))
        .hasMessage(
            "screens.yaml, line 2: topic e: kafka-lag: a source of kind kafka-lag needs"
                + " producer-kafka on the class path");
    assertThatThrownBy(() -> DeclaredTopic.of(settings("e", "{\"interval\":\"1s\"}")))
        .hasMessage(
            "screens.yaml, line 1: topic e: says no source; write one of http, kafka-lag,"
                + " kafka-topic, prometheus, sql");
  }
}
