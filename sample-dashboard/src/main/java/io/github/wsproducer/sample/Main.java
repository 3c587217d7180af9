package io.github.wsproducer.sample;

import io.github.wsproducer.WsProducerException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.sql.SQLException;

/**
 * {@code java -jar sample-dashboard.jar [--port N] [--host HOST] [--allow-origin URL]...
 * [--jdbc-url URL --jdbc-user USER --jdbc-password PW] [--redis-url URL]}
 *
 * <p>Exit status: 0 after {@code --help}, 2 for a bad command line, 1 when the port cannot be bound
 * or the database cannot be used; otherwise the server runs until the process is stopped (Ctrl-C),
 * which closes WebSockets with 1012 and a reconnect hint.
 */
public final class Main {
  private Main() {}

  private static void usageError(String message) {
    System.err.println("error: " + message);
    System.err.println();
    System.err.print(Options.USAGE);
    System.exit(2);
  }

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (Options.UsageException e) {
      usageError(e.getMessage());
      return;
    }
    if (options.help()) {
      System.out.print(Options.USAGE);
      return;
    }
    SampleServer server;
    try {
      server = SampleServer.start(options);
    } catch (IllegalArgumentException e) { // a value the library refused, such as an origin
      usageError(e.getMessage());
      return;
    } catch (SQLException e) {
      System.err.printf(
          "error: cannot use the database at %s: %s%n",
          options.jdbcUrl() == null ? DataStreams.H2_URL : options.jdbcUrl(), e.getMessage());
      System.exit(1);
      return;
    } catch (WsProducerException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(1);
      return;
    } catch (IOException | UncheckedIOException e) {
      Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
      if (!(cause instanceof BindException || cause.getCause() instanceof BindException)) {
        throw e;
      }
      System.err.printf(
          "error: cannot listen on %s:%d: %s%n",
          options.hostInUrl(), options.port(), cause.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "wsproducer-sample-shutdown"));
    if (SampleServer.acceptsPagesFromDisk(options)) {
      String condition = "";
      if (options.screenToken() != null) {
        condition = " if they present the screens' token";
      } else if (!options.allowedOrigins().contains("null")) {
        condition = ": the server listens on loopback only";
      }
      System.out.println("pages opened from disk (Origin: null) may connect" + condition);
    }
    String root = "http://" + options.hostInUrl() + ":" + server.port() + "/";
    if (options.adminToken() != null) {
      System.out.println(
          "the fleet: "
              + root
              + "fleet/admin; push a note: curl -H \"Authorization: Bearer $(cat TOKEN_FILE)\""
              + " -d '{\"text\":\"...\"}' "
              + root
              + "topics/notes");
    }
    if (options.screenToken() != null) {
      System.out.println("screens present their token: " + root + "screens/streams?token=...");
    }
    // The transport's threads keep the process running.
    System.out.println("listening on " + root);
  }
}
