package io.github.wsproducer.internal;

import io.github.wsproducer.Authenticator;
import io.github.wsproducer.ClientRequest;
import io.github.wsproducer.Hub;
import io.github.wsproducer.HubStats;
import io.github.wsproducer.Identity;
import io.github.wsproducer.Topic;
import io.github.wsproducer.TopicAuthorizer;
import io.github.wsproducer.TopicStats;
import io.github.wsproducer.UpdateSource;
import io.github.wsproducer.protocol.CloseCode;
import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.spi.HttpRoute;
import io.github.wsproducer.spi.HttpRoutes;
import io.github.wsproducer.spi.HubSpi;
import io.github.wsproducer.spi.Inbound;
import io.github.wsproducer.spi.NamedThreads;
import io.github.wsproducer.spi.Outbound;
import io.github.wsproducer.spi.Replica;
import io.github.wsproducer.spi.TransportOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The {@link Hub} implementation; see its javadoc for the contract. */
public final class HubImpl implements Hub, HubSpi {
  private static final Logger log = LoggerFactory.getLogger(HubImpl.class);

  /** How often connections are checked for write timeouts and pings, and topics for staleness. */
  private static final long TICK_MILLIS = 250;

  /** How long a slow consumer gets to take its close frame before the socket is dropped. */
  private static final long ABORT_GRACE_MILLIS = 1000;

  /** The {@code server} field of {@code hello}. */
  public static final String SERVER = "wsproducer/" + readVersion();

  private final List<Topic> topics;
  private final Map<String, TopicEngine> engines = new LinkedHashMap<>();
  private final Sources sources;
  private final String defaultTopic;
  private final Executor executor;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService ownedExecutor;
  private final ScheduledExecutorService ownedScheduler;
  private final Clock clock;
  private final Codec codec;
  private final Frame hello;
  private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> byAddress = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ScheduledFuture<?> ticker;

  private final Counters counters = new Counters();
  private final Rejections rejections; // refusals and abuse, for the log
  private volatile LongConsumer delivery; // or null
  private final Authenticator authenticator; // or null
  private final TopicAuthorizer authorizer; // or null
  private final List<HttpRoute> routes;

