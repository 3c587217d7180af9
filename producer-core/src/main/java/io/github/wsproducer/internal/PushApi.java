package io.github.wsproducer.internal;

import io.github.wsproducer.Authenticator;
import io.github.wsproducer.Identity;
import io.github.wsproducer.Shape;
import io.github.wsproducer.spi.HttpContext;
import io.github.wsproducer.spi.HttpRequest;
import io.github.wsproducer.spi.HttpResponse;
import io.github.wsproducer.spi.HttpRoute;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /topics/{topic}}: publishes a JSON body to a topic declared pushable, for programs in
 * any language (a cron job, a CI pipeline). Nothing is published unless every check passes, and the
 * answer waits until the update is durable in the hub's history store.
 */
final class PushApi implements HttpRoute {
  /** Pushes a second each identity may make; more get 429. */
  public static final int RATE_PER_SECOND = 10;

  /**
   * Refused pushes (400, 422) a second each identity may make besides, counted apart so that a
   * sender's mistakes do not use up its pushes; more get 429.
   */
  public static final int REFUSED_PER_SECOND = 100;

  static final String PREFIX = "/topics/";
  private static final int MAX_IDENTITIES = 10_000; // a bound on the rate limits kept

  private final HubImpl hub;
  private final Topics topics;
  private final Clock clock;
  private final Authenticator pushers;
  private final Set<String> pushable;
  private final Map<String, RateLimit[]> limits = new HashMap<>(); // pushes, refused; guarded

  PushApi(HubImpl hub, Topics topics, Clock clock, Authenticator pushers, Set<String> pushable) {
    this.hub = hub;
    this.topics = topics;
    this.clock = clock;
    this.pushers = pushers;
    this.pushable = Set.copyOf(pushable);
  }

  @Override
  public boolean serves(String path) {
    return path.startsWith(PREFIX) && HistoryRoute.topicOf(path) == null;
  }

  /** Method, credentials, rate and topic: nothing of the body is read before these pass. */
  @Override
  public HttpResponse check(HttpRequest head, HttpContext http) {
    if (!head.method().equals("POST")) {
      return http.onlyMethod("POST");
    }
    Identity who = http.authenticate(pushers, head);
    if (who == null) {
      return http.unauthorized();
    }
    if (!withinRate(who.name())) {
      return http.error(
              429,
              "more than "
                  + RATE_PER_SECOND
                  + " pushes or "
                  + REFUSED_PER_SECOND
                  + " refused ones a second")
          .withHeader("Retry-After", "1");
    }
    String topic = head.path().substring(PREFIX.length());
    if (topics.get(topic) == null) {
      return http.error(404, "no topic " + Rejections.quote(topic));
    }
    if (!pushable.contains(topic)) {
      return http.error(403, "topic \"" + topic + "\" is not pushable");
    }
    return null;
  }

  /** The hub answers with {@link #serveAsync}: a push is answered once it is durable. */
  @Override
  public HttpResponse serve(HttpRequest request, HttpContext http) {
    return serveAsync(request, http).toCompletableFuture().join();
  }

  /**
   * 202 once the update is durable in the hub's history store, or 400 naming what is wrong with the
   * value, which is then not published.
   */
  @Override
  public CompletionStage<HttpResponse> serveAsync(HttpRequest request, HttpContext http) {
    String topic = request.path().substring(PREFIX.length());
    String sender = http.authenticate(pushers, request).name();
    JsonNode value;
    try {
      value = http.body(request);
    } catch (JacksonException e) {
      return refused(sender, http.malformed(e));
    }
    String wrong = wrong(topic, value);
    if (wrong != null) {
      return refused(sender, http.error(400, wrong));
    }
    String misfit = misfit(topics.get(topic), value);
    if (misfit != null) {
      return refused(sender, http.error(422, misfit));
    }
    return hub.publishDurably(topic, value)
        .handle(
            (done, e) -> {
              Throwable cause = e instanceof CompletionException ? e.getCause() : e;
              return cause == null
                  ? http.json(202, Map.of("topic", topic, "published", true))
                  : cause instanceof IllegalArgumentException
                      ? http.error(400, cause.getMessage())
                      : http.error(503, "not stored: " + cause.getMessage());
            });
  }

  /** Why {@code value} does not fit the topic's shape, or {@code null}. */
  private static String misfit(TopicEngine topic, JsonNode value) {
    Shape shape = topic.topic().shape();
    if (shape == null) {
      return null;
    }
    if (!topic.keyed()) {
      return shape.problem(value);
    }
    for (Map.Entry<String, JsonNode> key : value.properties()) {
      String problem = key.getValue().isNull() ? null : shape.problem(key.getValue());
      if (problem != null) {
        return "key \"" + key.getKey() + "\": " + problem;
      }
    }
    return null;
  }

  /**
   * Answers a push refused for its body, which counts as a refused one rather than as a push of
   * {@code sender}'s.
   */
  private CompletionStage<HttpResponse> refused(String sender, HttpResponse answer) {
    synchronized (limits) {
      RateLimit[] limit = limits.get(sender);
      if (limit != null) {
        limit[0].giveBack();
        limit[1].allow(clock.millis());
      }
    }
    return CompletableFuture.completedFuture(answer);
  }

  /** Why {@code value} cannot be pushed to {@code topic}, or {@code null}. */
  private String wrong(String topic, JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "malformed JSON: the body is empty";
    }
    if (outOfRange(value)) {
      return "a number is beyond the range of a double, which JSON cannot carry";
    }
    if (topics.get(topic).keyed() && !value.isObject()) {
      return "topic \"" + topic + "\" is keyed: the body must be a JSON object of keys";
    }
    return null;
  }

  /**
   * Whether {@code value} holds a number that a double cannot ({@code 1e1000000}): the parser makes
   * it infinite, which JSON cannot write.
   */
  private static boolean outOfRange(JsonNode value) {
    if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
      return true;
    }
    for (JsonNode child : value) {
      if (outOfRange(child)) {
        return true;
      }
    }
    return false;
  }

  private boolean withinRate(String name) {
    long now = clock.millis();
    synchronized (limits) {
      if (limits.size() >= MAX_IDENTITIES && !limits.containsKey(name)) {
        limits.clear(); // identities by the thousand: a custom authenticator; start over
      }
      RateLimit[] limit =
          limits.computeIfAbsent(
              name,
              n ->
                  new RateLimit[] {
                    new RateLimit(RATE_PER_SECOND, 1000), new RateLimit(REFUSED_PER_SECOND, 1000)
                  });
      return !limit[1].reached(now) && limit[0].allow(now);
    }
  }
}
