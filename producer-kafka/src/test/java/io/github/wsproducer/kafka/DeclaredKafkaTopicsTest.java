package io.github.wsproducer.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wsproducer.spi.DeclaredTopic;
import io.github.wsproducer.testkit.Declarations;
import org.junit.jupiter.api.Test;

/** The kinds kafka-lag and kafka-topic, declared in configuration. */
class DeclaredKafkaTopicsTest {

  @Test
  void eachKindHasTheStateItsValuesNeed() throws Exception {
    DeclaredTopic lag =
        DeclaredTopic.of(
            Declarations.settings(
                "lag", "{\"kafka-lag\":[\"orders\",\"payments\"],\"bootstrap\":\"kafka:9092\"}"));
    assertThat(lag.topic().state().kind()).isEqualTo("keyed");
    lag.source().close();
    DeclaredTopic events =
        DeclaredTopic.of(
            Declarations.settings(
                "deploys",
                "{\"kafka-topic\":\"deploys\",\"bootstrap\":\"kafka:9092\",\"last\":20}"));
    assertThat(events.topic().state().kind()).isEqualTo("window");
    assertThat(events.topic().state().capacity()).isEqualTo(20);
    events.source().close();
  }

  @Test
  void mistakesAreRefusedNamingTheirLine() {
    assertThatThrownBy(
            () -> DeclaredTopic.of(Declarations.settings("lag", "{\"kafka-lag\":\"orders\"}")))
        .hasMessage("screens.yaml, line 1: topic lag: needs bootstrap");
    assertThatThrownBy(
            () ->
                DeclaredTopic.of(
                    Declarations.settings(
                        "lag", "{\"kafka-lag\":\"orders\",\"bootstrap\":\"kafka\"}")))
        .hasMessage(
            "screens.yaml, line 3: topic lag: bootstrap: bootstrap must be HOST:PORT[,HOST:PORT...],"
                + " was \"kafka\"");
    assertThatThrownBy(
            () ->
                DeclaredTopic.of(
                    Declarations.settings(
                        "lag",
                        "{\"kafka-lag\":\"orders\",\"bootstrap\":\"k:9092\",\"properties\":"
                            + "{\"sasl.jaas.config\":\"... password=x;\"}}")))
        .hasMessageStartingWith(
            "screens.yaml, line 4: topic lag: properties: write no secret here");
    assertThatThrownBy(
            () ->
                DeclaredTopic.of(
                    Declarations.settings(
                        "t", "{\"kafka-topic\":\"no topic!\",\"bootstrap\":\"k:9092\"}")))
        .hasMessage("screens.yaml, line 1: topic t: not a Kafka topic name: \"no topic!\"");
  }
}
