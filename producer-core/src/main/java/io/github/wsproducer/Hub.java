package io.github.wsproducer;

import io.github.wsproducer.internal.HubConfig;
import io.github.wsproducer.internal.HubImpl;
import io.github.wsproducer.spi.DeclaredTopic;
import io.github.wsproducer.spi.DeclaresTopics;
import io.github.wsproducer.spi.HistoryStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import tools.jackson.databind.json.JsonMapper;

/**
 * The engine: holds topics and their {@link State}, takes values from sources, encodes each update
 * once and offers that same frame to every subscriber.
 *
 * <p>Per topic, every subscriber sees updates in {@code seq} order, {@code seq} increasing by 1
 * within an {@code epoch}; subscribing and receiving the snapshot (or the missed updates) is atomic
 * with respect to publishing. {@link #publish} never blocks, and a slow subscriber never delays the
 * others: each connection has a byte cap, and a connection over it skips ahead to a fresh snapshot
 * instead of queuing more.
 *
 * <p>Lifecycle: {@link Builder#build()} returns a running hub and starts its sources; {@link
 * #close()} closes the sources (waiting at most 10 s for them), closes every connection with 1012
 * ({@link io.github.wsproducer.protocol.CloseCode#SERVICE_RESTART}) and a reconnect hint, stores
 * each topic's last snapshot in its history store and closes the store ({@link Builder#history}),
 * and stops the threads the hub created. Executors and a clock may be supplied; the caller then
 * owns them.
 *
 * <pre>{@code
 * try (Hub hub = Hub.builder()
 *     .topic(Topic.of("random", State.latest()))
 *     .source(RandomWalkSource.builder("random").build())
 *     .build()) {
 *   // mount it on a transport, e.g. io.github.wsproducer.jetty.HubWebSocket
 * }
 * }</pre>
 */
public interface Hub extends UpdateSink, AutoCloseable {

  /** A builder with no topics, no sources and default threads and clock. */
  static Builder builder() {
    return new Builder();
  }

  /** The topics, in the order they were added. */
  List<Topic> topics();

  /** The topic a plain connection without a topic in its path subscribes to. */
  String defaultTopic();

  /** Current counters. */
  HubStats stats();

  /**
   * One topic's subscribers, freshness and errors.
   *
   * @throws IllegalArgumentException if the hub has no such topic
   */
  TopicStats topicStats(String topic);

  /** Closes sources and connections and stops owned threads. Idempotent. */
  @Override
  void close();

  /** Collects topics, sources, threads and a clock; {@link #build()} validates and starts. */
  final class Builder {
    private final Map<String, Topic> topics = new LinkedHashMap<>();
    private final List<UpdateSource> sources = new ArrayList<>();
    private String defaultTopic;
    private Executor executor;
    private ScheduledExecutorService scheduler;
    private Clock clock = Clock.systemUTC();
    private JsonMapper json = JsonMapper.builder().build();
    private Authenticator authenticator;
    private TopicAuthorizer authorizer;
    private Authenticator pushers;
    private final Set<String> pushable = new LinkedHashSet<>();
    private HistoryStore history;

    private Builder() {}

    /**
     * Adds a topic.
     *
     * @throws IllegalArgumentException if a topic of that name was added already
     */
    public Builder topic(Topic topic) {
      Objects.requireNonNull(topic, "topic");
      if (topics.putIfAbsent(topic.name(), topic) != null) {
        throw new IllegalArgumentException("topic \"" + topic.name() + "\" was added twice");
      }
      return this;
    }

    /** Adds a source; the hub starts it on {@link #build()} and closes it on close. */
    public Builder source(UpdateSource source) {
      sources.add(Objects.requireNonNull(source, "source"));
      return this;
    }

    /** The topic of plain connections at path {@code /}; by default the first topic. */
    public Builder defaultTopic(String name) {
      this.defaultTopic = Topic.requireValidName(name);
      return this;
    }

    /**
     * Runs topic work (applying states, encoding, fan-out) on this executor instead of a pool the
     * hub creates. The caller owns it.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Runs timers (pings, write timeouts) on this scheduler instead of a thread the hub creates.
     * The caller owns it.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The clock for {@code ts} fields, epochs and timeouts; tests pass a manual one. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Serializes values and messages with this mapper (your modules and settings) instead of a
     * default one. A value without properties still fails at publish rather than going out as
     * {@code {}}.
     */
    public Builder jsonMapper(JsonMapper json) {
      this.json = Objects.requireNonNull(json, "json");
      return this;
    }

    /**
     * Who may connect: a handshake the authenticator finds no identity for is refused with 401, on
     * every transport. None by default: anyone the origin and host checks let in.
     */
    public Builder authenticator(Authenticator authenticator) {
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
      return this;
    }

    /** Which topics each identity may read. None by default: every client reads every topic. */
    public Builder authorizer(TopicAuthorizer authorizer) {
      this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
      return this;
    }

