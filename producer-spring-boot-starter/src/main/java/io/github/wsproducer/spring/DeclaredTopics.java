package io.github.wsproducer.spring;

import io.github.wsproducer.Hub;
import io.github.wsproducer.spi.DeclaredTopic;
import io.github.wsproducer.spi.SourceSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The topics of {@code wsproducer.topics} that name a kind of source ({@code http}, {@code
 * prometheus}, {@code kafka-lag}, ...), made by the module that offers it, as a screen file's
 * {@code topics:} section would: {@code
 * wsproducer.topics.jobs.http=http://flink:8081/jobs/overview}. A topic with {@code query} or
 * {@code table} is an SQL topic instead ({@link SqlTopics}).
 */
final class DeclaredTopics {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String PREFIX = "wsproducer.topics";

  private DeclaredTopics() {}

  /** Whether a topic's properties make it an SQL topic ({@code query} or {@code table}). */
  static boolean isSql(Map<String, Object> settings) {
    return settings.containsKey("query") || settings.containsKey("table");
  }

  /**
   * Adds the topics that are not SQL topics, each with its source.
   *
   * @param resources what their sources may use, such as the application's {@code DataSource}
   * @throws IllegalArgumentException naming the property at fault and why
   */
  static List<String> addTo(
      Hub.Builder hub, Map<String, Map<String, Object>> topics, List<Object> resources) {
    List<String> names = new ArrayList<>();
    topics.forEach(
        (name, settings) -> {
          if (isSql(settings)) {
            return;
          }
          String at = PREFIX + "." + name;
          Map<String, SourceSettings.Setting> written = new LinkedHashMap<>();
          settings.forEach(
              (key, value) ->
                  written.put(
                      key, new SourceSettings.Setting(JSON.valueToTree(value), at + "." + key)));
          DeclaredTopic declared =
              DeclaredTopic.of(new SourceSettings(name, at, written, resources));
          hub.topic(declared);
          names.add(name);
        });
    return names;
  }
}
