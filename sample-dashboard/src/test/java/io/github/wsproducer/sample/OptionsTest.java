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
                null,
                "jetty",
                null,
                null,
                null,
                null,
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
            "--kafka",
            "kafka:9092",
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
                "kafka:9092",
                "netty",
                java.nio.file.Path.of("src/main/resources/screens.yaml"),
                null,
                null,
                null,
                null,
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
    assertThatThrownBy(() -> Options.parse("--kafka", "kafka"))
        .hasMessage("--kafka must be HOST:PORT, was \"kafka\"");
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
    assertThatThrownBy(() -> Options.parse("--replay", "nope"))
        .hasMessageStartingWith("--replay must name a directory of recordings, found none at /");
    assertThatThrownBy(() -> Options.parse("--replay", ".", "--jdbc-url", "jdbc:h2:mem:x"))
        .hasMessage("--replay plays recordings instead of a database: drop --jdbc-url");
  }

  @Test
  void dataAndReplayNameDirectories() throws Exception {
    Options options = Options.parse("--data", "wall-data", "--replay", ".");
    assertThat(options.data()).isEqualTo(java.nio.file.Path.of("wall-data"));
    assertThat(options.replay()).isEqualTo(java.nio.file.Path.of("."));
  }

  @Test
  void tokenFilesHoldOneLongTokenEachAndNeverTheSame(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path admin =
        java.nio.file.Files.writeString(dir.resolve("a"), "admin-token-0123456789\n");
    java.nio.file.Path screen =
        java.nio.file.Files.writeString(dir.resolve("s"), "  screen-token-0123456789 ");
    Options options =
        Options.parse("--admin-token-file", admin.toString(), "--screen-token-file=" + screen);
    assertThat(options.adminToken()).isEqualTo("admin-token-0123456789");
    assertThat(options.screenToken()).isEqualTo("screen-token-0123456789");
    assertThat(options.toString()).doesNotContain("token-0123456789");

    java.nio.file.Path shortToken =
        java.nio.file.Files.writeString(dir.resolve("short"), "secret\n");
    assertThatThrownBy(() -> Options.parse("--admin-token-file", shortToken.toString()))
        .hasMessage(
            "--admin-token-file must name a file holding one token of at least 16 characters on"
                + " one line; "
                + shortToken
                + " holds 6 characters");
    java.nio.file.Path twoLines =
        java.nio.file.Files.writeString(
            dir.resolve("two"), "admin-token-0123456789\nanother-token-0123456\n");
    assertThatThrownBy(() -> Options.parse("--screen-token-file", twoLines.toString()))
        .hasMessageEndingWith(twoLines + " holds several lines");
    assertThatThrownBy(() -> Options.parse("--admin-token-file", dir.resolve("nope").toString()))
        .hasMessage("--admin-token-file must name a readable file: " + dir.resolve("nope"));
    assertThatThrownBy(
            () ->
                Options.parse(
                    "--admin-token-file",
                    admin.toString(),
                    "--screen-token-file",
                    admin.toString()))
        .hasMessage(
            "--admin-token-file and --screen-token-file hold the same token: a screen could act as"
                + " an operator");
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
