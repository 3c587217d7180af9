package io.github.wsproducer.testkit;

import io.github.wsproducer.spi.SourceSettings;
import io.github.wsproducer.spi.SourceSettings.Setting;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A topic's declaration as a screen file would hold it, for the tests of source kinds. */
public final class Declarations {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Declarations() {}

  /**
   * The settings of {@code topic} written as the JSON object {@code json}: the topic declared at
   * {@code screens.yaml, line 1}, and its keys on the lines after, in order.
   */
  public static SourceSettings settings(String topic, String json, Object... resources) {
    Map<String, Setting> settings = new LinkedHashMap<>();
    int line = 2;
    for (Map.Entry<String, JsonNode> e : JSON.readTree(json).properties()) {
      settings.put(e.getKey(), new Setting(e.getValue(), "screens.yaml, line " + line++));
    }
    return new SourceSettings(topic, "screens.yaml, line 1", settings, List.of(resources));
  }
}
