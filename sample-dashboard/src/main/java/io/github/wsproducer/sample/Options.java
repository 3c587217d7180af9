package io.github.wsproducer.sample;

import io.github.wsproducer.TokenAuthenticator;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The sample's command line.
 *
 * @param host interface to bind
 * @param port TCP port, 0 for any free one
 * @param allowedOrigins browser origins accepted besides the server's own (and {@code null} on
 *     loopback)
 * @param allowedHosts host names the server answers to besides its own and localhost
 * @param jdbcUrl the database, or {@code null} for the embedded H2
 * @param jdbcUser its user, or {@code null}
 * @param jdbcPassword its password, or {@code null}
 * @param redisUrl the Redis that makes this sample a cluster node, or {@code null}
 * @param kafka the Kafka cluster its pipelines run through ({@code HOST:PORT}), or {@code null}
 * @param transport {@code jetty} or {@code netty}
 * @param screens a screen file to serve and watch instead of the sample's own, or {@code null}
 * @param data the directory of the topics' history on disk, or {@code null} to keep it in memory
 * @param replay recordings to play instead of the simulated database, or {@code null}
 * @param adminToken the token of {@code --admin-token-file}, or {@code null}
 * @param screenToken the token of {@code --screen-token-file}, or {@code null}
 * @param help whether {@code --help} was given
 */
