package io.github.wsproducer.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The services and programs that tests use. Service addresses come from the environment: {@code
 * WSPRODUCER_POSTGRES} (default {@code 127.0.0.1:5432}) and {@code WSPRODUCER_REDIS} (default
 * {@code 127.0.0.1:6379}); programs from the {@code PATH}. A test that needs an absent one is
 * skipped with the reason, or fails when {@code WSPRODUCER_REQUIRE_SERVICES=1}.
 */
public final class Services {
  private Services() {}

  /** {@code host:port} of PostgreSQL (database {@code test}, user {@code postgres}). */
  public static InetSocketAddress postgres() {
    return require("PostgreSQL", "WSPRODUCER_POSTGRES", "127.0.0.1:5432");
  }

  /** {@code host:port} of Redis. */
  public static InetSocketAddress redis() {
    return require("Redis", "WSPRODUCER_REDIS", "127.0.0.1:6379");
  }

  /** The JDBC URL of the {@code test} database on {@link #postgres()}. */
  public static String postgresUrl() {
    InetSocketAddress a = postgres();
    return "jdbc:postgresql://" + a.getHostString() + ":" + a.getPort() + "/test";
  }

  /**
   * The path of a program, such as {@code node} or {@code chromium}, looked up on the {@code PATH};
   * absent, the test is skipped or fails like for an absent service.
   */
  public static java.nio.file.Path program(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      java.nio.file.Path candidate = java.nio.file.Path.of(dir, name);
      if (java.nio.file.Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    absent(name + " is not installed (not found on the PATH)");
    throw new AssertionError("unreachable");
  }

  /**
   * Skips the test, saying why, as for an absent service; fails it under {@code
   * WSPRODUCER_REQUIRE_SERVICES=1}. For services a test starts itself, such as a Kafka broker.
   */
  public static void absent(String reason) {
    if ("1".equals(System.getenv("WSPRODUCER_REQUIRE_SERVICES"))) {
      Assertions.fail(reason + "; WSPRODUCER_REQUIRE_SERVICES=1 makes this a failure");
    }
    System.err.println("SKIPPED: " + reason);
    Assumptions.abort(reason);
  }

  private static InetSocketAddress require(String name, String variable, String fallback) {
    String value = System.getenv().getOrDefault(variable, fallback);
    int colon = value.lastIndexOf(':');
    InetSocketAddress address =
        new InetSocketAddress(
            value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
    try (Socket socket = new Socket()) {
      socket.connect(address, 2000);
      return address;
    } catch (IOException e) {
      absent(name + " is not reachable at " + value + " (" + variable + "): " + e);
      throw new AssertionError("unreachable");
    }
  }
}
