package io.github.wsproducer.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.wall.FirstWall;
import io.github.wsproducer.protocol.CloseCode;
import io.github.wsproducer.testkit.Browser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** "Your first wall" of the README: the text matches the code, and the code runs. */
class FirstWallIT {
  private static final Path EXAMPLE = Path.of("src", "test", "java", "com", "example", "wall");
  private static final Path PAGE = Path.of("src", "test", "resources", "wall");

  private JdbcDataSource db;
  private Server server;

  @BeforeEach
  void start() throws Exception {
    db = new JdbcDataSource();
    db.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, status VARCHAR(20))");
      s.execute("INSERT INTO orders (status) VALUES ('open'), ('open'), ('shipped')");
    }
    server = FirstWall.start(0, db);
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
  }

  private int port() {
    return server.getURI().getPort();
  }

  @Test
  void theReadmeShowsTheExampleAsItIs() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    for (Path file :
        new Path[] {
          EXAMPLE.resolve("FirstWall.java"), PAGE.resolve("index.html"), PAGE.resolve("wall.js")
        }) {
      assertThat(readme).as("README shows %s", file).contains(Files.readString(file));
    }
  }

  @Test
  void servesThePageAndBothTopicsAndStopsWith1012() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> page =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<script src=\"/wsproducer.js\"></script>");
    for (String path : new String[] {"/wsproducer.js", "/wall.js"}) {
      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                          .build(),
                      HttpResponse.BodyHandlers.discarding())
                  .statusCode())
          .as(path)
          .isEqualTo(200);
    }

    WebSocketClient client = new WebSocketClient();
    client.start();
    try {
      Recorder screen = new Recorder();
      ClientUpgradeRequest request =
          new ClientUpgradeRequest(URI.create("ws://127.0.0.1:" + port() + "/"));
      request.setSubProtocols("wsproducer.v1");
      screen.session = client.connect(screen, request).get(10, TimeUnit.SECONDS);
      assertThat(screen.next().path("type").asString()).isEqualTo("hello");
      screen.send("{\"type\":\"subscribe\",\"topic\":\"orders\"}");
      screen.send("{\"type\":\"subscribe\",\"topic\":\"clock\"}");
      boolean orders = false;
      boolean clock = false;
      while (!orders || !clock) {
        JsonNode m = screen.next();
        orders |= m.path("data").path("open").path("n").asInt() == 2;
        clock |= m.path("data").path("time").asString().matches("\\d\\d:\\d\\d(:\\d\\d)?");
      }

      server.stop();
      server = null;
      assertThat(screen.closed.get(10, TimeUnit.SECONDS).code())
          .isEqualTo(CloseCode.SERVICE_RESTART.code());
    } finally {
      client.stop();
    }
  }

  @Test
  void theBrowserShowsBothTopicsAndAStatusThatIsGone() throws Exception {
    try (Browser browser = new Browser(1366, 768)) {
      browser.driver.get("http://localhost:" + port() + "/");
      await().atMost(Duration.ofSeconds(15)).until(() -> "2".equals(browser.text("#open")));
      assertThat(browser.text("#shipped")).isEqualTo("1");
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> String.valueOf(browser.text("#clock")).matches("\\d\\d:\\d\\d(:\\d\\d)?"));
      browser.screenshot("first-wall.png");

      try (Connection c = db.getConnection();
          Statement s = c.createStatement()) {
        s.execute("UPDATE orders SET status = 'shipped'");
      }
      await().atMost(Duration.ofSeconds(15)).until(() -> "3".equals(browser.text("#shipped")));
      assertThat(browser.text("#open")).as("no order is open any more").isEqualTo("0");
    }
  }
}
