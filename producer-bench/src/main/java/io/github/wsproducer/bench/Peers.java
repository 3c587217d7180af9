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
 * The systems a comparison can run here: wsproducer on Jetty and on Netty, and bare Jetty and Netty
 * broadcast loops, from this jar; Node {@code ws} and Socket.IO when Node.js and npm are there
 * (installed into the work folder), the original eventlet server when Python has eventlet.
 */
final class Peers {
  private Peers() {}

  static List<Peer> available(Path work) throws Exception {
    String jar = PeerRunner.ownJar();
    List<Peer> peers = new ArrayList<>();
    // name, --system, --transport
    for (String[] system :
        new String[][] {
          {"wsproducer", "wsproducer", "jetty"},
          {"wsproducer-netty", "wsproducer", "netty"},
          {"wsproducer-tomcat", "wsproducer", "tomcat"},
          {"wsproducer-netty-disk", "wsproducer", "netty", "target/bench-history"},
          {"jetty", "jetty", "jetty"},
          {"netty", "netty", "netty"},
          {"tomcat", "tomcat", "tomcat"}
        }) {
      peers.add(
          new Peer(
              system[0],
              java.util.stream.Stream.concat(
                      java.util.stream.Stream.of(
                          "java",
                          "-Xms512m",
                          "-Xmx512m",
                          "-jar",
                          jar,
                          "server",
                          "--system",
                          system[1],
                          "--transport",
                          system[2]),
                      system.length > 3
                          ? java.util.stream.Stream.of("--history", system[3])
                          : java.util.stream.Stream.empty())
                  .toList(),
              "/load",
              false,
              true));
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