    /**
     * Lets programs in any language publish to these topics over HTTP, on every transport: {@code
     * POST /topics/{topic}} with a JSON body, published as a source would. Off by default.
     *
     * <p>A request needs a credential {@code pushers} accepts in its {@code Authorization} header,
     * such as {@code Bearer TOKEN} for a {@link TokenAuthenticator}: cookies and query parameters
     * are not read, so that another site's page cannot push. Browsers are accepted only from the
     * allowed origins. Credential, rate and topic are checked from the headers, before the body is
     * read. Answers: 202 published; 400 malformed JSON (with the parser's message), a number beyond
     * a double, or not an object for a keyed topic; 401 no valid credential; 403 a topic not named
     * here; 404 no such topic; 408 a body that did not arrive within the handshake timeout; 413 a
     * body over the transport's {@code maxMessageSize}; 422 a value that does not fit the topic's
     * {@link Shape} ({@link Topic#withShape}), naming the field and what was expected; 429 with
     * {@code Retry-After} over 10 pushes a second per identity, or over 100 refused ones (400, 422:
     * they do not count as pushes); 503 with {@code Retry-After} while request bodies in progress
     * from the client's address, or in all, are at their budget ({@code docs/security.md}). Nothing
     * is published unless it answers 202.
     *
     * <p>Topics declared with {@code push:} ({@link DeclaredTopic}) are pushable too, so {@code
     * topics} may be empty when they are all declared so.
     */
    public Builder push(Authenticator pushers, String... topics) {
      this.pushers = Objects.requireNonNull(pushers, "pushers");
      for (String topic : topics) {
        pushable.add(Topic.requireValidName(topic));
      }
      return this;
    }

    /**
     * Adds a topic declared in configuration ({@link DeclaredTopic#of}) with its source; one
     * declared with {@code push:} takes pushes from the hub's pushers ({@link #push}).
     */
    public Builder topic(DeclaredTopic declared) {
      topic(declared.topic());
      source(declared.source());
      if (declared.pushed()) {
        pushable.add(declared.topic().name());
      }
      return this;
    }

    /**
     * Keeps the topics' history in this store, which the hub restores its topics from when it is
     * built (state, {@code epoch} and {@code seq}, so that clients resume across a restart) and
     * closes last when it closes. Without one, history is kept in memory and lost with the process.
     * See {@code docs/history.md}.
     */
    public Builder history(HistoryStore history) {
      this.history = Objects.requireNonNull(history, "history");
      return this;
    }

    /**
     * Validates the configuration, starts the hub and then its sources.
     *
     * <p>A source that brings topics of its own ({@link DeclaresTopics}, such as the screen kit
     * with a {@code topics:} section) adds them and their sources first.
     *
     * @throws IllegalStateException if there is no topic, or the default topic, a pushable topic or
     *     a topic that a source declares ({@link UpdateSource#topics()}) is unknown
     * @throws IllegalArgumentException if a declared topic is wrong, or has the name of another
     */
    public Hub build() {
      for (UpdateSource source : List.copyOf(sources)) {
        if (source instanceof DeclaresTopics declares) {
          declares.declaredTopics().forEach(this::topic);
        }
      }
      if (topics.isEmpty()) {
        throw new IllegalStateException("a hub needs at least one topic");
      }
      if (pushers == null && !pushable.isEmpty()) {
        throw new IllegalStateException(
            "topics "
                + pushable
                + " take pushes, but the hub has no pushers: give it push(authenticator)");
      }
      if (pushers != null && pushable.isEmpty()) {
        throw new IllegalStateException(
            "push(...) names no topic, and no declared topic takes pushes (push: in its"
                + " declaration)");
      }
      for (String topic : pushable) {
        if (!topics.containsKey(topic)) {
          throw new IllegalStateException(
              "pushable topic \"" + topic + "\" is not one of " + topics.keySet());
        }
      }
      for (UpdateSource source : sources) {
        for (String topic : source.topics()) {
          if (!topics.containsKey(topic)) {
            throw new IllegalStateException(
                "source "
                    + source
                    + " publishes on topic \""
                    + topic
                    + "\", which the hub lacks; its topics are "
                    + topics.keySet());
          }
        }
      }
      String fallback = defaultTopic != null ? defaultTopic : topics.keySet().iterator().next();
      if (!topics.containsKey(fallback)) {
        throw new IllegalStateException(
            "default topic \"" + fallback + "\" is not one of " + topics.keySet());
      }
      return new HubImpl(
              new HubConfig(
                  List.copyOf(topics.values()),
                  List.copyOf(sources),
                  fallback,
                  executor,
                  scheduler,
                  clock,
                  json,
                  authenticator,
                  authorizer,
                  pushers,
                  Set.copyOf(pushable),
                  history))
          .start();
    }
  }
}
