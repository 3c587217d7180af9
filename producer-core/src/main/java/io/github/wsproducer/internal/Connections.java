package io.github.wsproducer.internal;

import io.github.wsproducer.protocol.CloseCode;
import io.github.wsproducer.spi.Outbound;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hub's open connections, counted in all and per address, and what a connection needs of its hub:
 * the clock, the counters, its topics to leave or resync, and a timer to drop a stuck socket.
 */
final class Connections {
  private static final Logger log = LoggerFactory.getLogger(Connections.class);

  /** How long a slow consumer gets to take its close frame before the socket is dropped. */
  private static final long ABORT_GRACE_MILLIS = 1000;

  private final Set<ClientConnection> open = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> byAddress = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Counters counters;
  private final Topics topics;
  private final ScheduledExecutorService scheduler;

  Connections(Clock clock, Counters counters, Topics topics, ScheduledExecutorService scheduler) {
    this.clock = clock;
    this.counters = counters;
    this.topics = topics;
    this.scheduler = scheduler;
  }

  Clock clock() {
    return clock;
  }

  Counters counters() {
    return counters;
  }

  void add(ClientConnection connection) {
    open.add(connection);
    if (!connection.isEnvelope()) {
      counters.plainConnections.increment();
    }
    byAddress.merge(connection.address(), 1, Integer::sum);
  }

  /** Forgets a connection and takes it off its topics. */
  void detach(ClientConnection connection) {
    if (open.remove(connection)) {
      if (!connection.isEnvelope()) {
        counters.plainConnections.decrement();
      }
      byAddress.computeIfPresent(connection.address(), (a, n) -> n == 1 ? null : n - 1);
    }
    for (String topic : connection.topics()) {
      topics.get(topic).unsubscribe(connection);
    }
  }

  /** Sends {@code connection} the state of {@code topic} again, having fallen behind on it. */
  void resync(String topic, ClientConnection connection) {
    topics.get(topic).resync(connection);
  }

  int count() {
    return open.size();
  }

  int from(String address) {
    return byAddress.getOrDefault(address, 0);
  }

  /** Drops a transport that has not taken its close frame within a grace period. */
  void abortLater(Outbound transport) {
    try {
      scheduler.schedule(transport::abort, ABORT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      transport.abort();
    }
  }

  /** Called by the hub's timer: closes slow consumers, pings idle connections. */
  void tick(long now) {
    for (ClientConnection c : open) {
      try {
        c.tick(now);
      } catch (RuntimeException e) {
        log.error("connection check failed", e);
      }
    }
  }

  void closeAll(CloseCode code) {
    for (ClientConnection c : open) {
      c.closeWith(code);
    }
  }
}
