package io.github.wsproducer.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wsproducer.Hub;
import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import io.github.wsproducer.spi.WebResources;
import io.github.wsproducer.testkit.Faults;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the Netty transport does besides the protocol: files, bad HTTP, its builder. */
class NettyServerIT {
  private final Hub hub = Hub.builder().topic(Topic.of("t", State.latest())).build();
  private NettyServer server;

  /** A response, read whole. */
  record Response(int statusCode, String body, Map<String, java.util.List<String>> headers) {
    Optional<String> header(String name) {
      return headers.entrySet().stream()
          .filter(e -> name.equalsIgnoreCase(e.getKey()))
          .map(e -> e.getValue().get(0))
          .findFirst();
    }
  }

  private Response request(String method, String path, String... headers) throws IOException {
    // Not URI.resolve, which would take the dot segments out of the path.
    HttpURLConnection c =
        (HttpURLConnection)
            new java.net.URL("http://127.0.0.1:" + server.port() + path).openConnection();
    c.setRequestMethod(method);
    for (int i = 0; i < headers.length; i += 2) {
      c.setRequestProperty(headers[i], headers[i + 1]);
    }
    if (method.equals("POST")) {
      c.setDoOutput(true);
      c.getOutputStream().write('x');
    }
    int status = c.getResponseCode();
    java.io.InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
    String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    return new Response(status, body, c.getHeaderFields());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    hub.close();
  }

  private Response get(String path, String... headers) throws Exception {
    return request("GET", path, headers);
  }

  @Test
  void servesADirectoryWithIndexEtagAndHeadersButNothingOutsideOrHidden(@TempDir Path root)
      throws Exception {
    Path web = Files.createDirectories(root.resolve("web"));
    Files.writeString(web.resolve("index.html"), "<h1>wall</h1>");
    Files.writeString(web.resolve("wall.js"), "let n = 1;");
    Files.createDirectories(web.resolve("css"));
    Files.writeString(web.resolve(".secret"), "token");
    Files.writeString(root.resolve("outside.txt"), "outside");
    Files.createSymbolicLink(web.resolve("link.txt"), root.resolve("outside.txt"));
    server = NettyServer.builder(hub).port(0).staticFiles(web).start();

    Response index = get("/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.body()).isEqualTo("<h1>wall</h1>");
    assertThat(index.header("Content-Type")).hasValue("text/html; charset=utf-8");
    WebResources.SECURITY_HEADERS.forEach(
        (name, value) -> assertThat(index.header(name)).as(name).hasValue(value));
    assertThat(index.header("Server")).isEmpty();
    Response script = get("/wall.js");
    assertThat(script.header("Content-Type")).hasValue("text/javascript; charset=utf-8");
    String etag = script.header("ETag").orElseThrow();
    assertThat(get("/wall.js", "If-None-Match", etag).statusCode()).isEqualTo(304);

    for (String path :
        new String[] {
          "/css",
          "/css/",
          "/.secret",
          "/%2e%2e/outside.txt",
          "/css/../../outside.txt",
          "/link.txt",
          "/nope",
          "/wall.js%00"
        }) {
      Response refused = get(path);
      assertThat(refused.statusCode()).as(path).isEqualTo(404);
      assertThat(refused.body()).as(path).doesNotContain("outside", "token", "wall.js");
    }
  }

  @Test
  void servesClassPathResources() throws Exception {
    server =
        NettyServer.builder(hub)
            .port(0)
            .staticResources(getClass().getClassLoader(), "web")
            .start();
    Response page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("from the class path");
    assertThat(get("/logback-test.xml").statusCode()).as("outside the root").isEqualTo(404);
  }

  @Test
  void headGetsTheHeadersAndOtherMethods405() throws Exception {
    server = NettyServer.builder(hub).port(0).start();
    Response head = request("HEAD", "/wsproducer.js");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.header("Content-Length"))
        .hasValue(String.valueOf(WebResources.clientScript().remaining()));
    Response post = request("POST", "/");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.header("Allow")).hasValue("GET, HEAD");
  }

  @Test
  void aMalformedRequestGets400AndAClosedSocket() throws Exception {
    server = NettyServer.builder(hub).port(0).start();
    for (String request :
        new String[] {
          "GARBAGE\r\n\r\n",
          "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n"
        }) {
      try (Socket socket = new Socket("127.0.0.1", server.port())) {
        socket.setSoTimeout(5000);
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        assertThat(Faults.readResponseHead(socket)).isEqualTo(400);
        assertThat(Faults.closedByServer(socket, Duration.ofSeconds(5))).isTrue();
      }
    }
    // Still serving.
    assertThat(get("/wsproducer.js").statusCode()).isEqualTo(200);
  }

  @Test
  void aSilentConnectionIsClosedAfterTheHandshakeTimeout() throws Exception {
    server = NettyServer.builder(hub).port(0).handshakeTimeout(Duration.ofMillis(300)).start();
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      assertThat(Faults.closedByServer(socket, Duration.ofSeconds(5))).isTrue();
    }
  }

  @Test
  void theBuilderSaysWhatIsWrong(@TempDir Path root) throws Exception {
    assertThatThrownBy(() -> NettyServer.builder(hub).port(70_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be between 0 and 65535, was 70000");
    assertThatThrownBy(() -> NettyServer.builder(hub).ioThreads(0))
        .hasMessage("ioThreads must be at least 1, was 0");
    assertThatThrownBy(() -> NettyServer.builder(hub).staticFiles(root.resolve("nope")))
        .hasMessageStartingWith("staticFiles: no directory ");
    server = NettyServer.builder(hub).port(0).start();
    assertThatThrownBy(() -> NettyServer.builder(hub).port(server.port()).start())
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("cannot listen on 127.0.0.1:" + server.port())
        .hasCauseInstanceOf(java.net.BindException.class);
  }

  @Test
  void closeIsIdempotentAndFreesThePort() throws Exception {
    server = NettyServer.builder(hub).port(0).start();
    int port = server.port();
    server.close();
    server.close();
    assertThatThrownBy(() -> get("/wsproducer.js")).isInstanceOf(IOException.class);
    server = NettyServer.builder(hub).port(port).start();
    assertThat(get("/wsproducer.js").statusCode()).isEqualTo(200);
  }
}
