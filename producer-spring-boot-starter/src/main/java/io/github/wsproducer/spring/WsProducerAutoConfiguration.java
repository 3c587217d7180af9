package io.github.wsproducer.spring;

import io.github.wsproducer.Hub;
import io.github.wsproducer.Topic;
import io.github.wsproducer.UpdateSource;
import io.github.wsproducer.history.DiskHistory;
import io.github.wsproducer.jakarta.HubFilter;
import io.github.wsproducer.micrometer.HubMetrics;
import io.github.wsproducer.screens.Screens;
import io.github.wsproducer.spring.WsProducerProperties.SqlTopic;
import jakarta.servlet.DispatcherType;
import jakarta.websocket.server.ServerContainer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * A hub from the application's {@link Topic} and {@link UpdateSource} beans and the {@code
 * wsproducer.*} properties, served by {@link HubFilter} on the servlet container's WebSocket
 * support, in the application's {@link JsonMapper} when it has one. With {@code producer-jdbc} on
 * the class path, {@code wsproducer.topics} adds SQL topics; with {@code producer-screens}, {@code
 * wsproducer.screens} the wall-screen kit; with Actuator, its health; with {@code
 * producer-micrometer} and Micrometer, its meters. A property whose module is missing fails startup
 * naming both.
 *
 * <p>Each bean backs off when the application declares its own: a {@link Hub} bean, say, replaces
 * the one built here, and the rest serve it.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ServerContainer.class, HubFilter.class})
@ConditionalOnBooleanProperty(name = "wsproducer.enabled", matchIfMissing = true)
@EnableConfigurationProperties(WsProducerProperties.class)
public class WsProducerAutoConfiguration {

  /**
   * The hub: topic beans first, then {@code wsproducer.topics}, then the screens' topic, in the
   * application's JSON mapper when it has one. It starts its sources after the application's schema
   * scripts have run, so that a first poll finds the tables.
   */
  @Bean
  @ConditionalOnMissingBean
  @DependsOnDatabaseInitialization
  Hub wsproducerHub(
      WsProducerProperties properties,
      ObjectProvider<Topic> topics,
      ObjectProvider<UpdateSource> sources,
      ObjectProvider<HubContribution> contributions,
      ObjectProvider<JsonMapper> json,
      ObjectProvider<HubCustomizer> customizers,
      ObjectProvider<DataSource> dataSource,
      Environment env,
      ResourceLoader loader)
      throws IOException {
    PropertyCheck p = new PropertyCheck(env);
    ClassLoader classes = loader.getClassLoader();
    List<String> sqlTopics =
        properties.getTopics().entrySet().stream()
            .filter(e -> DeclaredTopics.isSql(e.getValue()))
            .map(Map.Entry::getKey)
            .toList();
    requireModule(p, classes, "wsproducer.topics", sqlTopics, SQL, "jdbc");
    requireModule(p, classes, "wsproducer.screens", properties.getScreens(), SCREENS, "screens");
    requireModule(
        p,
        classes,
        "wsproducer.history.directory",
        properties.getHistory().getDirectory(),
        HISTORY,
        "history");
    Hub.Builder hub = Hub.builder();
    JsonMapper mapper = json.getIfUnique();
    if (mapper != null) {
      hub.jsonMapper(mapper);
    }
    List<String> names = new ArrayList<>();
    topics
        .orderedStream()
        .forEach(
            topic -> {
              hub.topic(topic);
              names.add(topic.name());
            });
    sources.orderedStream().forEach(hub::source);
    for (HubContribution contribution : contributions.orderedStream().toList()) {
      names.addAll(contribution.addTo(hub, p));
    }
    List<Object> resources = new ArrayList<>();
    dataSource.ifAvailable(resources::add);
    try {
      names.addAll(DeclaredTopics.addTo(hub, properties.getTopics(), resources));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("wsproducer: " + e.getMessage(), e);
    }
    String defaultTopic = properties.getDefaultTopic();
    if (defaultTopic != null) {
      if (!names.contains(defaultTopic)) {
        throw p.invalid(
            "wsproducer.default-topic", defaultTopic, "no such topic; the topics are " + names);
      }
      hub.defaultTopic(defaultTopic);
    }
    customizers.orderedStream().forEach(c -> c.customize(hub));
    try {
      return hub.build();
    } catch (IllegalStateException | IllegalArgumentException e) { // a declared topic's, too
      throw new IllegalStateException("wsproducer: the hub cannot be built: " + e.getMessage(), e);
    }
  }

