package io.github.wsproducer.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {

  @Test
  void defaultsToLocalhostPort5000() throws Exception {
    assertThat(Options.parse())
        .isEqualTo(
            new Options(
                "localhost",
                5000,
                List.of(),
                List.of(),
                null,
                null,
                System.getenv("WSPRODUCER_JDBC_PASSWORD"),
                null,
                "jetty",
                null,
                false));
  }

  @Test
  void readsEveryFlagAndRepeatedOrigins() throws Exception {
    Options options =
        Options.parse(
            "--port",
            "0",
            "--host",
            "0.0.0.0",
            "--allow-origin",
            "https://a.example",
            "--allow-origin",
            "http://b.example:8080",
            "--allow-host",
            "wall.example.com",
            "--jdbc-url",
            "jdbc:postgresql://db/test",
            "--jdbc-user",
            "wall",
            "--jdbc-password",
            "secret",
            "--redis-url",
            "redis://cache:6379",
            "--transport",
            "netty",
            "--screens",
            "src/main/resources/screens.yaml");
    assertThat(options)
        .isEqualTo(
            new Options(
                "0.0.0.0",
                0,
                List.of("https://a.example", "http://b.example:8080"),
                List.of("wall.example.com"),
                "jdbc:postgresql://db/test",
                "wall",
                "secret",
                "redis://cache:6379",
                "netty",
                java.nio.file.Path.of("src/main/resources/screens.yaml"),
                false));
    assertThat(Options.parse("--help").help()).isTrue();
  }

  @Test
  void badCommandLinesSayWhatIsWrong() {
    assertThatThrownBy(() -> Options.parse("--transport", "undertow"))
        .hasMessage("--transport must be jetty or netty, was \"undertow\"");
    assertThatThrownBy(() -> Options.parse("--bogus"))
        .isInstanceOf(Options.UsageException.class)
        .hasMessage("unknown option \"--bogus\"");
    assertThatThrownBy(() -> Options.parse("--port")).hasMessage("--port needs a value");
    assertThatThrownBy(() -> Options.parse("--port", "--host", "x"))
        .hasMessage("--port needs a value");
    assertThatThrownBy(() -> Options.parse("--port", "http"))
        .hasMessage("--port must be a number from 0 to 65535, was \"http\"");
    assertThatThrownBy(() -> Options.parse("--jdbc-url", "postgres://db"))
        .hasMessage("--jdbc-url must start with jdbc:, was \"postgres://db\"");
    assertThatThrownBy(() -> Options.parse("--redis-url", "127.0.0.1:6379"))
        .hasMessage("--redis-url must start with redis://, was \"127.0.0.1:6379\"");
    assertThatThrownBy(() -> Options.parse("--port", "70000"))
        .hasMessage("--port must be a number from 0 to 65535, was \"70000\"");
    assertThatThrownBy(() -> Options.parse("--host", "999.1.1.1"))
        .hasMessage("--host must be a name or address of this machine, was \"999.1.1.1\"");
    assertThatThrownBy(() -> Options.parse("--host=")).hasMessage("--host needs a value");
    assertThatThrownBy(() -> Options.parse("--help=yes")).hasMessage("--help takes no value");
    assertThatThrownBy(() -> Options.parse("--jdbc-user", "wall"))
        .hasMessage("--jdbc-user needs --jdbc-url (the embedded H2 takes no user)");
    assertThatThrownBy(() -> Options.parse("--screens", "nope.yaml"))
        .hasMessageStartingWith("--screens must name a file, found none at /")
        .hasMessageEndingWith("nope.yaml");
    assertThatThrownBy(() -> Options.parse("--jdbc-password=secret"))
        .hasMessage("--jdbc-password needs --jdbc-url (the embedded H2 takes no user)");
  }

  @Test
  void valuesMayFollowAnEqualsSign() throws Exception {
    Options options =
        Options.parse("--port=5001", "--allow-origin=https://a.example", "--host=127.0.0.1");
    assertThat(options.port()).isEqualTo(5001);
    assertThat(options.allowedOrigins()).containsExactly("https://a.example");
    assertThat(options.hostInUrl()).isEqualTo("127.0.0.1");
  }

  @Test
  void anIpv6HostIsBracketedInUrls() throws Exception {
    assertThat(Options.parse("--host", "::1").hostInUrl()).isEqualTo("[::1]");
    assertThat(Options.parse("--host", "[::1]").host()).isEqualTo("::1");
  }
}
