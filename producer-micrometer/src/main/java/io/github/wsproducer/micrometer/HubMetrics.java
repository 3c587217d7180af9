package io.github.wsproducer.micrometer;

import io.github.wsproducer.Hub;
import io.github.wsproducer.HubStats;
import io.github.wsproducer.Topic;
import io.github.wsproducer.spi.HubSpi;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The meters of a {@link Hub}, for any Micrometer registry. Counters and gauges read {@link
 * Hub#stats()} and {@link Hub#topicStats} when the registry asks; the delivery timer is told of
 * each update as its write ends. Tags are bounded: the topic's name, and a few fixed words.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code wsproducer.connections}</td><td>gauge</td><td>{@code form}: {@code envelope},
 *       {@code plain}</td><td>open connections</td></tr>
 *   <tr><td>{@code wsproducer.topic.subscribers}</td><td>gauge</td><td>{@code topic}</td>
 *       <td>connections subscribed to the topic</td></tr>
 *   <tr><td>{@code wsproducer.topic.stale}</td><td>gauge</td><td>{@code topic}</td><td>1 while
 *       subscribers are told the topic is stale, else 0</td></tr>
 *   <tr><td>{@code wsproducer.topic.error}</td><td>gauge</td><td>{@code topic}</td><td>1 while
 *       the error its source reported stands, else 0</td></tr>
 *   <tr><td>{@code wsproducer.topic.age}</td><td>time gauge</td><td>{@code topic}</td><td>time
 *       since the topic's data was last known current</td></tr>
 *   <tr><td>{@code wsproducer.source.errors}</td><td>counter</td><td>{@code topic}</td><td>errors
 *       sources reported for the topic</td></tr>
 *   <tr><td>{@code wsproducer.published}</td><td>counter</td><td></td><td>values published</td>
 *       </tr>
 *   <tr><td>{@code wsproducer.updates}</td><td>counter</td><td></td><td>updates sent to
 *       subscribers</td></tr>
 *   <tr><td>{@code wsproducer.frames.sent}</td><td>counter</td><td></td><td>frames written, each
 *       connection counted</td></tr>
 *   <tr><td>{@code wsproducer.payload.sent}</td><td>counter, bytes</td><td></td><td>their payload
 *       bytes</td></tr>
 *   <tr><td>{@code wsproducer.frames.dropped}</td><td>counter</td><td></td><td>frames dropped for
 *       a connection over its byte cap</td></tr>
 *   <tr><td>{@code wsproducer.resyncs}</td><td>counter</td><td></td><td>snapshots sent to
 *       connections that fell behind</td></tr>
 *   <tr><td>{@code wsproducer.closes}</td><td>counter</td><td>{@code reason}: {@code
 *       slow-consumer}, {@code unresponsive}</td><td>connections the hub closed</td></tr>
 *   <tr><td>{@code wsproducer.handshakes.rejected}</td><td>counter</td><td>{@code reason}: see
 *       {@link HubStats#rejectedHandshakes()}</td><td>refused WebSocket handshakes</td></tr>
 *   <tr><td>{@code wsproducer.errors}</td><td>counter</td><td></td><td>failures the hub logged and
 *       survived ({@link HubStats#errors()})</td></tr>
 *   <tr><td>{@code wsproducer.delivery}</td><td>timer</td><td></td><td>from an update's publish
 *       to the end of its write, per connection</td></tr>
 * </table>
 *
 * <pre>{@code
 * new HubMetrics(hub).bindTo(registry);
 * }</pre>
 *
 * <p>Spring Boot's starter binds it by itself.
 */
public final class HubMetrics implements MeterBinder {
  private final Hub hub;
  private final Clock clock; // the hub's: a topic's age is read as the hub reads time
  private final Tags tags;

  /** The meters of {@code hub}, without extra tags. */
  public HubMetrics(Hub hub) {
    this(hub, Tags.empty());
  }

  /**
   * The meters of {@code hub}, each with {@code tags} too (to tell several hubs apart).
   *
   * @throws IllegalArgumentException if {@code hub} was not built by {@link Hub#builder()}
   */
  public HubMetrics(Hub hub, Iterable<Tag> tags) {
    this.clock = HubSpi.of(hub).clock(); // fails now, not at the first scrape
    this.hub = hub;
    this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    gauge(
        registry,
        "wsproducer.connections",
        "Open connections",
        Tags.of("form", "envelope"),
        h -> {
          HubStats s = h.stats();
          return s.connections() - s.plainConnections();
        });
    gauge(
        registry,
        "wsproducer.connections",
        "Open connections",
        Tags.of("form", "plain"),
        h -> h.stats().plainConnections());
    counter(
        registry,
        "wsproducer.published",
        "Values published",
        Tags.empty(),
        null,
        s -> s.published());
    counter(
        registry,
        "wsproducer.updates",
        "Updates sent to subscribers",
        Tags.empty(),
        null,
        s -> s.updates());
    counter(
        registry,
        "wsproducer.frames.sent",
        "Frames written, each connection counted",
        Tags.empty(),
        null,
        s -> s.framesSent());
    counter(
        registry,
        "wsproducer.payload.sent",
        "Payload bytes of the frames written",
        Tags.empty(),
        BaseUnits.BYTES,
        s -> s.bytesSent());
    counter(
        registry,
        "wsproducer.frames.dropped",
        "Frames dropped for a connection over its byte cap",
        Tags.empty(),
        null,
        s -> s.dropped());
    counter(
        registry,
        "wsproducer.resyncs",
        "Snapshots sent to connections that fell behind",
        Tags.empty(),
        null,
        s -> s.resyncs());
    counter(
        registry,
        "wsproducer.closes",
        "Connections the hub closed",
        Tags.of("reason", "slow-consumer"),
        null,
        s -> s.slowConsumerCloses());
    counter(
        registry,
        "wsproducer.closes",
        "Connections the hub closed",
        Tags.of("reason", "unresponsive"),
        null,
        s -> s.unresponsiveCloses());
    counter(
        registry,
        "wsproducer.errors",
        "Failures the hub logged and survived",
        Tags.empty(),
        null,
        s -> s.errors());
    for (String reason : hub.stats().rejectedHandshakes().keySet()) {
      counter(
          registry,
          "wsproducer.handshakes.rejected",
          "Refused WebSocket handshakes",
          Tags.of("reason", reason),
          null,
          s -> s.rejectedHandshakes().get(reason));
    }
    for (Topic topic : hub.topics()) {
      String name = topic.name();
      Tags t = Tags.of("topic", name);
      gauge(
          registry,
          "wsproducer.topic.subscribers",
          "Connections subscribed to the topic",
          t,
          h -> h.topicStats(name).subscribers());
      gauge(
          registry,
          "wsproducer.topic.stale",
          "1 while the topic is announced stale",
          t,
          h -> h.topicStats(name).stale() ? 1 : 0);
      gauge(
          registry,
          "wsproducer.topic.error",
          "1 while an error its source reported stands",
          t,
          h -> h.topicStats(name).error() == null ? 0 : 1);
      TimeGauge.builder(
              "wsproducer.topic.age",
              hub,
              TimeUnit.MILLISECONDS,
              h -> Math.max(0, clock.millis() - h.topicStats(name).freshAt().toEpochMilli()))
          .description("Time since the topic's data was last known current")
          .tags(tags.and(t))
          .register(registry);
      FunctionCounter.builder("wsproducer.source.errors", hub, h -> h.topicStats(name).errors())
          .description("Errors sources reported for the topic")
          .tags(tags.and(t))
          .register(registry);
    }
    Timer delivery =
        Timer.builder("wsproducer.delivery")
            .description("Time from an update's publish to the end of its write, per connection")
            .tags(tags)
            .register(registry);
    HubSpi.of(hub).onDelivery(nanos -> delivery.record(nanos, TimeUnit.NANOSECONDS));
  }

  private void gauge(
      MeterRegistry registry,
      String name,
      String description,
      Tags extra,
      ToDoubleFunction<Hub> value) {
    Gauge.builder(name, hub, value)
        .description(description)
        .tags(tags.and(extra))
        .register(registry);
  }

  private void counter(
      MeterRegistry registry,
      String name,
      String description,
      Tags extra,
      String unit,
      ToDoubleFunction<HubStats> value) {
    FunctionCounter.builder(name, hub, h -> value.applyAsDouble(h.stats()))
        .description(description)
        .baseUnit(unit)
        .tags(tags.and(extra))
        .register(registry);
  }
}
