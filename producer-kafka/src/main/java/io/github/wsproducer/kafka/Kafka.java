package io.github.wsproducer.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/** What the Kafka sources share: client properties, waiting for a result, words for failures. */
final class Kafka {
  private Kafka() {}

  /** A failure, in words screens show. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    Failure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static String requireBootstrap(String bootstrap) {
    Objects.requireNonNull(bootstrap, "bootstrap");
    if (!bootstrap.matches("[^,\\s]+:\\d{1,5}(,[^,\\s]+:\\d{1,5})*")) {
      throw new IllegalArgumentException(
          "bootstrap must be HOST:PORT[,HOST:PORT...], was \"" + bootstrap + "\"");
    }
    return bootstrap;
  }

  static Duration positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
    return value;
  }

  /** Client properties: the bootstrap, timeouts that fit the source's, and the user's own. */
  static Map<String, Object> properties(
      String bootstrap, Map<String, String> own, Duration timeout) {
    Map<String, Object> p = new HashMap<>();
    p.put("bootstrap.servers", bootstrap);
    p.put("request.timeout.ms", (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    p.put("default.api.timeout.ms", (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    p.put("reconnect.backoff.max.ms", 5_000);
    p.putAll(own);
    return p;
  }

  /** Waits for a result, within the timeout. */
  static <T> T get(KafkaFuture<T> future, Duration timeout) throws Failure, InterruptedException {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new Failure("kafka unreachable", e); // short: it is a badge on a tile
    } catch (ExecutionException e) {
      throw failure(e.getCause());
    }
  }

  /** Waits for a group's result: empty for a group the cluster does not know. */
  static <T> Optional<T> unlessNotFound(KafkaFuture<T> future, Duration timeout)
      throws Failure, InterruptedException {
    try {
      return Optional.ofNullable(get(future, timeout));
    } catch (Failure e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The words for a failure, by what caused it, however deep the clients wrapped it. */
  static Failure failure(Throwable cause) {
    for (Throwable c = cause; c != null; c = c.getCause()) {
      if (c instanceof org.apache.kafka.common.errors.TimeoutException
          || c instanceof org.apache.kafka.common.errors.DisconnectException) {
        return new Failure("kafka unreachable", cause);
      }
      if (c instanceof AuthenticationException || c instanceof AuthorizationException) {
        return new Failure("kafka refused: not authorized", cause);
      }
    }
    return new Failure("kafka error", cause);
  }

  /** What screens show for a failed poll. */
  static String describe(Exception e) {
    return e instanceof Failure ? e.getMessage() : "kafka source error";
  }
}
