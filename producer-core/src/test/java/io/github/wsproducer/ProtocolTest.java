package io.github.wsproducer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsproducer.protocol.ClientMessage;
import io.github.wsproducer.protocol.ClientMessage.Invalid;
import io.github.wsproducer.protocol.ClientMessage.Position;
import io.github.wsproducer.protocol.ClientMessage.Subscribe;
import io.github.wsproducer.protocol.ClientMessage.Unsubscribe;
import io.github.wsproducer.protocol.CloseCode;
import io.github.wsproducer.protocol.ErrorCode;
import io.github.wsproducer.protocol.Protocol;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ProtocolTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static ClientMessage parse(String text) {
    return ClientMessage.parse(text, JSON);
  }

  private static ErrorCode error(String text) {
    assertThat(parse(text)).as(text).isInstanceOf(Invalid.class);
    return ((Invalid) parse(text)).code();
  }

  @Test
  void subscribeAndUnsubscribeAreParsed() {
    assertThat(parse("{\"type\":\"subscribe\",\"topic\":\"random\"}"))
        .isEqualTo(new Subscribe("random", null));
    assertThat(
            parse("{\"type\":\"subscribe\",\"topic\":\"a.b\",\"since\":{\"epoch\":7,\"seq\":41}}"))
        .isEqualTo(new Subscribe("a.b", new Position(7, 41)));
    assertThat(parse("{\"type\":\"unsubscribe\",\"topic\":\"random\"}"))
        .isEqualTo(new Unsubscribe("random"));
  }

  @Test
  void eachWayAMessageCanBeWrongHasItsErrorCode() {
    assertThat(error("not json")).isEqualTo(ErrorCode.MALFORMED);
    assertThat(error("")).isEqualTo(ErrorCode.INVALID);
    assertThat(error("[1]")).isEqualTo(ErrorCode.INVALID);
    assertThat(error("{\"type\":\"subscribe\"}")).isEqualTo(ErrorCode.INVALID);
    assertThat(error("{\"type\":\"subscribe\",\"topic\":3}")).isEqualTo(ErrorCode.INVALID);
    assertThat(error("{\"type\":\"subscribe\",\"topic\":\"no spaces\"}"))
        .isEqualTo(ErrorCode.INVALID);
    assertThat(
            error("{\"type\":\"subscribe\",\"topic\":\"t\",\"since\":{\"epoch\":1.5,\"seq\":1}}"))
        .isEqualTo(ErrorCode.INVALID);
    assertThat(error("{\"type\":\"subscribe\",\"topic\":\"t\",\"since\":{\"seq\":1}}"))
        .isEqualTo(ErrorCode.INVALID);
    assertThat(error("{\"type\":\"publish\",\"topic\":\"t\"}")).isEqualTo(ErrorCode.UNKNOWN_TYPE);
    assertThat(error("{\"topic\":\"t\"}")).isEqualTo(ErrorCode.UNKNOWN_TYPE);
    assertThat(((Invalid) parse("{\"type\":\"" + "x".repeat(100) + "\"}")).message())
        .as("a long type is cut short in the answer")
        .hasSizeLessThan(80);
  }

  @Test
  void topicNamesAreOneTo128LettersDigitsDotsUnderscoresOrDashes() {
    for (String good : List.of("a", "Z9", "ops.lag_max-1", "x".repeat(128))) {
      assertThat(Protocol.isTopicName(good)).as(good).isTrue();
    }
    for (String bad :
        List.of("", "x".repeat(129), "a b", "a/b", "caf\u00e9", "\u0661", "a\n", "*", "a:b")) {
      assertThat(Protocol.isTopicName(bad)).as(bad).isFalse();
    }
    assertThat(Protocol.isTopicName(null)).isFalse();
  }

  @Test
  void aPlainPathNamesItsTopicOrNone() {
    List<String> topics = List.of("random", "streams");
    assertThat(Protocol.plainTopic("/", "random", topics)).isEqualTo("random");
    assertThat(Protocol.plainTopic("/streams", "random", topics)).isEqualTo("streams");
    assertThat(Protocol.plainTopic("/nope", "random", topics)).isNull();
    assertThat(Protocol.plainTopic("/a/b", "random", topics)).isNull();
    assertThat(Protocol.plainTopic("/ran dom", "random", topics)).isNull();
  }

  @Test
  void closeCodesCarryTheirReasonsAndTheRestartHintIsJittered() {
    assertThat(CloseCode.UNSUPPORTED_DATA.code()).isEqualTo(1003);
    assertThat(CloseCode.POLICY_VIOLATION.code()).isEqualTo(1008);
    assertThat(CloseCode.MESSAGE_TOO_BIG.code()).isEqualTo(1009);
    assertThat(CloseCode.SLOW_CONSUMER.reason()).isEqualTo("slow consumer");
    java.util.Set<String> hints = new java.util.HashSet<>();
    for (int i = 0; i < 50; i++) {
      String reason = CloseCode.SERVICE_RESTART.reason();
      assertThat(reason).matches("restart, reconnect in \\d+ ms");
      int millis = Integer.parseInt(reason.replaceAll("\\D", ""));
      assertThat(millis)
          .isBetween(Protocol.RESTART_HINT_MIN_MILLIS, Protocol.RESTART_HINT_MAX_MILLIS);
      hints.add(reason);
    }
    assertThat(hints).as("drawn per connection").hasSizeGreaterThan(10);
  }
}
