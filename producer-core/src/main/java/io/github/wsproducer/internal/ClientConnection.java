package io.github.wsproducer.internal;

import io.github.wsproducer.protocol.CloseCode;
import io.github.wsproducer.spi.Outbound;
import io.github.wsproducer.spi.TextFrame;
import io.github.wsproducer.spi.TransportOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection's outgoing side: its byte-capped queue of frames, the single write in
 * flight, which topics it has fallen behind on, pings and the write timeout. What the client sends
 * is {@link ClientMessages}' job.
 *
 * <p>The connection's lock (its monitor) guards only queue bookkeeping; transport calls and hub
 * calls happen outside it. The connection is itself the callback of its writes, and its lock, its
 * queue's first frame and a one-frame send's list are its own fields, not objects of their own, as
 * idle connections are many.
 */
final class ClientConnection implements Outbound.SendCallback {
  private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);
  private static final long[] NONE = {};

  private final Connections home;
  private final Outbound transport;
  private final String address;
  private final boolean envelope;
  private final TransportOptions options; // shared by a transport's connections
  // Replaced, not changed: a connection has a few topics, and idle connections are many.
  private Set<String> topics = Set.of();
  private boolean detached; // from the hub
  // The queue: its first frame, then the rest, made when first needed, as most writes complete
  // before the next frame comes. Empty when first is null.
  private Frame first;
  private ArrayDeque<Frame> rest;
  // The topics it has fallen behind on, each with whether its resync is requested yet; made when
  // first needed, as most connections never fall behind.
  private Map<String, Boolean> behind;
  private long queuedBytes; // queued frames plus those in flight
  private long peakQueuedBytes; // this connection's; the hub keeps the most of all
  private boolean writing; // a send is in flight
  private List<TextFrame> inFlight; // of the send in flight
  private long inFlightBytes;
  // Of the updates in flight, when delivery is timed; allocated then, as idle connections are many.
  private long[] publishedAt = NONE;
  private int timed;
  private boolean sendReturned; // of the write in flight
  private boolean completed; // of the write in flight
  private long writeStartedAt;
  private long lastSentAt;
  private long lastPingAt;
  private long unansweredPingAt = -1; // the first ping since the last pong, or -1
  private boolean open = true;
  private CloseCode closing; // once set, what is queued goes out, then the connection closes

  ClientConnection(
      Connections home,
      Outbound transport,
      TransportOptions options,
      boolean envelope,
      String address) {
    this.home = home;
    this.address = address;
    this.transport = transport;
    this.envelope = envelope;
    this.options = options;
    this.lastSentAt = home.clock().millis();
    // Each connection's pings keep a phase of their own within the interval. Connections made
    // together (every screen after a restart) would otherwise all be pinged in the same tick, a
    // burst of control frames through the transport's writer at once, every interval.
    long pingMillis = options.pingInterval().toMillis();
    this.lastPingAt =
        pingMillis > 0 ? lastSentAt - ThreadLocalRandom.current().nextLong(pingMillis) : lastSentAt;
  }

  boolean isEnvelope() {
    return envelope;
  }

  /** Whether it is open and not closing. */
  boolean isOpen() {
    synchronized (this) {
      return open && closing == null;
    }
  }

  Set<String> topics() {
    synchronized (this) {
      return topics;
    }
  }

  void subscribed(String topic) {
    synchronized (this) {
      if (!topics.contains(topic)) {
        String[] with = topics.toArray(new String[topics.size() + 1]);
        with[with.length - 1] = topic;
        topics = Set.of(with);
      }
    }
  }

  void unsubscribed(String topic) {
    synchronized (this) {
      topics =
          topics.stream().filter(t -> !t.equals(topic)).collect(Collectors.toUnmodifiableSet());
    }
  }

  String address() {
    return address;
  }

  String describe() {
    return transport.describe();
  }

  /** Queues a frame and sends it, with whatever else is queued. */
  void offer(Frame frame) {
    if (enqueue(frame)) {
      drain();
    }
  }

  /**
   * Queues a frame without sending it: {@link #flush} sends. A frame that would take the connection
   * over its byte cap is dropped instead; if it belongs to a topic, the connection is marked behind
   * on that topic: its queued frames of the topic are dropped too, and once the queue drains it
   * gets a fresh snapshot instead.
   *
   * @return whether the frame was queued and no write is in flight, so that a flush would send it
   */
  boolean enqueue(Frame frame) {
    for (boolean flushed = false; ; flushed = true) {
      synchronized (this) {
        if (!open || closing != null) {
          return false;
        }
        String topic = frame.topic();
        if (topic != null && behind != null && behind.containsKey(topic)) {
          home.counters().dropped.add(1);
          return false;
        }
        if (queuedBytes == 0 || queuedBytes + frame.bytes() <= options.maxQueuedBytes()) {
          if (first == null) {
            first = frame;
          } else {
            (rest == null ? rest = new ArrayDeque<>(4) : rest).addLast(frame);
          }
          queuedBytes += frame.bytes();
          if (queuedBytes > peakQueuedBytes) { // rare once a connection has settled
            peakQueuedBytes = queuedBytes;
            home.counters().peakQueuedBytes.accumulate(queuedBytes);
          }
          return !writing;
        }
        if (writing || flushed) { // the client really does not keep up
          home.counters().dropped.add(topic == null ? 1 : 1 + fallBehind(topic));
          return false;
        }
      }
      drain(); // the queue holds only frames not yet flushed: send them, then try again
    }
  }

  /** Sends what {@link #enqueue} queued, unless a write is in flight: its callback sends it. */
  void flush() {
    drain();
  }

  /** Drops the queued frames of a topic; returns how many. Holds the lock. */
  private int fallBehind(String topic) {
    if (behind == null) {
      behind = new HashMap<>(4);
    }
    behind.putIfAbsent(topic, false);
    int dropped = 0;
    for (Frame f = first; f != null && topic.equals(f.topic()); f = first) {
      poll();
      queuedBytes -= f.bytes();
      dropped++;
    }
    if (rest != null) {
      for (Iterator<Frame> it = rest.iterator(); it.hasNext(); ) {
        Frame f = it.next();
        if (topic.equals(f.topic())) {
          it.remove();
          queuedBytes -= f.bytes();
          dropped++;
        }
      }
    }
    return dropped;
  }

  /** Takes the first queued frame, or null. Holds the lock. */
  private Frame poll() {
    Frame f = first;
    first = rest == null ? null : rest.pollFirst();
    return f;
  }

  /** Called by the topic in its own order: the connection is caught up on that topic again. */
  void resynced(String topic, Frame snapshot) {
    synchronized (this) {
      if (behind != null && behind.remove(topic) != null && behind.isEmpty()) {
        behind = null;
      }
    }
    if (snapshot != null) {
      offer(snapshot);
    }
  }

  /**
   * Sends everything queued in one write, again and again until the queue is empty or a write is
   * pending. Frames that queue up behind a write in flight thus share the next one.
   */
  private void drain() {
    while (true) {
      boolean send = false;
      CloseCode close = null;
      List<String> resyncs = null;
      synchronized (this) {
        if (!open || writing) {
          return;
        }
        boolean timing = home.counters().delivery() != null;
        for (Frame f; (f = poll()) != null; ) {
          if (inFlight == null) {
            // Most sends are of one frame.
            inFlight = first == null ? List.of(f.text()) : new ArrayList<>(List.of(f.text()));
          } else {
            inFlight.add(f.text());
          }
          inFlightBytes += f.bytes();
          if (timing && f.publishedAt() != 0) {
            if (timed == publishedAt.length) {
              publishedAt = Arrays.copyOf(publishedAt, Math.max(8, timed * 2));
            }
            publishedAt[timed++] = f.publishedAt();
          }
        }
        if (inFlight != null) {
          send = writing = true;
          sendReturned = false;
          completed = false;
          writeStartedAt = lastSentAt = home.clock().millis();
        } else if (closing != null) {
          close = closing;
        } else if (behind != null) {
          for (Map.Entry<String, Boolean> topic : behind.entrySet()) {
            if (!topic.getValue()) {
              topic.setValue(true);
              (resyncs == null ? resyncs = new ArrayList<>() : resyncs).add(topic.getKey());
            }
          }
        }
      }
      if (close != null) {
        closeWith(close);
        return;
      }
      if (!send) {
        if (resyncs != null) {
          resyncs.forEach(topic -> home.resync(topic, this));
        }
        return;
      }
      transport.send(inFlight, this);
      synchronized (this) {
        sendReturned = true;
        if (!completed) {
          return; // the callback continues draining
        }
        writeDone();
        if (first == null && closing == null && behind == null) {
          return; // the common case, without another pass
        }
      }
    }
  }

  /**
   * The write in flight is done; continue draining, unless send has not returned yet: then the
   * transport may still be reading the frames, and drain continues once it returns.
   */
  @Override
  public void succeeded() {
    synchronized (this) {
      completed = true;
      if (!sendReturned) {
        return;
      }
      writeDone();
    }
    drain();
  }

  /** The write in flight succeeded. Holds the lock. */
  private void writeDone() {
    home.counters().framesSent.add(inFlight.size());
    home.counters().bytesSent.add(inFlightBytes);
    LongConsumer delivery = home.counters().delivery();
    if (timed > 0 && delivery != null) {
      long now = System.nanoTime();
      for (int i = 0; i < timed; i++) {
        delivery.accept(now - publishedAt[i]);
      }
    }
    timed = 0;
    writing = false;
    inFlight = null;
    queuedBytes -= inFlightBytes;
    inFlightBytes = 0;
  }

  @Override
  public void failed(Throwable cause) {
    log.debug("{}: write failed, connection dropped", transport.describe(), cause);
    synchronized (this) {
      completed = true;
      timed = 0;
    }
    shutdown();
    transport.abort();
  }

  /** Called by the hub's timer: closes a slow consumer, pings an idle connection. */
  void tick(long now) {
    long writeTimeoutMillis = options.writeTimeout().toMillis();
    long pongTimeoutMillis = options.pongTimeout().toMillis();
    long pingMillis = options.pingInterval().toMillis();
    CloseCode close = null;
    boolean ping = false;
    boolean idle = false;
    synchronized (this) {
      if (!open) {
        return;
      }
      if (writing && now - writeStartedAt >= writeTimeoutMillis) {
        close = CloseCode.SLOW_CONSUMER;
      } else if (unansweredPingAt >= 0 && now - unansweredPingAt >= pongTimeoutMillis) {
        close = CloseCode.UNRESPONSIVE;
      } else if (pingMillis > 0 && now - lastPingAt >= pingMillis) {
        ping = true;
        lastPingAt = now;
        if (unansweredPingAt < 0) {
          unansweredPingAt = now;
        }
        idle = !writing && now - lastSentAt >= pingMillis;
        if (idle) {
          lastSentAt = now;
        }
      }
    }
    if (close != null) {
      log.info(
          "{}: {}, closing",
          transport.describe(),
          close == CloseCode.SLOW_CONSUMER
              ? "no write finished in " + writeTimeoutMillis + " ms"
              : "no pong within " + pongTimeoutMillis + " ms");
      (close == CloseCode.SLOW_CONSUMER
              ? home.counters().slowConsumerCloses
              : home.counters().unresponsiveCloses)
          .increment();
      closeWith(close);
      home.abortLater(transport);
    } else if (ping) {
      // Pings go out whatever the traffic, so that a client that stopped reading is found; an
      // idle envelope client also gets a ping message, which its watchdog sees.
      transport.ping();
      if (envelope && idle) {
        offer(Codec.ping(now));
      }
    }
  }

  /** The client answered a ping. */
  void ponged() {
    synchronized (this) {
      unansweredPingAt = -1;
    }
  }

  /**
   * Leaves every topic and stops queuing, sends what is queued (the error answers the client is
   * owed), then closes with {@code code}. A client that does not read meanwhile meets the write
   * timeout.
   */
  void closeAfterQueued(CloseCode code) {
    boolean detach;
    synchronized (this) {
      if (!open || closing != null) {
        return;
      }
      closing = code;
      detach = !detached;
      detached = true;
    }
    if (detach) {
      home.detach(this);
    }
    drain();
  }

  /** Stops queuing, closes the transport with a code, and leaves every topic. */
  void closeWith(CloseCode code) {
    shutdown();
    transport.close(code.code(), code.reason());
  }

  /** The client is gone: stops queuing and leaves every topic. Idempotent. */
  void shutdown() {
    boolean detach;
    synchronized (this) {
      open = false;
      first = null;
      rest = null;
      queuedBytes = inFlightBytes;
      detach = !detached;
      detached = true;
    }
    if (detach) {
      home.detach(this);
    }
  }
}
