package io.github.wsproducer.bench;

import io.github.wsproducer.bench.Compare.Peer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The systems a comparison can run here: wsproducer on Jetty, Netty and Tomcat (on Jetty also
 * without its pings, {@code -no-pings}; on the first two also with the quick compiler alone, {@code
 * -c1}, and with that and an application class-data archive, {@code -cds-c1}), and bare Jetty,
 * Netty and Tomcat broadcast loops, from this jar; Node {@code ws} and Socket.IO when Node.js and
 * npm are there (installed into the work folder), the original eventlet server when Python has
 * eventlet.
 */
final class Peers {
  private Peers() {}

  /**
   * A bench server from this jar: its {@code --system}, {@code --transport}, JVM options, and
   * whether it runs on a class-data archive of its own.
   */
  private record JavaServer(
      String name,
      String system,
      String transport,
      String history,
      List<String> jvmOptions,
      boolean archive) {
    JavaServer(String name, String system, String transport) {
      this(name, system, transport, null, List.of(), false);
    }
  }

  /** With the quick compiler alone: slower code, but no wait for the optimizing compiler. */
  private static final List<String> C1 = List.of("-XX:TieredStopAtLevel=1");

  /**
   * The JVM option that names a peer's class-data archive: {@link PeerRunner} makes the archive in
   * a training run of the server before the peer's first run in a comparison.
   */
  static final String ARCHIVE = "-XX:SharedArchiveFile=";

  private static final List<JavaServer> JAVA_SERVERS =
      List.of(
          new JavaServer("wsproducer", "wsproducer", "jetty"),
          new JavaServer(
              "wsproducer-no-pings",
              "wsproducer",
              "jetty",
              null,
              List.of("-Dbench.pingSeconds=0"),
              false),
          new JavaServer("wsproducer-netty", "wsproducer", "netty"),
          new JavaServer("wsproducer-tomcat", "wsproducer", "tomcat"),
          new JavaServer(
              "wsproducer-netty-disk",
              "wsproducer",
              "netty",
              "target/bench-history",
              List.of(),
              false),
          new JavaServer("wsproducer-c1", "wsproducer", "jetty", null, C1, false),
          new JavaServer("wsproducer-netty-c1", "wsproducer", "netty", null, C1, false),
          new JavaServer("wsproducer-cds-c1", "wsproducer", "jetty", null, C1, true),
          new JavaServer("wsproducer-netty-cds-c1", "wsproducer", "netty", null, C1, true),
          new JavaServer("jetty", "jetty", "jetty"),
          new JavaServer("netty", "netty", "netty"),
          new JavaServer("tomcat", "tomcat", "tomcat"));

  static List<Peer> available(Path work) throws Exception {
    String jar = PeerRunner.ownJar();
    List<Peer> peers = new ArrayList<>();
    for (JavaServer server : JAVA_SERVERS) {
      List<String> command = new ArrayList<>(List.of("java", "-Xms512m", "-Xmx512m"));
      command.addAll(server.jvmOptions());
      if (server.archive()) {
        command.add(ARCHIVE + work.toAbsolutePath().resolve(server.name() + ".jsa"));
      }
      command.addAll(
          List.of(
              "-jar",
              jar,
              "server",
              "--system",
              server.system(),
              "--transport",
              server.transport()));
      if (server.history() != null) {
        command.addAll(List.of("--history", server.history()));
      }
      peers.add(new Peer(server.name(), command, "/load", false, true));
    }
    if (installNodePeers(work)) {
      peers.add(
          new Peer(
              "node-ws",
              List.of("node", "--expose-gc", work.resolve("ws-server.js").toString()),
              "/load",
              false,
              true));
      peers.add(
          new Peer(
              "socket.io",
              List.of("node", "--expose-gc", work.resolve("socketio-server.js").toString()),
              "/socket.io/?EIO=4&transport=websocket",
              true,
              true));
    }
    if (succeeds(List.of(python(), "-c", "import eventlet"))) {
      copyPeer(work, "eventlet_server.py");
      peers.add(
          new Peer(
              "python-eventlet",
              List.of(python(), work.resolve("eventlet_server.py").toString()),
              "/load",
              false,
              false));
    }
    return peers;
  }

  static List<String> skipped(List<Peer> peers) {
    List<String> skipped = new ArrayList<>();
    if (peers.stream().noneMatch(p -> p.name().equals("node-ws"))) {
      skipped.add("node-ws and socket.io: Node.js and npm are needed");
    }
    if (peers.stream().noneMatch(p -> p.name().equals("python-eventlet"))) {
      skipped.add("python-eventlet: apt-get install python3-eventlet");
    }
    return skipped;
  }

  private static String python() {
    return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
  }

  private static boolean installNodePeers(Path work) throws Exception {
    Files.createDirectories(work);
    copyPeer(work, "ws-server.js");
    copyPeer(work, "socketio-server.js");
    if (Files.isDirectory(work.resolve("node_modules/socket.io"))) {
      return true;
    }
    return succeeds(
        List.of(
            "npm",
            "install",
            "--no-audit",
            "--no-fund",
            "--prefix",
            work.toString(),
            "ws@8",
            "socket.io@4"));
  }

  private static void copyPeer(Path work, String name) throws IOException {
    Files.createDirectories(work);
    try (InputStream in = Peers.class.getResourceAsStream("/peers/" + name)) {
      Files.write(work.resolve(name), in.readAllBytes());
    }
  }

  private static boolean succeeds(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      return p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