  private static final String SQL = "io.github.wsproducer.jdbc.QuerySource";
  private static final String SCREENS = "io.github.wsproducer.screens.Screens";
  private static final String METRICS = "io.github.wsproducer.micrometer.HubMetrics";
  private static final String HISTORY = "io.github.wsproducer.history.DiskHistory";

  /** A property set whose module is not on the class path fails startup naming both. */
  private static void requireModule(
      PropertyCheck p,
      ClassLoader classes,
      String property,
      Object value,
      String type,
      String module) {
    boolean set = value != null && !(value instanceof Collection<?> c && c.isEmpty());
    if (set && !ClassUtils.isPresent(type, classes)) {
      throw p.invalid(
          property, String.valueOf(value), "needs producer-" + module + " on the class path");
    }
  }

  /** What a library module on the class path adds to the hub from the properties. */
  interface HubContribution {
    /** Adds topics and sources to {@code hub}; returns the names of the topics it added. */
    List<String> addTo(Hub.Builder hub, PropertyCheck p) throws IOException;
  }

  /** {@code wsproducer.topics}: SQL topics, with {@code producer-jdbc}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = SQL)
  static class SqlTopicsConfiguration {
    @Bean
    HubContribution wsproducerSqlTopics(
        WsProducerProperties properties, ObjectProvider<DataSource> dataSource, Environment env) {
      return (hub, p) -> {
        Map<String, SqlTopic> sql = new LinkedHashMap<>();
        properties
            .getTopics()
            .forEach(
                (name, settings) -> {
                  if (DeclaredTopics.isSql(settings)) {
                    p.check("wsproducer.topics." + name, name, () -> Topic.requireValidName(name));
                    sql.put(
                        name,
                        Binder.get(env)
                            .bind(
                                ConfigurationPropertyName.of("wsproducer.topics")
                                    .append("[" + name + "]"),
                                Bindable.of(SqlTopic.class),
                                new NoUnboundElementsBindHandler(BindHandler.DEFAULT))
                            .orElseGet(SqlTopic::new));
                  }
                });
        SqlTopics.addTo(hub, sql, dataSource.getIfAvailable(), p);
        return List.copyOf(sql.keySet());
      };
    }
  }

  /** {@code wsproducer.history}: the topics' history on disk, with {@code producer-history}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = HISTORY)
  static class HistoryConfiguration {
    @Bean
    HubContribution wsproducerHistory(WsProducerProperties properties) {
      return (hub, p) -> {
        WsProducerProperties.History history = properties.getHistory();
        if (history.getDirectory() != null) {
          DiskHistory.Builder disk =
              p.check(
                  "wsproducer.history.commit-interval",
                  history.getCommitInterval(),
                  () ->
                      DiskHistory.builder(history.getDirectory())
                          .commitInterval(history.getCommitInterval()));
          hub.history(
              p.check(
                  "wsproducer.history.directory",
                  history.getDirectory(),
                  () -> {
                    try {
                      return disk.open();
                    } catch (IllegalStateException | java.io.UncheckedIOException e) {
                      throw new IllegalArgumentException(e.getMessage(), e);
                    }
                  }));
        }
        return List.of();
      };
    }
  }

  /** {@code wsproducer.screens}: the wall-screen kit, with {@code producer-screens}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = SCREENS)
  static class ScreensConfiguration {
    @Bean
    HubContribution wsproducerScreens(
        WsProducerProperties properties, ObjectProvider<DataSource> dataSource) {
      return (hub, p) -> {
        if (properties.getScreens() != null) {
          Screens screens = screens(properties.getScreens(), p);
          DataSource database = dataSource.getIfAvailable(); // for the file's sql topics
          hub.topic(Screens.topic())
              .source(database == null ? screens : screens.withResources(database));
        }
        return List.of();
      };
    }

    /** The screens file: watched when it is a file, read once from the class path or elsewhere. */
    private static Screens screens(Resource file, PropertyCheck p) throws IOException {
      if (!file.exists()) {
        throw p.invalid("wsproducer.screens", file.getDescription(), "no such file");
      }
      try {
        if (file.isFile()) {
          return Screens.watch(file.getFile().toPath());
        }
        try (InputStream in = file.getInputStream()) {
          return Screens.parse(
              new String(in.readAllBytes(), StandardCharsets.UTF_8), file.getDescription());
        }
      } catch (IllegalArgumentException e) {
        throw p.invalid("wsproducer.screens", file.getDescription(), e.getMessage());
      }
    }
  }

  /** The transport, with the options of {@code wsproducer.*}. */
  @Bean
  @ConditionalOnMissingBean
  HubFilter wsproducerFilter(Hub hub, WsProducerProperties p, Environment env) {
    PropertyCheck c = new PropertyCheck(env);
    HubFilter.Builder b = HubFilter.builder(hub);
    c.check("wsproducer.path", p.getPath(), () -> b.path(p.getPath()));
    p.getAllowedOrigins()
        .forEach(o -> c.check("wsproducer.allowed-origins", o, () -> b.allowOrigin(o)));
    p.getAllowedHosts().forEach(h -> c.check("wsproducer.allowed-hosts", h, () -> b.allowHost(h)));
    c.check(
        "wsproducer.max-message-size",
        p.getMaxMessageSize(),
        () -> b.maxMessageSize(p.getMaxMessageSize().toBytes()));
    c.check("wsproducer.idle-timeout", p.getIdleTimeout(), () -> b.idleTimeout(p.getIdleTimeout()));
    c.check(
        "wsproducer.ping-interval", p.getPingInterval(), () -> b.pingInterval(p.getPingInterval()));
    c.check("wsproducer.pong-timeout", p.getPongTimeout(), () -> b.pongTimeout(p.getPongTimeout()));
    c.check(
        "wsproducer.max-queued-bytes",
        p.getMaxQueuedBytes(),
        () -> b.maxQueuedBytes(p.getMaxQueuedBytes().toBytes()));
    c.check(
        "wsproducer.write-timeout", p.getWriteTimeout(), () -> b.writeTimeout(p.getWriteTimeout()));
    b.deflate(p.isDeflate());
    c.check(
        "wsproducer.max-connections",
        p.getMaxConnections(),
        () -> b.maxConnections(p.getMaxConnections()));
    c.check(
        "wsproducer.max-connections-per-address",
        p.getMaxConnectionsPerAddress(),
        () -> b.maxConnectionsPerAddress(p.getMaxConnectionsPerAddress()));
    return c.check("wsproducer", "(the options together)", b::build);
  }

  /**
   * Mounts the filter on every request. It runs after the application's own filters (Spring
   * Security's included), so that they see the handshakes first.
   */
  @Bean
  FilterRegistrationBean<HubFilter> wsproducerFilterRegistration(HubFilter filter) {
    FilterRegistrationBean<HubFilter> registration = new FilterRegistrationBean<>(filter);
    registration.setName(HubFilter.NAME);
    registration.setAsyncSupported(true);
    registration.setDispatcherTypes(DispatcherType.REQUEST);
    registration.addUrlPatterns("/*");
    registration.setOrder(Ordered.LOWEST_PRECEDENCE);
    return registration;
  }

  /** Closes the sockets with 1012 before the web server stops. */
  @Bean
  HubLifecycle wsproducerLifecycle(HubFilter filter) {
    return new HubLifecycle(filter);
  }

  /** Actuator's health: down while a topic is stale or its source reports an error. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  @ConditionalOnEnabledHealthIndicator("wsproducer")
  static class Health {
    @Bean
    @ConditionalOnMissingBean(name = "wsproducerHealthIndicator")
    HealthIndicator wsproducerHealthIndicator(Hub hub) {
      return new HubHealthIndicator(hub);
    }
  }

  /** Micrometer's meters, which Spring Boot binds to its registries. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"io.micrometer.core.instrument.binder.MeterBinder", METRICS})
  static class Metrics {
    @Bean
    @ConditionalOnMissingBean
    HubMetrics wsproducerMetrics(Hub hub) {
      return new HubMetrics(hub);
    }
  }
}
