package io.github.wsproducer.screens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  @Test
  void aReportIsKeptTrimmedAndOneOverFourKibibytesIsRefused() {
    Fleet fleet = new Fleet();
    ObjectNode many = report(1);
    ObjectNode seqs = many.putObject("seqs");
    for (int i = 0; i < 200; i++) {
      seqs.put("t" + i, i);
    }
    fleet.report(many, "10.0.0.1", 0);
    assertThat(fleet.list(0, "kit").get(0).path("seqs").size()).as("topics kept").isEqualTo(64);

    ObjectNode huge = report(2);
    ObjectNode long_ = huge.putObject("seqs");
    for (int i = 0; i < 200; i++) {
      long_.put("t".repeat(90) + i, i);
    }
    assertThatThrownBy(() -> fleet.report(huge, "10.0.0.1", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("over 4096 bytes");
    assertThat(fleet.knows(String.format("screen-%08d", 2))).isFalse();
  }

  @Test
  void commandsNameAScreenByAHandleThatTellsNothingOfItsId() {
    Fleet fleet = new Fleet();
    String id = String.format("screen-%08d", 7);
    String handle = fleet.report(report(7), "10.0.0.1", 0);
    fleet.reload(id);
    fleet.identify(id);
    String commands = fleet.commands().toString();
    assertThat(commands).contains(handle).doesNotContain(id);
    assertThat(fleet.handle(id)).as("the same for the same id").isEqualTo(handle);
    assertThat(new Fleet().handle(id)).as("keyed: another server's differs").isNotEqualTo(handle);
    assertThat(fleet.list(0, "kit").get(0).path("handle").asString()).isEqualTo(handle);
  }

  @Test
  void anAddressMayReportTwoHundredTimesPerTenSeconds() {
    Fleet fleet = new Fleet();
    for (int i = 0; i < Fleet.REPORTS_PER_ADDRESS; i++) {
      assertThat(fleet.mayReport("10.0.0.1", i)).isTrue();
    }
    assertThat(fleet.mayReport("10.0.0.1", 500)).isFalse();
    assertThat(fleet.mayReport("10.0.0.2", 500)).as("another address").isTrue();
    assertThat(fleet.mayReport("10.0.0.1", Fleet.REPORT_MILLIS)).as("the next window").isTrue();
  }
}
