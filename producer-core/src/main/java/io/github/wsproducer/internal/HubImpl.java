package io.github.wsproducer.internal;

import io.github.wsproducer.Hub;
import io.github.wsproducer.HubStats;
import io.github.wsproducer.Identity;
import io.github.wsproducer.Topic;
import io.github.wsproducer.TopicStats;
import io.github.wsproducer.UpdateSource;
import io.github.wsproducer.protocol.CloseCode;
import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.spi.HistoryStore;
import io.github.wsproducer.spi.HttpRoute;
import io.github.wsproducer.spi.HttpRoutes;
import io.github.wsproducer.spi.HubSpi;
import io.github.wsproducer.spi.Inbound;
import io.github.wsproducer.spi.Outbound;
import io.github.wsproducer.spi.Replica;
import io.github.wsproducer.spi.TransportOptions;
import io.github.wsproducer.spi.WatchesTopics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The {@link Hub} implementation; see its javadoc for the contract. It puts the hub's parts
 * together, each handed what it uses: {@link Topics} (the engines), {@link Connections} (the
 * registry), {@link Access}, {@link Sources}, {@link HubThreads}, and the {@link Codec} and {@link
 * Counters} they share; and it is the face the public API and the SPI call.
 */
public final class HubImpl implements Hub, HubSpi {
  private static final Logger log = LoggerFactory.getLogger(HubImpl.class);

  /** How often connections are checked for write timeouts and pings, and topics for staleness. */
  private static final long TICK_MILLIS = 250;

  /** How long a close waits for the topics' last snapshots to be handed to the store. */
  private static final long CLOSE_SNAPSHOTS_SECONDS = 10;

  /** The {@code server} field of {@code hello}. */
  public static final String SERVER = "wsproducer/" + readVersion();

  private final Clock clock;
  private final HistoryStore history;
  private final Codec codec;
  private final Counters counters = new Counters();
  private final HubThreads threads;
  private final Topics topics;
  private final Connections connections;
  private final Access access;
  private final Sources sources;
  private final Rejections rejections; // refusals and abuse, for the log
  private final HistoryReads reads;
  private final List<HttpRoute> routes;
  private final Frame hello;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ScheduledFuture<?> ticker;

