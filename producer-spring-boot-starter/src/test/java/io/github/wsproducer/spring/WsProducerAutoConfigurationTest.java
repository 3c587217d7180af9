package io.github.wsproducer.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsproducer.Hub;
import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import io.github.wsproducer.history.DiskHistory;
import io.github.wsproducer.jakarta.HubFilter;
import io.github.wsproducer.jdbc.QuerySource;
import io.github.wsproducer.micrometer.HubMetrics;
import io.github.wsproducer.screens.Screens;
import io.github.wsproducer.spi.TransportOptions;
import io.github.wsproducer.testkit.RecordingOutbound;
import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.ConfigurableWebApplicationContext;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/** Each condition of the auto-configuration on and off, and the property defaults. */
class WsProducerAutoConfigurationTest {
  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(WsProducerAutoConfiguration.class))
          .withUserConfiguration(OneTopic.class)
          .withInitializer(WsProducerAutoConfigurationTest::withWebSocketSupport);

  /** The servlet context of a container with WebSocket support, as Tomcat's would be. */
  private static void withWebSocketSupport(ConfigurableApplicationContext context) {
    ServletContext servlets = ((ConfigurableWebApplicationContext) context).getServletContext();
    servlets.setAttribute(
        ServerContainer.class.getName(),
        Proxy.newProxyInstance(
            ServerContainer.class.getClassLoader(),
            new Class<?>[] {ServerContainer.class},
            (proxy, method, args) -> null));
  }

  /** Only the library's optional modules hidden: the starter and the Jakarta transport. */
  private static final FilteredClassLoader WITHOUT_MODULES =
      new FilteredClassLoader(
          QuerySource.class, Screens.class, HubMetrics.class, DiskHistory.class);

  @Configuration(proxyBeanMethods = false)
  static class OneTopic {
    @Bean
    Topic orders() {
      return Topic.of("orders", State.latest());
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class H2 {
    @Bean
    DataSource dataSource() {
      JdbcDataSource h2 = new JdbcDataSource();
      h2.setURL("jdbc:h2:mem:starter;DB_CLOSE_DELAY=-1");
      return h2;
    }
  }

  @Test
  void aWallWithOnlyTheStarterAndTheJakartaTransportStarts() {
    runner
        .withClassLoader(WITHOUT_MODULES)
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(Hub.class);
              assertThat(context).hasSingleBean(HubFilter.class);
              assertThat(context)
                  .doesNotHaveBean(WsProducerAutoConfiguration.HubContribution.class);
              assertThat(context).doesNotHaveBean("wsproducerMetrics");
            });
  }

  @Test
  void aPropertyOfAMissingModuleFailsStartupNamingBoth() {
    runner
        .withClassLoader(WITHOUT_MODULES)
        .withPropertyValues("wsproducer.topics.totals.query=SELECT 1 AS n")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("wsproducer.topics")
                    .hasMessageContaining("needs producer-jdbc on the class path"));
    runner
        .withClassLoader(WITHOUT_MODULES)
        .withPropertyValues("wsproducer.history.directory=data")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("wsproducer.history.directory")
                    .hasMessageContaining("needs producer-history on the class path"));
    runner
        .withClassLoader(WITHOUT_MODULES)
        .withPropertyValues("wsproducer.screens=classpath:screens.yaml")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("wsproducer.screens")
                    .hasMessageContaining("needs producer-screens on the class path"));
  }

  @Test
  void withProducerJdbcTheSqlTopicsAreOn() {
    runner
        .withUserConfiguration(H2.class)
        .withPropertyValues("wsproducer.topics.totals.query=SELECT 1 AS n")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              Hub hub = context.getBean(Hub.class);
              assertThat(hub.topics()).extracting(Topic::name).contains("orders", "totals");
              assertThat(context).hasBean("wsproducerMetrics");
            });
  }

  /** A value the application's mapper writes its own way. */
  record Money(long cents) {}

  @Configuration(proxyBeanMethods = false)
  static class ApplicationsJson {
    @Bean
    JsonMapper jsonMapper() {
      SimpleModule money = new SimpleModule();
      money.addSerializer(
          Money.class,
          new ValueSerializer<Money>() {
            @Override
            public void serialize(Money value, JsonGenerator g, SerializationContext c) {
              g.writeString(value.cents() / 100 + "." + value.cents() % 100 + " EUR");
            }
          });
      return JsonMapper.builder().addModule(money).build();
    }
  }

  @Test
  void theApplicationsJsonMapperWritesTheData() {
    runner
        .withClassLoader(WITHOUT_MODULES)
        .withUserConfiguration(ApplicationsJson.class)
        .run(
            context -> {
              Hub hub = context.getBean(Hub.class);
              RecordingOutbound page = new RecordingOutbound();
              page.openPlain(hub, "orders", RecordingOutbound.NO_PINGS);
              hub.publish("orders", Map.of("total", new Money(1250)));
              String frame = null;
              for (String f; (f = page.frames.poll(10, TimeUnit.SECONDS)) != null; ) {
                if (f.contains("total")) {
                  frame = f;
                  break;
                }
              }
              assertThat(frame).isEqualTo("{\"total\":\"12.50 EUR\"}");
            });
  }

  @Test
  void aContainerWithoutWebSocketSupportFailsStartupSayingWhatToAdd() {
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(WsProducerAutoConfiguration.class))
        .withUserConfiguration(OneTopic.class)
        .withClassLoader(WITHOUT_MODULES)
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("tomcat-embed-websocket"));
  }

  @Test
  void itIsOffWhenDisabledOrNotAServletApplication() {
    runner
        .withPropertyValues("wsproducer.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(Hub.class));
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(WsProducerAutoConfiguration.class))
        .withUserConfiguration(OneTopic.class)
        .run(context -> assertThat(context).doesNotHaveBean(Hub.class));
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnHub {
    @Bean(destroyMethod = "close")
    Hub hub() {
      return Hub.builder().topic(Topic.of("mine", State.latest())).build();
    }
  }

  @Test
  void theApplicationsOwnHubReplacesTheOneBuiltHere() {
    runner
        .withClassLoader(WITHOUT_MODULES)
        .withUserConfiguration(OwnHub.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(Hub.class);
              assertThat(context.getBean(Hub.class).topics())
                  .extracting(Topic::name)
                  .containsExactly("mine");
            });
  }

  @Test
  void healthIsOnWithActuatorUnlessTurnedOff() {
    runner
        .withClassLoader(WITHOUT_MODULES)
        .run(context -> assertThat(context).hasSingleBean(HealthIndicator.class));
    runner
        .withClassLoader(WITHOUT_MODULES)
        .withPropertyValues("management.health.wsproducer.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(HealthIndicator.class));
  }

  @Test
  void aTopicNamingAKindOfSourceIsDeclaredThroughItsModule() throws Exception {
    com.sun.net.httpserver.HttpServer api =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    try {
      api.createContext(
          "/status",
          exchange -> {
            byte[] body = "{\"build\":{\"ok\":true}}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      api.start();
      String url = "http://127.0.0.1:" + api.getAddress().getPort() + "/status";
      runner
          .withUserConfiguration(H2.class)
          .withPropertyValues(
              "wsproducer.topics.build.http=" + url,
              "wsproducer.topics.build.select=/build",
              "wsproducer.topics.build.interval=100ms",
              "wsproducer.topics.build.stale-after=1m",
              "wsproducer.topics.totals.query=SELECT 1 AS n")
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                Hub hub = context.getBean(Hub.class);
                assertThat(hub.topics()).extracting(Topic::name).contains("build", "totals");
                RecordingOutbound screen = new RecordingOutbound();
                screen.openEnvelope(hub);
                screen.next("hello");
                screen.send("{\"type\":\"subscribe\",\"topic\":\"build\"}");
                JsonNode first = screen.next("snapshot");
                JsonNode build = first.path("seq").asLong() > 0 ? first : screen.next("update");
                assertThat(build.path("data").path("ok").asBoolean()).isTrue();
              });
      runner
          .withPropertyValues(
              "wsproducer.topics.build.http=" + url, "wsproducer.topics.build.intervall=1s")
          .run(
              context ->
                  assertThat(context)
                      .getFailure()
                      .rootCause()
                      .hasMessageContaining(
                          "wsproducer.topics.build.intervall: topic build: intervall: unknown"
                              + " setting"));
      runner
          .withUserConfiguration(H2.class)
          .withPropertyValues(
              "wsproducer.topics.totals.query=SELECT 1 AS n",
              "wsproducer.topics.totals.intervall=1s")
          .run(
              context ->
                  assertThat(context)
                      .getFailure()
                      .hasStackTraceContaining("wsproducer.topics.totals.intervall"));
    } finally {
      api.stop(0);
    }
  }

  @Test
  void withADirectoryTheHubRestartsWhereItStoppedAndTopicsKeepTheirRetention(@TempDir Path data) {
    String[] properties = {
      "wsproducer.history.directory=" + data,
      "wsproducer.topics.totals.query=SELECT 1 AS n",
      "wsproducer.topics.totals.retention=24h",
      "wsproducer.topics.totals.retention-bytes=64MB"
    };
    runner
        .withUserConfiguration(H2.class)
        .withPropertyValues(properties)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              Hub hub = context.getBean(Hub.class);
              Topic totals =
                  hub.topics().stream().filter(t -> t.name().equals("totals")).findFirst().get();
              assertThat(totals.retention()).isEqualTo(Duration.ofHours(24));
              assertThat(totals.retentionBytes()).isEqualTo(64L << 20);
              hub.publish("orders", Map.of("count", 41));
              Awaitility.await().until(() -> hub.stats().updates() >= 1);
            });
    assertThat(data.resolve(DiskHistory.FILE)).exists();
    runner
        .withUserConfiguration(H2.class)
        .withPropertyValues(properties)
        .run(
            context -> {
              RecordingOutbound screen = new RecordingOutbound();
              screen.openEnvelope(context.getBean(Hub.class));
              screen.next("hello");
              screen.send("{\"type\":\"subscribe\",\"topic\":\"orders\"}");
              JsonNode orders = screen.next("snapshot");
              assertThat(orders.path("seq").asLong()).isEqualTo(1);
              assertThat(orders.path("data").path("count").asInt()).isEqualTo(41);
            });
    runner
        .withUserConfiguration(H2.class)
        .withPropertyValues(
            "wsproducer.history.directory=" + data, "wsproducer.history.commit-interval=0s")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("wsproducer.history.commit-interval"));
  }

  @Test
  void everyPropertysDefaultIsTheLibrarys() {
    WsProducerProperties p = new WsProducerProperties();
    TransportOptions library = TransportOptions.DEFAULTS;
    assertThat(p.getMaxMessageSize().toBytes()).isEqualTo(library.maxMessageSize());
    assertThat(p.getIdleTimeout()).isEqualTo(library.idleTimeout());
    assertThat(p.getPingInterval()).isEqualTo(library.pingInterval());
    assertThat(p.getPongTimeout()).isEqualTo(library.pongTimeout());
    assertThat(p.getMaxQueuedBytes().toBytes()).isEqualTo(library.maxQueuedBytes());
    assertThat(p.getWriteTimeout()).isEqualTo(library.writeTimeout());
    assertThat(p.isDeflate()).isEqualTo(library.deflate());
    assertThat(p.getMaxConnections()).isEqualTo(library.maxConnections());
    assertThat(p.getMaxConnectionsPerAddress()).isEqualTo(library.maxConnectionsPerAddress());
    assertThat(p.getAllowedOrigins()).isEqualTo(java.util.List.copyOf(library.allowedOrigins()));
    assertThat(p.getAllowedHosts()).isEqualTo(java.util.List.copyOf(library.allowedHosts()));
    assertThat(p.getPath()).isEqualTo("/");
    assertThat(p.getHistory().getCommitInterval()).isEqualTo(DiskHistory.DEFAULT_COMMIT_INTERVAL);
    assertThat(p.getHistory().getDirectory()).isNull();
    assertThat(p.isEnabled()).isTrue();
  }

  @Test
  void aTopicDeclaredWithPushTakesPushesOfItsShapeFromTheHubsPushers() {
    runner
        .withBean(
            HubCustomizer.class,
            () ->
                hub ->
                    hub.push(
                        io.github.wsproducer.TokenAuthenticator.of(
                            java.util.Map.of("ci", "ci-token-0123456789"))))
        .withPropertyValues("wsproducer.topics.notes.push.text=string")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              Topic notes =
                  context.getBean(Hub.class).topics().stream()
                      .filter(t -> t.name().equals("notes"))
                      .findFirst()
                      .orElseThrow();
              assertThat(notes.shape().fields()).containsEntry("text", "string");
            });
    runner
        .withPropertyValues("wsproducer.topics.notes.push.text=string")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining(
                        "topics [notes] take pushes, but the hub has no pushers"));
  }
}
