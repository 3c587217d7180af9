package io.github.wsproducer.screens;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class FleetTest {
  private static ObjectNode report(int n) {
    return JsonNodeFactory.instance.objectNode().put("id", String.format("screen-%08d", n));
  }

  @Test
  void atMostMaxScreensAreKeptAndTheOneSeenLongestAgoMakesRoom() {
    Fleet fleet = new Fleet();
    for (int n = 0; n < Fleet.MAX_SCREENS; n++) {
      fleet.report(report(n), "10.0.0.1", n);
    }
    fleet.report(report(0), "10.0.0.1", Fleet.MAX_SCREENS); // seen again: now the latest
    fleet.report(report(Fleet.MAX_SCREENS), "10.0.0.1", Fleet.MAX_SCREENS + 1);

    assertThat(fleet.knows("screen-00000000")).isTrue();
    assertThat(fleet.knows("screen-00000001")).as("seen longest ago").isFalse();
    assertThat(fleet.knows(String.format("screen-%08d", Fleet.MAX_SCREENS))).isTrue();
    List<ObjectNode> listed = fleet.list(Fleet.MAX_SCREENS + 1, "kit");
    assertThat(listed).hasSize(Fleet.MAX_SCREENS);
    assertThat(listed.get(0).path("id").asString())
        .as("the one seen last first")
        .isEqualTo(String.format("screen-%08d", Fleet.MAX_SCREENS));
  }
}
