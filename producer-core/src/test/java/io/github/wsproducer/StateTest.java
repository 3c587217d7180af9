package io.github.wsproducer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class StateTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static JsonNode json(String text) {
    return JSON.readTree(text);
  }

  @Test
  void latestKeepsTheLastValue() {
    State state = State.latest();
    assertThat(state.snapshot().isNull()).isTrue();
    assertThat(state.apply(json("{\"variable\":3}"))).isEqualTo(json("{\"variable\":3}"));
    state.apply(json("{\"variable\":7}"));
    assertThat(state.snapshot()).isEqualTo(json("{\"variable\":7}"));
  }

  @Test
  void keyedMergesChangedKeysAndSendsOnlyWhatChanged() {
    State state = State.keyed();
    assertThat(state.snapshot()).isEqualTo(json("{}"));
    assertThat(state.apply(json("{\"orders\":1,\"payments\":2}")))
        .isEqualTo(json("{\"orders\":1,\"payments\":2}"));
    assertThat(state.apply(json("{\"orders\":1,\"payments\":5}")))
        .isEqualTo(json("{\"payments\":5}"));
    assertThat(state.apply(json("{\"orders\":1}"))).as("nothing changed").isNull();
    assertThat(state.apply(json("{\"orders\":null}"))).isEqualTo(json("{\"orders\":null}"));
    assertThat(state.apply(json("{\"gone\":null}"))).as("removing a missing key").isNull();
    assertThat(state.snapshot()).isEqualTo(json("{\"payments\":5}"));
    assertThatThrownBy(() -> state.apply(json("[1]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JSON objects");
  }

  @Test
  void aWholeValueRemovesTheKeysItLacks() {
    State state = State.keyed();
    state.replace(json("{\"open\":{\"n\":2},\"shipped\":{\"n\":1}}"));
    assertThat(state.replace(json("{\"shipped\":{\"n\":3}}")))
        .isEqualTo(json("{\"open\":null,\"shipped\":{\"n\":3}}"));
    assertThat(state.snapshot()).isEqualTo(json("{\"shipped\":{\"n\":3}}"));
    assertThat(state.replace(json("{\"shipped\":{\"n\":3}}"))).as("nothing changed").isNull();
    assertThat(state.replace(json("{}"))).isEqualTo(json("{\"shipped\":null}"));
    assertThat(state.snapshot()).isEqualTo(json("{}"));
  }

  @Test
  void aWholeValueOfOtherKindsFoldsLikeAnyValue() {
    State latest = State.latest();
    latest.replace(json("{\"a\":1,\"b\":2}"));
    assertThat(latest.replace(json("{\"b\":3}"))).isEqualTo(json("{\"b\":3}"));
    assertThat(latest.snapshot()).isEqualTo(json("{\"b\":3}"));
    State window = State.window(2);
    window.replace(json("1"));
    window.replace(json("2"));
    window.replace(json("3"));
    assertThat(window.snapshot()).isEqualTo(json("[2,3]"));
  }

  @Test
  void windowKeepsTheLastNValuesOldestFirst() {
    State state = State.window(3);
    for (int i = 1; i <= 5; i++) {
      assertThat(state.apply(json(Integer.toString(i)))).isEqualTo(json(Integer.toString(i)));
    }
    assertThat(state.snapshot()).isEqualTo(json("[3,4,5]"));
    assertThatThrownBy(() -> State.window(0)).hasMessage("window size must be at least 1, was 0");
  }
}
