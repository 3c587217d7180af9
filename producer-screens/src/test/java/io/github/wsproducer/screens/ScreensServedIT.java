package io.github.wsproducer.screens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.wsproducer.Hub;
import io.github.wsproducer.jetty.HubWebSocket;
import io.github.wsproducer.netty.NettyServer;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** Every transport serves the kit's pages and files, with their headers, and nothing else. */
class ScreensServedIT {

  record Response(int status, String type, String etag, String policy, String body) {}

  static Response get(URI root, String path) throws Exception {
    HttpURLConnection http = (HttpURLConnection) root.resolve(path).toURL().openConnection();
    int status = http.getResponseCode();
    try (InputStream in = status < 400 ? http.getInputStream() : http.getErrorStream()) {
      String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new Response(
          status,
          http.getContentType(),
          http.getHeaderField("ETag"),
          http.getHeaderField("Content-Security-Policy"),
          body);
    }
  }

  static void assertTheKitIsServed(URI root) throws Exception {
    Response listing = get(root, "/screens");
    assertThat(listing.status()).isEqualTo(200);
    assertThat(listing.type()).startsWith("text/html");
    assertThat(listing.body())
        .contains("<base href=\"/\">", "src=\"wsproducer/screens/screen.js\"");
    assertThat(get(root, "/screens/").status()).isEqualTo(200);

    Response page = get(root, "/screens/ops");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.policy()).contains("default-src 'self'");
    assertThat(page.body()).doesNotContain("@uplot.version@");
    Matcher uplot = Pattern.compile("src=\"(webjars/uplot/[^\"]+)\"").matcher(page.body());
    assertThat(uplot.find()).isTrue();

    Response script = get(root, "/wsproducer/screens/screen.js");
    assertThat(script.status()).isEqualTo(200);
    assertThat(script.type()).startsWith("text/javascript");
    assertThat(script.etag()).isNotBlank();
    assertThat(get(root, "/wsproducer/screens/screen.css").type()).startsWith("text/css");
    assertThat(get(root, "/" + uplot.group(1)).status()).isEqualTo(200);

    // An unknown screen: 404, with the screens there are.
    Response unknown = get(root, "/screens/nope");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.type()).startsWith("text/html");
    assertThat(unknown.body())
        .contains("No screen named “nope”", "<a href=\"screens/ops\">ops</a>");

    // Nothing else: no listing, no way out, no other page names.
    for (String path :
        new String[] {
          "/wsproducer/screens/",
          "/wsproducer/screens/missing.js",
          "/wsproducer/screens/../../META-INF/MANIFEST.MF",
          "/wsproducer/%2e%2e/screens/screen.js",
          "/webjars/",
          "/screens/ops/more",
          "/screens/..",
          "/wsproducer/screens/screen.js.class"
        }) {
      assertThat(get(root, path).status()).as(path).isGreaterThanOrEqualTo(400);
    }
  }

  @Test
  void onNetty() throws Exception {
    try (Hub hub =
            Hub.builder().topic(Screens.topic()).source(Screens.of(Screen.named("ops"))).build();
        NettyServer server = NettyServer.builder(hub).port(0).start()) {
      assertTheKitIsServed(server.uri());
    }
  }

  @Test
  void onJetty() throws Exception {
    try (Hub hub =
        Hub.builder().topic(Screens.topic()).source(Screens.of(Screen.named("ops"))).build()) {
      Server server = new Server();
      ServerConnector connector = new ServerConnector(server);
      connector.setHost("127.0.0.1");
      server.addConnector(connector);
      HubWebSocket.builder(hub).build().mount(server);
      server.start();
      try {
        assertTheKitIsServed(URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/"));
      } finally {
        server.stop();
      }
    }
  }

  static final String PUSHED =
      """
      topics:
        notes:
          push: {text: string, by: string?}
      screens:
        - name: wall
          tiles:
            - widget: text
              topic: notes
              path: text
      """;

  @Test
  void aTopicDeclaredPushableInTheFileTakesPushesOfItsShapeOnly() throws Exception {
    var ci =
        io.github.wsproducer.TokenAuthenticator.of(java.util.Map.of("ci", "ci-token-0123456789"));
    try (Hub hub =
            Hub.builder()
                .topic(Screens.topic())
                .source(Screens.parse(PUSHED, "screens.yaml"))
                .push(ci)
                .build();
        NettyServer server = NettyServer.builder(hub).port(0).start()) {
      var http = java.net.http.HttpClient.newHttpClient();
      java.util.function.Function<String, java.net.http.HttpResponse<String>> push =
          body -> {
            try {
              return http.send(
                  java.net.http.HttpRequest.newBuilder(server.uri().resolve("/topics/notes"))
                      .header("Authorization", "Bearer ci-token-0123456789")
                      .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          };
      var wrong = push.apply("{\"message\":\"deployed\"}");
      assertThat(wrong.statusCode()).isEqualTo(422);
      assertThat(wrong.body()).contains("field \\\"text\\\" is missing: expected a string");
      assertThat(push.apply("{\"text\":\"deployed\",\"by\":7}").body())
          .contains("field \\\"by\\\" must be a string, was number");
      assertThat(push.apply("{\"text\":\"deployed\"}").statusCode()).isEqualTo(202);
      await().until(() -> hub.stats().updates() >= 2); // the screens', then the note
    }
    // Pushable without pushers, or a type that is none: the hub is not built.
    assertThatThrownBy(
            () ->
                Hub.builder()
                    .topic(Screens.topic())
                    .source(Screens.parse(PUSHED, "screens.yaml"))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("topics [notes] take pushes, but the hub has no pushers");
    assertThatThrownBy(
            () ->
                Hub.builder()
                    .topic(Screens.topic())
                    .source(Screens.parse(PUSHED.replace("string?", "text"), "screens.yaml"))
                    .push(ci)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("screens.yaml, line 3")
        .hasMessageContaining("field by: \"text\" is not a type");
  }
}
