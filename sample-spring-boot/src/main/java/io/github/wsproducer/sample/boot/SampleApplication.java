package io.github.wsproducer.sample.boot;

import io.github.wsproducer.RandomWalkSource;
import io.github.wsproducer.State;
import io.github.wsproducer.Topic;
import io.github.wsproducer.UpdateSource;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The sample on Spring Boot: the original example's random counter on topic {@code random} (the
 * default topic, so the original page's plain socket at {@code /} gets it), and the topics {@code
 * streams} and {@code totals}, which {@code application.yml} feeds from SQL on an embedded H2 that
 * {@link StreamSimulator} keeps changing. The wall screen is at {@code /screens/streams}.
 */
@SpringBootApplication
public class SampleApplication {

  public static void main(String[] args) {
    SpringApplication.run(SampleApplication.class, args);
  }

  /** The original example's counter. */
  @Bean
  Topic random() {
    return Topic.of("random", State.latest());
  }

  /** Every 0 to 1 s, adds 1 to 10 to the counter. */
  @Bean
  UpdateSource randomWalk() {
    return RandomWalkSource.builder("random").build();
  }

  @Bean
  StreamSimulator streamSimulator(JdbcTemplate jdbc) {
    return new StreamSimulator(jdbc);
  }

  /** Prints where the server listens, once it accepts connections. */
  @EventListener
  void ready(ApplicationReadyEvent event) throws UnknownHostException {
    WebServerApplicationContext context =
        (WebServerApplicationContext) event.getApplicationContext();
    Environment env = context.getEnvironment();
    checkOrigins(env);
    String address = env.getProperty("server.address", "0.0.0.0");
    InetAddress host = InetAddress.getByName(address);
    String name =
        host.isAnyLocalAddress()
            ? "localhost"
            : host.getHostAddress().contains(":")
                ? "[" + host.getHostAddress() + "]"
                : host.getHostAddress();
    System.out.println(
        "listening on http://" + name + ":" + context.getWebServer().getPort() + "/");
  }

  /**
   * Pages opened from disk (the original example's page) send the origin "null", which any page in
   * a sandboxed frame can send too: {@code application.yml} admits it, which is safe only while no
   * other machine can connect.
   */
  private static void checkOrigins(Environment env) throws UnknownHostException {
    String origins = env.getProperty("wsproducer.allowed-origins", "");
    String address = env.getProperty("server.address", "0.0.0.0");
    if (origins.contains("null") && !InetAddress.getByName(address).isLoopbackAddress()) {
      throw new IllegalStateException(
          "server.address="
              + address
              + " lets other machines connect, and wsproducer.allowed-origins admits \"null\":"
              + " remove \"null\" from wsproducer.allowed-origins, or listen on 127.0.0.1");
    }
  }
}
