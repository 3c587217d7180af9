package io.github.wsproducer.http;

import io.github.wsproducer.State;
import io.github.wsproducer.UpdateSource;
import io.github.wsproducer.spi.SourceFactory;
import io.github.wsproducer.spi.SourceSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The kinds {@code http} and {@code prometheus} of declared sources. */
final class HttpSourceFactories {
  private HttpSourceFactories() {}

  /** {@code http: URL}, with {@code select}, {@code key}, {@code fields}. */
  public static final class Http implements SourceFactory {
    @Override
    public String kind() {
      return "http";
    }

    @Override
    public State state(SourceSettings settings) {
      return settings.has("key") ? State.keyed() : State.latest();
    }

    @Override
    public UpdateSource create(SourceSettings s) {
      HttpJsonSource.Builder b = HttpJsonSource.builder(s.topic(), url(s, "http"));
      try {
        s.optionalString("select").ifPresent(b::select);
        s.optionalString("key").ifPresent(b::key);
        s.map("fields").forEach(b::field);
      } catch (IllegalArgumentException e) {
        throw s.problem(null, e.getMessage());
      }
      return common(s, b).build();
    }
  }

  /** {@code prometheus: QUERY}, with {@code url} and {@code by}. */
  public static final class Prometheus implements SourceFactory {
    @Override
    public String kind() {
      return "prometheus";
    }

    @Override
    public State state(SourceSettings settings) {
      return settings.has("by") ? State.keyed() : State.latest();
    }

    @Override
    public UpdateSource create(SourceSettings s) {
      PrometheusSource.Builder b =
          PrometheusSource.builder(s.topic(), url(s, "url"), s.string("prometheus"));
      s.optionalString("by")
          .ifPresent(
              label -> {
                try {
                  b.by(label);
                } catch (IllegalArgumentException e) {
                  throw s.problem("by", e.getMessage());
                }
              });
      Duration backfill = s.duration("backfill", null);
      Duration step = s.duration("step", null);
      if (backfill != null || step != null) {
        try {
          b.backfill(
              backfill == null ? Duration.ofHours(1) : backfill,
              step == null ? Duration.ofSeconds(15) : step);
        } catch (IllegalArgumentException e) {
          throw s.problem("backfill", e.getMessage());
        }
      }
      return common(s, b).build();
    }
  }

  private static URI url(SourceSettings s, String key) {
    String text = s.string(key);
    try {
      URI url = new URI(text);
      if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
        throw s.problem(key, "must be an http or https URL, was \"" + text + "\"");
      }
      return url;
    } catch (URISyntaxException e) {
      throw s.problem(key, "is not a URL: " + e.getReason());
    }
  }

  /** What every HTTP source reads: polling, headers and the bearer token. */
  private static <B extends PolledHttpSource.Builder<B>> B common(SourceSettings s, B b) {
    Duration interval = s.duration("interval", null);
    Duration timeout = s.duration("timeout", null);
    Duration maxBackoff = s.duration("max-backoff", null);
    long maxBody = s.integer("max-body-bytes", 0, 1024, 1L << 30);
    Map<String, String> headers = s.map("headers");
    Optional<String> token = s.secret("token");
    try {
      if (interval != null) {
        b.interval(interval);
      }
      if (timeout != null) {
        b.timeout(timeout);
      }
      if (maxBackoff != null) {
        b.maxBackoff(maxBackoff);
      }
      if (maxBody > 0) {
        b.maxBodyBytes(maxBody);
      }
      headers.forEach(b::header);
      token.ifPresent(b::bearerToken);
    } catch (IllegalArgumentException e) {
      throw s.problem(null, e.getMessage());
    }
    return b;
  }
}