record Options(
    String host,
    int port,
    List<String> allowedOrigins,
    List<String> allowedHosts,
    String jdbcUrl,
    String jdbcUser,
    String jdbcPassword,
    String redisUrl,
    String kafka,
    String transport,
    Path screens,
    Path data,
    Path replay,
    String adminToken,
    String screenToken,
    boolean help) {

  static final String USAGE =
      """
      usage: java -jar sample-dashboard.jar [options]

        --port N             TCP port to listen on (default 5000; 0 picks a free port)
        --host HOST          interface to bind (default localhost; 0.0.0.0 for every interface)
        --allow-origin URL   also accept browser pages from this origin, e.g.
                             https://wall.example.com (repeatable); pages opened from
                             disk (origin "null") are accepted while the sample listens
                             on loopback only, otherwise only with --allow-origin null
        --allow-host NAME    also answer requests addressed to this name, e.g. behind a
                             proxy (repeatable); by default only localhost, IP addresses
                             and this machine's name, so that DNS rebinding fails
        --jdbc-url URL       use this database instead of the embedded H2, e.g.
                             jdbc:postgresql://127.0.0.1:5432/test; the schema is
                             created if missing
        --jdbc-user USER     the database user (with --jdbc-url)
        --jdbc-password PW   the database password (with --jdbc-url; or set
                             WSPRODUCER_JDBC_PASSWORD)
        --redis-url URL      make this sample a node of a cluster sharing the random
                             topic through Redis, e.g. redis://127.0.0.1:6379
        --kafka HOST:PORT    run the simulated pipelines through this Kafka cluster: each
                             produces into a topic and consumes it in a group, and the
                             screen /screens/kafka shows their consumer lag and status
        --transport NAME     jetty (default) or netty: the same page, topics and forms
        --screens FILE       serve the screens of this YAML or JSON file instead of the
                             sample's own, and apply every edit while running (start
                             from sample-dashboard/src/main/resources/screens.yaml)
        --data DIR           keep every topic's history and state in DIR (created if
                             missing), so that a restart, even kill -9, resumes where it
                             stopped; without it history is kept in memory
        --replay DIR         play the topics from the recordings in DIR (TOPIC.ndjson,
                             as GET /topics/TOPIC/history exports them), in a loop,
                             instead of the simulated database and the random walk
        --admin-token-file F turn on the screen fleet (/fleet/admin), its remote actions
                             and pushing to the topic notes (POST /topics/notes), for
                             requests with Authorization: Bearer and the token in F
        --screen-token-file F make screens and socket clients present the token in F:
                             /screens/streams?token=TOKEN, or Authorization: Bearer
        --help               print this help and exit

      Values may also be given as --name=value.
      """;

  /** A command-line mistake; the message says which. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  static Options parse(String... args) throws UsageException {
    String host = "localhost";
    int port = 5000;
    List<String> origins = new ArrayList<>();
    List<String> hosts = new ArrayList<>();
    String jdbcUrl = null;
    String jdbcUser = null;
    String jdbcPassword = System.getenv("WSPRODUCER_JDBC_PASSWORD");
    String jdbcFlag = null; // a --jdbc-user or --jdbc-password given, which needs --jdbc-url
    String redisUrl = null;
    String kafka = null;
    String transport = "jetty";
    Path screens = null;
    Path data = null;
    Path replay = null;
    String adminToken = null;
    String screenToken = null;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String inline = null; // the value of --name=value
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 0) {
        inline = arg.substring(equals + 1);
        arg = arg.substring(0, equals);
      }
      if (arg.equals("--help") || arg.equals("-h")) {
        if (inline != null) {
          throw new UsageException(arg + " takes no value");
        }
        help = true;
        continue;
      }
      if (!FLAGS.contains(arg)) {
        throw new UsageException("unknown option \"" + arg + "\"");
      }
      String value = inline != null ? inline : value(args, ++i, arg);
      if (value.isEmpty()) {
        throw new UsageException(arg + " needs a value");
      }
      switch (arg) {
        case "--host" -> host = host(value);
        case "--port" -> port = port(value);
        case "--allow-origin" -> origins.add(value);
        case "--allow-host" -> hosts.add(value);
        case "--jdbc-url" -> jdbcUrl = jdbcUrl(value);
        case "--jdbc-user" -> {
          jdbcUser = value;
          jdbcFlag = arg;
        }
        case "--jdbc-password" -> {
          jdbcPassword = value;
          jdbcFlag = arg;
        }
        case "--kafka" -> kafka = kafka(value);
        case "--transport" -> transport = transport(value);
        case "--screens" -> screens = screens(value);
        case "--data" -> data = Path.of(value);
        case "--replay" -> replay = replay(value);
        case "--admin-token-file" -> adminToken = token(arg, value);
        case "--screen-token-file" -> screenToken = token(arg, value);
        default -> redisUrl = redisUrl(value); // --redis-url
      }
    }
    if (replay != null && kafka != null) {
      throw new UsageException("--replay plays recordings instead of the pipelines: drop --kafka");
    }
    if (replay != null && jdbcUrl != null) {
      throw new UsageException("--replay plays recordings instead of a database: drop --jdbc-url");
    }
    if (jdbcFlag != null && jdbcUrl == null) {
      throw new UsageException(jdbcFlag + " needs --jdbc-url (the embedded H2 takes no user)");
    }
    if (adminToken != null && adminToken.equals(screenToken)) {
      throw new UsageException(
          "--admin-token-file and --screen-token-file hold the same token: a screen could act"
              + " as an operator");
    }
    return new Options(
        host,
        port,
        List.copyOf(origins),
        List.copyOf(hosts),
        jdbcUrl,
        jdbcUser,
        jdbcPassword,
        redisUrl,
        kafka,
        transport,
        screens,
        data,
        replay,
        adminToken,
        screenToken,
        help);
  }

  /** The one token a file holds, on its first line. */
  private static String token(String flag, String value) throws UsageException {
    Path file = Path.of(value);
    String token;
    try {
      token = Files.readString(file).strip();
    } catch (java.io.IOException e) {
      throw new UsageException(flag + " must name a readable file: " + file.toAbsolutePath());
    }
    if (token.length() < TokenAuthenticator.MIN_LENGTH || token.contains("\n")) {
      throw new UsageException(
          flag
              + " must name a file holding one token of at least "
              + TokenAuthenticator.MIN_LENGTH
              + " characters on one line; "
              + file.toAbsolutePath()
              + " holds "
              + (token.contains("\n") ? "several lines" : token.length() + " characters"));
    }
    return token;
  }

  /** Never the tokens. */
  @Override
  public String toString() {
    return "Options[" + hostInUrl() + ":" + port + ", " + transport + "]";
  }

  private static Path screens(String value) throws UsageException {
    Path file = Path.of(value);
    if (!Files.isRegularFile(file)) {
      throw new UsageException(
          "--screens must name a file, found none at " + file.toAbsolutePath());
    }
    return file;
  }

  private static Path replay(String value) throws UsageException {
    Path recordings = Path.of(value);
    if (!Files.isDirectory(recordings) && !Files.isRegularFile(recordings)) {
      throw new UsageException(
          "--replay must name a directory of recordings, found none at "
              + recordings.toAbsolutePath());
    }
    return recordings;
  }

  private static String transport(String value) throws UsageException {
    if (!value.equals("jetty") && !value.equals("netty")) {
      throw new UsageException("--transport must be jetty or netty, was \"" + value + "\"");
    }
    return value;
  }

  private static final List<String> FLAGS =
      List.of(
          "--host",
          "--port",
          "--allow-origin",
          "--allow-host",
          "--jdbc-url",
          "--jdbc-user",
          "--jdbc-password",
          "--redis-url",
          "--kafka",
          "--transport",
          "--screens",
          "--data",
          "--replay",
          "--admin-token-file",
          "--screen-token-file");

  /** The host as a URL shows it: an IPv6 address in brackets. */
  String hostInUrl() {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  private static String host(String value) throws UsageException {
    String bare =
        value.startsWith("[") && value.endsWith("]")
            ? value.substring(1, value.length() - 1)
            : value;
    try {
      InetAddress.getByName(bare);
      return bare;
    } catch (UnknownHostException e) {
      throw new UsageException(
          "--host must be a name or address of this machine, was \"" + value + "\"");
    }
  }

  private static String redisUrl(String value) throws UsageException {
    if (!value.startsWith("redis://") && !value.startsWith("rediss://")) {
      throw new UsageException("--redis-url must start with redis://, was \"" + value + "\"");
    }
    return value;
  }

  private static String kafka(String value) throws UsageException {
    if (!value.matches("[^,\\s:]+:\\d{1,5}(,[^,\\s:]+:\\d{1,5})*")) {
      throw new UsageException("--kafka must be HOST:PORT, was \"" + value + "\"");
    }
    return value;
  }

  private static String jdbcUrl(String value) throws UsageException {
    if (!value.startsWith("jdbc:")) {
      throw new UsageException("--jdbc-url must start with jdbc:, was \"" + value + "\"");
    }
    return value;
  }

  private static String value(String[] args, int i, String flag) throws UsageException {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new UsageException(flag + " needs a value");
    }
    return args[i];
  }

  private static int port(String value) throws UsageException {
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--port must be a number from 0 to 65535, was \"" + value + "\"");
  }
}
