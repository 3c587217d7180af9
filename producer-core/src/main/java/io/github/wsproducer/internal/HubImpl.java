package io.github.wsproducer.internal;

import io.github.wsproducer.Hub;
import io.github.wsproducer.HubStats;
import io.github.wsproducer.Topic;
import io.github.wsproducer.UpdateSource;
import io.github.wsproducer.protocol.CloseCode;
import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.spi.Inbound;
import io.github.wsproducer.spi.Outbound;
import io.github.wsproducer.spi.Replica;
import io.github.wsproducer.spi.TransportOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The {@link Hub} implementation; see its javadoc for the contract. */
public final class HubImpl implements Hub {
  private static final Logger log = LoggerFactory.getLogger(HubImpl.class);

  /** How often connections are checked for write timeouts and pings, and topics for staleness. */
  private static final long TICK_MILLIS = 250;

  /** How long {@link #close()} waits for the sources to close. */
  private static final long SOURCE_CLOSE_MILLIS = 10_000;

  /** How long a slow consumer gets to take its close frame before the socket is dropped. */
  private static final long ABORT_GRACE_MILLIS = 1000;

  /** The {@code server} field of {@code hello}. */
  public static final String SERVER = "wsproducer/" + readVersion();

  private final List<Topic> topics;
  private final Map<String, TopicEngine> engines = new LinkedHashMap<>();
  private final List<UpdateSource> sources;
  private final String defaultTopic;
  private final Executor executor;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService ownedExecutor;
  private final ScheduledExecutorService ownedScheduler;
  private final Clock clock;
  private final Codec codec;
  private final Frame hello;
  private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ScheduledFuture<?> ticker;

  private final LongAdder published = new LongAdder();
  private final LongAdder updates = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder resyncs = new LongAdder();
  private final LongAdder slowConsumerCloses = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAccumulator peakOfClosed = new LongAccumulator(Math::max, 0);

  private HubImpl(
      List<Topic> topics,
      List<UpdateSource> sources,
      String defaultTopic,
      Executor executor,
      ScheduledExecutorService scheduler,
      Clock clock,
      JsonMapper json) {
    this.codec = new Codec(json);
    this.topics = topics;
    this.sources = sources;
    this.defaultTopic = defaultTopic;
    this.clock = clock;
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

  /** Builds a hub and starts its sources; called by {@link Hub.Builder#build()}. */
  public static Hub start(
      List<Topic> topics,
      List<UpdateSource> sources,
      String defaultTopic,
      Executor executor,
      ScheduledExecutorService scheduler,
      Clock clock,
      JsonMapper json) {
    HubImpl hub = new HubImpl(topics, sources, defaultTopic, executor, scheduler, clock, json);
    for (UpdateSource source : sources) {
      try {
        source.start(new SourceSink(hub, source));
      } catch (RuntimeException e) {
        hub.countError();
        log.error("source {} failed to start; the hub serves without it", source, e);
      }
    }
    return hub;
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
    published.increment();
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
      countError();
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

  /** See {@link Endpoint#of}. */
  public Endpoint endpoint(TransportOptions options) {
    return new HubEndpoint(this, options);
  }

  /** See {@link Replica#of}. */
  public Replica replica() {
    return new Replica() {
      @Override
      public String encode(String topic, Object value) {
        requireEngine(topic);
        return codec.toJson(topic, value);
      }

      @Override
      public void apply(String topic, long epoch, long seq, String json, boolean whole) {
        TopicEngine engine = requireEngine(topic);
        JsonNode tree = codec.parse(json);
        if (!closed.get()) {
          published.increment();
          engine.applyAt(epoch, seq, tree, whole);
        }
      }
    };
  }

  /**
   * Registers a connection: an envelope one is sent {@code hello}, a plain one subscribed to its
   * topic (which the caller checked exists). After close, the connection is closed with 1012.
   */
  Inbound open(Outbound outbound, TransportOptions options, String plainTopic) {
    Objects.requireNonNull(outbound, "outbound");
    TopicEngine plain = plainTopic == null ? null : requireEngine(plainTopic);
    ClientConnection connection = new ClientConnection(this, outbound, options, plainTopic == null);
    connections.add(connection);
    if (closed.get()) { // closed while this client connected: close() may have missed it
      connection.closeWith(CloseCode.SERVICE_RESTART);
    } else if (plain == null) {
      connection.offer(hello);
    } else {
      connection.subscribed(plainTopic);
      plain.subscribe(connection, null);
    }
    return new ClientMessages(this, connection);
  }

  @Override
  public HubStats stats() {
    long peak = peakOfClosed.get();
    for (ClientConnection c : connections) {
      peak = Math.max(peak, c.peakQueuedBytes());
    }
    return new HubStats(
        published.sum(),
        updates.sum(),
        codec.encodings(),
        connections.size(),
        dropped.sum(),
        resyncs.sum(),
        slowConsumerCloses.sum(),
        peak,
        errors.sum());
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ticker.cancel(false);
    closeSources();
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

  /**
   * Closes the sources side by side and waits for them a bounded time: a source stuck in its close
   * (a query that hangs) must not keep the hub from closing. Whatever such a source publishes later
   * is ignored, the hub being closed.
   */
  private void closeSources() {
    if (sources.isEmpty()) {
      return;
    }
    ExecutorService closer = Executors.newCachedThreadPool(new NamedThreads("wsproducer-close"));
    Map<UpdateSource, Future<?>> closing = new LinkedHashMap<>();
    for (UpdateSource source : sources) {
      closing.put(
          source,
          closer.submit(
              () -> {
                try {
                  source.close();
                } catch (RuntimeException e) {
                  countError();
                  log.error("source {} failed to close", source, e);
                }
              }));
    }
    closer.shutdown();
    try {
      closer.awaitTermination(SOURCE_CLOSE_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closing.forEach(
        (source, done) -> {
          if (!done.isDone()) {
            countError();
            log.warn(
                "source {} did not close within {} ms; the hub closes without waiting for it",
                source,
                SOURCE_CLOSE_MILLIS);
          }
        });
  }

  // ---- for the package ----

  TopicEngine engine(String topic) {
    return engines.get(topic);
  }

  Codec codec() {
    return codec;
  }

  Clock clock() {
    return clock;
  }

  Executor executor() {
    return executor;
  }

  void detach(ClientConnection connection) {
    if (connections.remove(connection)) {
      peakOfClosed.accumulate(connection.peakQueuedBytes());
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

  void countUpdate() {
    updates.increment();
  }

  void countDropped(int frames) {
    dropped.add(frames);
  }

  void countResync() {
    resyncs.increment();
  }

  void countSlowConsumerClose() {
    slowConsumerCloses.increment();
  }

  void countError() {
    errors.increment();
  }

  private static String readVersion() {
    try (InputStream in = HubImpl.class.getResourceAsStream("version.txt")) {
      return in == null ? "dev" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "dev";
    }
  }
}
