package io.github.wsproducer.http;

import io.github.wsproducer.Topic;
import io.github.wsproducer.UpdateSink;
import io.github.wsproducer.UpdateSource;
import io.github.wsproducer.spi.Poller;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the HTTP sources share: one topic, polled by a {@link Poller} (never two polls at once, nor
 * faster than the interval; backoff while the other side fails, shown as the topic's error), and
 * one {@link Fetch} of their URL with their headers, deadline and cap.
 */
abstract class PolledHttpSource implements UpdateSource {
  final String topic;
  final Fetch fetch;
  private final Poller poller;

  PolledHttpSource(String topic, String name, Builder<?> b) {
    this.topic = topic;
    this.fetch = new Fetch(name, b.headers, b.timeout, b.maxBodyBytes);
    this.poller =
        new Poller(
            topic,
            b.interval,
            b.maxBackoff,
            b.scheduler,
            this::poll,
            e -> e instanceof Fetch.Failure ? e.getMessage() : name + " source error");
  }

  /** One poll, on the poller's thread, never two at once. */
  abstract Poller.Outcome poll(UpdateSink sink) throws Fetch.Failure, InterruptedException;

  @Override
  public Set<String> topics() {
    return Set.of(topic);
  }

  @Override
  public void start(UpdateSink sink) {
    poller.start(Objects.requireNonNull(sink, "sink"));
  }

  /** Polls as soon as possible instead of waiting for the interval. */
  public void wakeUp() {
    poller.wakeUp();
  }

  /** Stops polling; nothing is published after it returns. */
  @Override
  public void close() {
    poller.close();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + topic + "]";
  }

  /**
   * The settings every HTTP source has.
   *
   * @param <B> the source's builder
   */
  abstract static class Builder<B extends Builder<B>> {
    final String topic;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Duration interval;
    private Duration timeout = Duration.ofSeconds(10);
    private Duration maxBackoff = Duration.ofMinutes(1);
    private long maxBodyBytes = 4 << 20;
    private ScheduledExecutorService scheduler;

    Builder(String topic, Duration interval) {
      this.topic = Topic.requireValidName(topic);
      this.interval = interval;
    }

    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }

    /** Time between the end of a poll and the start of the next. */
    public B interval(Duration interval) {
      this.interval = positive("interval", interval);
      return self();
    }

    /**
     * The whole answer, headers and body, must arrive within this; a slower one is cancelled and
     * shown as "too slow". Default 10 s.
     */
    public B timeout(Duration timeout) {
      this.timeout = positive("timeout", timeout);
      return self();
    }

    /** The longest wait between polls while they fail. Default 1 min. */
    public B maxBackoff(Duration maxBackoff) {
      this.maxBackoff = positive("maxBackoff", maxBackoff);
      return self();
    }

    /** A longer answer is refused, and read no further. Default 4 MiB. */
    public B maxBodyBytes(long bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxBodyBytes must be at least 1024, was " + bytes);
      }
      this.maxBodyBytes = bytes;
      return self();
    }

    /** A header sent with every request, such as {@code Accept-Language}. */
    public B header(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (name.equalsIgnoreCase("Authorization") || name.equalsIgnoreCase("If-None-Match")) {
        throw new IllegalArgumentException(
            "header "
                + name
                + " is the source's own"
                + (name.equalsIgnoreCase("Authorization") ? "; use bearerToken" : ""));
      }
      headers.put(name, value);
      return self();
    }

    /**
     * Sends {@code Authorization: Bearer TOKEN}. The token is never logged nor shown; read it from
     * a file or the environment, never from code or configuration.
     */
    public B bearerToken(String token) {
      Objects.requireNonNull(token, "token");
      if (token.isBlank() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
        throw new IllegalArgumentException("the bearer token must be printable ASCII, not empty");
      }
      headers.put("Authorization", "Bearer " + token);
      return self();
    }

    /** Polls on this scheduler instead of a thread of the source's own; the caller owns it. */
    public B scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return self();
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }
  }
}
