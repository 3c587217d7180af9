package io.github.wsproducer.spring;

import io.github.wsproducer.Hub;
import io.github.wsproducer.Topic;
import io.github.wsproducer.UpdateSource;
import io.github.wsproducer.jakarta.HubFilter;
import io.github.wsproducer.micrometer.HubMetrics;
import io.github.wsproducer.screens.Screens;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.servlet.DispatcherType;
import jakarta.websocket.server.ServerContainer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;

/**
 * A hub from the application's {@link Topic} and {@link UpdateSource} beans and the {@code
 * wsproducer.*} properties, served by {@link HubFilter} on the servlet container's WebSocket
 * support; with Actuator, its health and meters.
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
   * The hub: topic beans first, then {@code wsproducer.topics}, then the screens' topic. It starts
   * its sources after the application's schema scripts have run, so that a first poll finds the
   * tables.
   */
  @Bean
  @ConditionalOnMissingBean
  @DependsOnDatabaseInitialization
  Hub wsproducerHub(
      WsProducerProperties properties,
      ObjectProvider<Topic> topics,
      ObjectProvider<UpdateSource> sources,
      ObjectProvider<DataSource> dataSource,
      ObjectProvider<HubCustomizer> customizers,
      Environment env)
      throws IOException {
    PropertyCheck p = new PropertyCheck(env);
    Hub.Builder hub = Hub.builder();
    List<String> names = new ArrayList<>();
    topics
        .orderedStream()
        .forEach(
            topic -> {
              hub.topic(topic);
              names.add(topic.name());
            });
    sources.orderedStream().forEach(hub::source);
    SqlTopics.addTo(hub, properties.getTopics(), dataSource.getIfAvailable(), p);
    names.addAll(properties.getTopics().keySet());
    if (properties.getScreens() != null) {
      hub.topic(Screens.topic()).source(screens(properties.getScreens(), p));
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
    } catch (IllegalStateException e) {
      throw new IllegalStateException("wsproducer: the hub cannot be built: " + e.getMessage(), e);
    }
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
  @ConditionalOnClass(MeterBinder.class)
  static class Metrics {
    @Bean
    @ConditionalOnMissingBean
    HubMetrics wsproducerMetrics(Hub hub) {
      return new HubMetrics(hub);
    }
  }
}