  /** A hub with its sources not yet started; {@link Hub.Builder#build()} starts it. */
  public HubImpl(
      List<Topic> topics,
      List<UpdateSource> sources,
      String defaultTopic,
      Executor executor,
      ScheduledExecutorService scheduler,
      Clock clock,
      JsonMapper json,
      Authenticator authenticator,
      TopicAuthorizer authorizer,
      Authenticator pushers,
      Set<String> pushable) {
    this.codec = new Codec(json);
    List<HttpRoute> routes = new ArrayList<>();
    if (pushers != null) {
      routes.add(new PushApi(this, pushers, pushable));
    }
    for (UpdateSource source : sources) {
      if (source instanceof HttpRoutes offered) {
        routes.addAll(offered.httpRoutes());
      }
    }
    this.routes = List.copyOf(routes);
    this.authenticator = authenticator;
    this.authorizer = authorizer;
    this.topics = topics;
    this.sources = new Sources(this, sources);
    this.defaultTopic = defaultTopic;
    this.clock = clock;
    this.rejections = new Rejections(clock);
    this.ownedExecutor =
        executor == null
            ? Executors.newFixedThreadPool(
                Math.max(2, Runtime.getRuntime().availableProcessors()),
                new NamedThreads("wsproducer-hub"))
            : null;
    this.executor = executor == null ? ownedExecutor : executor;
    this.ownedScheduler =
        scheduler == null
            ? Executors.newSingleThreadScheduledExecutor(new NamedThreads("wsproducer-timer"))
            : null;
    this.scheduler = scheduler == null ? ownedScheduler : scheduler;
    long epoch = clock.millis();
    for (Topic topic : topics) {
      engines.put(topic.name(), new TopicEngine(topic, this, epoch));
    }
    this.hello = codec.hello(SERVER, topics);
    this.ticker =
        this.scheduler.scheduleAtFixedRate(
            this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Starts the sources; returns this hub. */
  public Hub start() {
    sources.start();
    return this;
  }

  @Override
  public void publish(String topic, Object value) {
    publish(topic, value, false);
  }

  @Override
  public void replace(String topic, Object value) {
    publish(topic, value, true);
  }

  private void publish(String topic, Object value, boolean whole) {
    TopicEngine engine = requireEngine(topic);
    JsonNode tree = codec.toTree(topic, value);
    if (closed.get()) {
      log.debug("topic {}: publish after close ignored", topic);
      return;
    }
    counters.published.increment();
    engine.publish(tree, whole);
  }

  @Override
  public void heartbeat(String topic) {
    requireEngine(topic).heartbeat();
  }

  @Override
  public void reportError(String topic, String message) {
    requireEngine(topic).reportError(Objects.requireNonNull(message, "message"));
  }

  @Override
  public boolean isWatched(String topic) {
    return requireEngine(topic).isWatched();
  }

  boolean hasTopic(String topic) {
    return engines.containsKey(topic);
  }

  Set<String> topicNames() {
    return engines.keySet();
  }

  private TopicEngine requireEngine(String topic) {
    TopicEngine engine = engines.get(Objects.requireNonNull(topic, "topic"));
    if (engine == null) {
      counters.errors.increment();
      throw new IllegalArgumentException(
          "unknown topic \"" + topic + "\"; the hub has " + topicNames());
    }
    return engine;
  }

  @Override
  public List<Topic> topics() {
    return topics;
  }

  @Override
  public String defaultTopic() {
    return defaultTopic;
  }

  /** This hub, for the SPI's entry points. */
  public static HubImpl from(Hub hub) {
    if (hub instanceof HubImpl impl) {
      return impl;
    }
    throw new IllegalArgumentException(
        "not a hub built by Hub.builder(): " + (hub == null ? null : hub.getClass().getName()));
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
    TopicEngine engine = requireEngine(topic);
    JsonNode tree = codec.parse(json);
    if (!closed.get()) {
      counters.published.increment();
      engine.applyAt(epoch, seq, tree, whole);
    }
  }

  /** Serializes a value for a replicated log; see {@link Replica#encode}. */
  String encode(String topic, Object value) {
    requireEngine(topic);
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
    TopicEngine plain = plainTopic == null ? null : requireEngine(plainTopic);
    ClientConnection connection =
        new ClientConnection(this, outbound, options, plainTopic == null, address);
    connections.add(connection);
    if (plainTopic != null) {
      counters.plainConnections.increment();
    }
    byAddress.merge(address, 1, Integer::sum);
    if (closed.get()) { // closed while this client connected: close() may have missed it
      connection.closeWith(CloseCode.SERVICE_RESTART);
    } else if (plain == null) {
      connection.offer(authorizer == null ? hello : helloFor(identity));
    } else {
      connection.subscribed(plainTopic);
      plain.subscribe(connection, null);
    }
    if (identity != null && identity.expires() != null) {
      long left = identity.expires().toEpochMilli() - clock.millis();
      scheduler.schedule(
          () -> connection.closeWith(CloseCode.AUTHENTICATION_EXPIRED),
          Math.max(0, left),
          TimeUnit.MILLISECONDS);
    }
    return new ClientMessages(this, connection, identity);
  }

  /** {@code hello} listing only the topics {@code identity} may read. */
  private Frame helloFor(Identity identity) {
    return codec.hello(
        SERVER, topics.stream().filter(t -> authorizer.mayRead(identity, t.name())).toList());
  }

  /**
   * The identity {@code authenticator} finds in {@code request}, or {@code null}: none, expired, or
   * the authenticator failed (logged; a failing authenticator refuses, never admits).
   */
  Identity identify(Authenticator authenticator, ClientRequest request) {
    try {
      Identity identity = authenticator.authenticate(request).orElse(null);
      boolean expired =
          identity != null
              && identity.expires() != null
              && identity.expires().toEpochMilli() <= clock.millis();
      return expired ? null : identity;
    } catch (RuntimeException e) {
      log.error("the authenticator failed on {}; refused", request, e);
      return null;
    }
  }

  /** The hub's authenticator, or {@code null}. */
  Authenticator authenticator() {
    return authenticator;
  }

  /** The HTTP endpoints the hub serves beside its sockets. */
  List<HttpRoute> routes() {
    return routes;
  }

  /** The hub's topic authorizer, or {@code null}. */
  TopicAuthorizer authorizer() {
    return authorizer;
  }

  @Override
  public HubStats stats() {
    return counters.stats(codec.encodings(), connections.size());
  }

  @Override
  public TopicStats topicStats(String topic) {
    return requireEngine(topic).stats();
  }

  /**
   * Adds a listener told, for every update a connection has written, the nanoseconds from its
   * publish to the end of that write. It runs on the thread that completed the write and must
   * return quickly; a metrics library records it.
   */
  public void onDelivery(LongConsumer listener) {
    Objects.requireNonNull(listener, "listener");
    synchronized (counters) {
      LongConsumer before = delivery;
      delivery = before == null ? listener : before.andThen(listener);
    }
  }

  /** The delivery listeners, or {@code null}. */
  LongConsumer delivery() {
    return delivery;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ticker.cancel(false);
    sources.close();
    for (ClientConnection c : connections) {
      c.closeWith(CloseCode.SERVICE_RESTART);
    }
    if (ownedScheduler != null) {
      ownedScheduler.shutdownNow();
    }
    if (ownedExecutor != null) {
      ownedExecutor.shutdown();
    }
  }

  // ---- for the package ----

  int connectionCount() {
    return connections.size();
  }

  int connectionsFrom(String address) {
    return byAddress.getOrDefault(address, 0);
  }

  TopicEngine engine(String topic) {
    return engines.get(topic);
  }

  Codec codec() {
    return codec;
  }

  /** The clock every time the hub and its modules read comes from. */
  public Clock clock() {
    return clock;
  }

  Executor executor() {
    return executor;
  }

  /** Where refusals and connections closed for abuse are logged, limited by kind and address. */
  Rejections rejections() {
    return rejections;
  }

  Counters counters() {
    return counters;
  }

  void detach(ClientConnection connection) {
    if (connections.remove(connection)) {
      if (!connection.isEnvelope()) {
        counters.plainConnections.decrement();
      }
      byAddress.computeIfPresent(connection.address(), (a, n) -> n == 1 ? null : n - 1);
    }
    for (String topic : connection.topics()) {
      engines.get(topic).unsubscribe(connection);
    }
  }

  void abortLater(Outbound transport) {
    try {
      scheduler.schedule(transport::abort, ABORT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      transport.abort();
    }
  }

  private void tick() {
    long now = clock.millis();
    engines.values().forEach(engine -> engine.checkStale(now));
    for (ClientConnection c : connections) {
      try {
        c.tick(now);
      } catch (RuntimeException e) {
        log.error("connection check failed", e);
      }
    }
  }

  private static String readVersion() {
    try (InputStream in = HubImpl.class.getResourceAsStream("version.txt")) {
      return in == null ? "dev" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "dev";
    }
  }
}