  /** A hub with its sources not yet started; {@link Hub.Builder#build()} starts it. */
  public HubImpl(HubConfig config) {
    this.clock = config.clock();
    this.codec = new Codec(config.json());
    this.threads = new HubThreads(config.executor(), config.scheduler());
    this.history = config.history() != null ? config.history() : new MemoryHistory();
    this.topics =
        new Topics(
            config.topics(),
            config.defaultTopic(),
            clock,
            codec,
            counters,
            threads.executor,
            history,
            config.sources().stream()
                .filter(WatchesTopics.class::isInstance)
                .map(WatchesTopics.class::cast)
                .toList());
    this.connections = new Connections(clock, counters, topics, threads.scheduler);
    this.access = new Access(config.authenticator(), config.authorizer(), clock);
    this.sources = new Sources(config.sources(), counters);
    this.rejections = new Rejections(clock);
    this.reads = new HistoryReads(clock, codec);
    List<HttpRoute> routes = new ArrayList<>();
    routes.add(new HistoryRoute(topics, access, reads));
    if (config.pushers() != null) {
      routes.add(new PushApi(this, topics, clock, config.pushers(), config.pushable()));
    }
    for (UpdateSource source : config.sources()) {
      if (source instanceof HttpRoutes offered) {
        routes.addAll(offered.httpRoutes());
      }
    }
    this.routes = List.copyOf(routes);
    this.hello = codec.hello(SERVER, config.topics());
    this.ticker =
        threads.scheduler.scheduleAtFixedRate(
            this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Starts the sources; returns this hub. */
  public Hub start() {
    sources.start(source -> new SourceSink(this, topics, clock, source));
    return this;
  }

  @Override
  public void publish(String topic, Object value) {
    publish(topic, value, false, -1);
  }

  @Override
  public void replace(String topic, Object value) {
    publish(topic, value, true, -1);
  }

  @Override
  public void publishAt(String topic, Object value, Instant at) {
    publish(topic, value, false, Objects.requireNonNull(at, "at").toEpochMilli());
  }

  /** Publishes a value, whole or a change, at {@code pastTs} if it is not negative, else now. */
  private void publish(String topic, Object value, boolean whole, long pastTs) {
    TopicEngine engine = topics.require(topic);
    JsonNode tree = codec.toTree(topic, value);
    if (closed.get()) {
      log.debug("topic {}: publish after close ignored", topic);
      return;
    }
    counters.published.increment();
    engine.publish(tree, whole, pastTs);
  }

  /**
   * Publishes a change that completes once its update is durable in the history store; see {@link
   * TopicEngine#publishDurably}.
   */
  CompletableFuture<Void> publishDurably(String topic, JsonNode value) {
    TopicEngine engine = topics.require(topic);
    if (closed.get()) {
      return CompletableFuture.failedFuture(new IllegalStateException("the hub is closed"));
    }
    counters.published.increment();
    return engine.publishDurably(value);
  }

  @Override
  public void heartbeat(String topic) {
    topics.require(topic).heartbeat();
  }

  @Override
  public void reportError(String topic, String message) {
    topics.require(topic).reportError(Objects.requireNonNull(message, "message"));
  }

  @Override
  public boolean isWatched(String topic) {
    return topics.require(topic).isWatched();
  }

  @Override
  public List<Topic> topics() {
    return topics.list();
  }

  @Override
  public String defaultTopic() {
    return topics.defaultTopic();
  }

  @Override
  public Endpoint endpoint(TransportOptions options) {
    return new HubEndpoint(this, options);
  }

  @Override
  public Replica replica() {
    return new HubReplica(this);
  }

  /** Applies a value at a replicated log's position; see {@link Replica#apply}. */
  void applyAt(String topic, long epoch, long seq, String json, boolean whole) {
    TopicEngine engine = topics.require(topic);
    JsonNode tree = codec.parse(json);
    if (!closed.get()) {
      counters.published.increment();
      engine.applyAt(epoch, seq, tree, whole);
    }
  }

  /** Serializes a value for a replicated log; see {@link Replica#encode}. */
  String encode(String topic, Object value) {
    topics.require(topic);
    return codec.toJson(topic, value);
  }

  /**
   * Registers a connection: an envelope one is sent {@code hello}, a plain one subscribed to its
   * topic (which the caller checked exists). After close, the connection is closed with 1012.
   */
  Inbound open(
      Outbound outbound,
      TransportOptions options,
      String plainTopic,
      String address,
      Identity identity) {
    Objects.requireNonNull(outbound, "outbound");
    TopicEngine plain = plainTopic == null ? null : topics.require(plainTopic);
    ClientConnection connection =
        new ClientConnection(connections, outbound, options, plainTopic == null, address);
    connections.add(connection);
    if (closed.get()) { // closed while this client connected: close() may have missed it
      connection.closeWith(CloseCode.SERVICE_RESTART);
    } else if (plain == null) {
      connection.offer(access.authorizer() == null ? hello : helloFor(identity));
    } else {
      connection.subscribed(plainTopic);
      plain.subscribe(connection, null);
    }
    if (identity != null && identity.expires() != null) {
      long left = identity.expires().toEpochMilli() - clock.millis();
      threads.scheduler.schedule(
          () -> connection.closeWith(CloseCode.AUTHENTICATION_EXPIRED),
          Math.max(0, left),
          TimeUnit.MILLISECONDS);
    }
    return new ClientMessages(connection, identity, topics, codec, access, rejections, reads);
  }

  /** {@code hello} listing only the topics {@code identity} may read. */
  private Frame helloFor(Identity identity) {
    return codec.hello(
        SERVER, topics.list().stream().filter(t -> access.mayRead(identity, t.name())).toList());
  }

  @Override
  public HubStats stats() {
    return counters.stats(codec.encodings(), connections.count());
  }

  @Override
  public TopicStats topicStats(String topic) {
    return topics.require(topic).stats();
  }

  @Override
  public void onDelivery(LongConsumer listener) {
    counters.onDelivery(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ticker.cancel(false);
    sources.close();
    connections.closeAll(CloseCode.SERVICE_RESTART);
    try {
      topics.saveSnapshots().get(CLOSE_SNAPSHOTS_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("not every topic's snapshot was stored within {} s", CLOSE_SNAPSHOTS_SECONDS, e);
    }
    reads.close();
    history.close();
    threads.close();
  }

  @Override
  public Clock clock() {
    return clock;
  }

  // ---- the parts, for HubEndpoint ----

  Connections connections() {
    return connections;
  }

  Access access() {
    return access;
  }

  Counters counters() {
    return counters;
  }

  Codec codec() {
    return codec;
  }

  /** Where refusals and connections closed for abuse are logged, limited by kind and address. */
  Rejections rejections() {
    return rejections;
  }

  /** The HTTP endpoints the hub serves beside its sockets. */
  List<HttpRoute> routes() {
    return routes;
  }

  private void tick() {
    long now = clock.millis();
    topics.checkStale(now);
    connections.tick(now);
  }

  private static String readVersion() {
    try (InputStream in = HubImpl.class.getResourceAsStream("version.txt")) {
      return in == null ? "dev" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "dev";
    }
  }
}
