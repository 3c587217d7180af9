package io.github.wsproducer.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A mistyped option is an error, not a run with defaults that looks like the one asked for. */
class BenchOptionsTest {

  @Test
  void optionsAndFlagsAreReadInOrder() {
    assertThat(
            Bench.options(
                new String[] {"--connections", "10", "--socketio", "--seconds", "2"},
                List.of("connections", "socketio", "seconds")))
        .containsExactly(
            Map.entry("connections", "10"),
            Map.entry("socketio", "true"),
            Map.entry("seconds", "2"));
  }

  @Test
  void anUnknownOptionIsAnErrorThatListsTheKnownOnes() {
    assertThatThrownBy(
            () -> Bench.options(new String[] {"--conections", "10"}, List.of("connections")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown option \"--conections\"; the options are --connections");
    assertThatThrownBy(() -> Bench.options(new String[] {"10"}, List.of("connections")))
        .hasMessageStartingWith("unknown option \"10\"");
  }

  @Test
  void compareRejectsAnUnknownSystemAndTwoModesBeforeRunningAnything() {
    assertThatThrownBy(() -> Compare.run(Map.of("systems", "wsproducer,ws")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no system \"ws\"")
        .hasMessageContaining("node-ws");
    assertThatThrownBy(() -> Compare.run(Map.of("systems", "wsproducer-before")))
        .hasMessageContaining("needs --before JAR");
    assertThatThrownBy(() -> Compare.run(Map.of("systems", "wsproducer-netty-before")))
        .hasMessageContaining("wsproducer-netty-before needs --before JAR");
    assertThatThrownBy(() -> Compare.run(Map.of("quick", "true", "full", "true")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one mode at a time");
    assertThatThrownBy(() -> Compare.run(Map.of("warmup", "-1")))
        .hasMessageContaining("--warmup: seconds from 0 to 600");
    assertThatThrownBy(() -> Compare.run(Map.of("systems", "wsproducer-tomcat-before")))
        .hasMessageContaining("wsproducer-tomcat-before needs --before JAR");
    assertThatThrownBy(() -> Compare.run(Map.of("pairs", "true")))
        .hasMessage("--pairs: two systems, as --systems a,b");
    assertThatThrownBy(() -> Compare.run(Map.of("pairs", "true", "systems", "wsproducer")))
        .hasMessage("--pairs: two systems, as --systems a,b");
    assertThatThrownBy(() -> Compare.run(Map.of("pairs", "true", "systems", "jetty,jetty")))
        .hasMessage("--pairs: two systems, as --systems a,b");
  }
}
