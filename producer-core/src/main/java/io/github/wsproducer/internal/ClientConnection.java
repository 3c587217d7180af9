package io.github.wsproducer.internal;

import io.github.wsproducer.CloseCodes;
import io.github.wsproducer.Topic;
import io.github.wsproducer.spi.Connection;
import io.github.wsproducer.spi.ConnectionLimits;
import io.github.wsproducer.spi.Transport;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One client connection: its byte-capped queue of frames, the single write in flight, which topics
 * it has fallen behind on, and the envelope protocol's client messages.
 *
 * <p>The lock guards only queue bookkeeping; transport calls and hub calls happen outside it. The
 * connection is itself the callback of its writes: with one write in flight at a time, nothing
 * needs to be allocated per frame.
 */
final class ClientConnection implements Connection, Transport.SendCallback {
  private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);

  /** Invalid messages in a row that close the connection with a policy violation. */
  static final int MAX_CONSECUTIVE_ERRORS = 10;

  private final HubImpl hub;
  private final Transport transport;
  private final boolean envelope;
  private final long maxQueuedBytes;
  private final long writeTimeoutMillis;
  private final long pingMillis;
  private final Set<String> topics = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean detached = new AtomicBoolean();

  private final Object lock = new Object();
  private final ArrayDeque<Frame> queue = new ArrayDeque<>();
  private final Set<String> behind = new HashSet<>();
  private final Set<String> resyncRequested = new HashSet<>();
  private long queuedBytes; // queued frames plus those in flight
  private long peakQueuedBytes;
  private boolean writing; // a send is in flight
  private long inFlightBytes;
  private final List<ByteBuffer> inFlight = new ArrayList<>(); // reused: one send at a time
  private boolean sendReturned; // of the write in flight
  private boolean completed; // of the write in flight
  private long writeStartedAt;
  private long lastSentAt;
  private boolean open = true;
  private int consecutiveErrors;

  ClientConnection(HubImpl hub, Transport transport, ConnectionLimits limits, boolean envelope) {
    this.hub = hub;
    this.transport = transport;
    this.envelope = envelope;
    this.maxQueuedBytes = limits.maxQueuedBytes();
    this.writeTimeoutMillis = limits.writeTimeout().toMillis();
    this.pingMillis = limits.pingInterval().toMillis();
    this.lastSentAt = hub.clock().millis();
  }

  boolean isEnvelope() {
    return envelope;
  }

  boolean isOpen() {
    synchronized (lock) {
      return open;
    }
  }

  long peakQueuedBytes() {
    synchronized (lock) {
      return peakQueuedBytes;
    }
  }

  Set<String> topics() {
    return topics;
  }

  void subscribed(String topic) {
    topics.add(topic);
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
      synchronized (lock) {
        if (!open) {
          return false;
        }
        String topic = frame.topic();
        if (topic != null && !behind.isEmpty() && behind.contains(topic)) {
          hub.countDropped(1);
          return false;
        }
        if (queuedBytes == 0 || queuedBytes + frame.bytes() <= maxQueuedBytes) {
          queue.addLast(frame);
          queuedBytes += frame.bytes();
          peakQueuedBytes = Math.max(peakQueuedBytes, queuedBytes);
          return !writing;
        }
        if (writing || flushed) { // the client really does not keep up
          hub.countDropped(topic == null ? 1 : 1 + fallBehind(topic));
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
    behind.add(topic);
    int dropped = 0;
    for (Iterator<Frame> it = queue.iterator(); it.hasNext(); ) {
      Frame f = it.next();
      if (topic.equals(f.topic())) {
        it.remove();
        queuedBytes -= f.bytes();
        dropped++;
      }
    }
    return dropped;
  }

  /** Called by the topic in its own order: the connection is caught up on that topic again. */
  void resynced(String topic, Frame snapshot) {
    synchronized (lock) {
      behind.remove(topic);
      resyncRequested.remove(topic);
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
      List<String> resyncs = null;
      synchronized (lock) {
        if (!open || writing) {
          return;
        }
        for (Frame f; (f = queue.pollFirst()) != null; ) {
          inFlight.add(f.payload());
          inFlightBytes += f.bytes();
        }
        if (!inFlight.isEmpty()) {
          send = writing = true;
          sendReturned = false;
          completed = false;
          writeStartedAt = lastSentAt = hub.clock().millis();
        } else if (!behind.isEmpty()) { // (iterating even an empty set allocates)
          for (String topic : behind) {
            if (resyncRequested.add(topic)) {
              (resyncs == null ? resyncs = new ArrayList<>() : resyncs).add(topic);
            }
          }
        }
      }
      if (!send) {
        if (resyncs != null) {
          resyncs.forEach(topic -> hub.engine(topic).resync(this));
        }
        return;
      }
      transport.send(inFlight, this);
      synchronized (lock) {
        sendReturned = true;
        if (!completed) {
          return; // the callback continues draining
        }
        writeDone();
      }
    }
  }

  /**
   * The write in flight is done; continue draining, unless send has not returned yet: then the
   * transport may still be reading the frames, and drain continues once it returns.
   */
  @Override
  public void succeeded() {
    synchronized (lock) {
      completed = true;
      if (!sendReturned) {
        return;
      }
      writeDone();
    }
    drain();
  }

  /** Holds the lock. */
  private void writeDone() {
    writing = false;
    inFlight.clear();
    queuedBytes -= inFlightBytes;
    inFlightBytes = 0;
  }

  @Override
  public void failed(Throwable cause) {
    log.debug("{}: write failed, connection dropped", transport.describe(), cause);
    synchronized (lock) {
      completed = true;
    }
    shutdown();
    transport.abort();
  }

  /** Called by the hub's timer: closes a slow consumer, pings an idle connection. */
  void tick(long now) {
    boolean slow = false;
    boolean ping = false;
    synchronized (lock) {
      if (!open) {
        return;
      }
      if (writing && now - writeStartedAt >= writeTimeoutMillis) {
        slow = true;
      } else if (pingMillis > 0 && !writing && now - lastSentAt >= pingMillis) {
        ping = true;
        lastSentAt = now;
      }
    }
    if (slow) {
      log.info(
          "{}: no write finished in {} ms, closing as a slow consumer",
          transport.describe(),
          writeTimeoutMillis);
      hub.countSlowConsumerClose();
      closeWith(CloseCodes.SLOW_CONSUMER, "slow consumer");
      hub.abortLater(transport);
    } else if (ping) {
      if (envelope) {
        offer(Codec.ping(now));
      } else {
        transport.ping();
      }
    }
  }

  /** Stops queuing, closes the transport with a code, and leaves every topic. */
  void closeWith(int code, String reason) {
    shutdown();
    transport.close(code, reason);
  }

  @Override
  public void onClose() {
    shutdown();
  }

  private void shutdown() {
    synchronized (lock) {
      open = false;
      queue.clear();
      queuedBytes = inFlightBytes;
    }
    if (detached.compareAndSet(false, true)) {
      hub.detach(this);
    }
  }

  @Override
  public void onMessage(String text) {
    if (!envelope) {
      return; // the plain form has no client messages
    }
    JsonNode message;
    try {
      message = hub.codec().parse(text);
    } catch (JacksonException e) {
      reject("malformed", "message is not valid JSON: " + e.getOriginalMessage(), null);
      return;
    }
    if (!message.isObject()) {
      reject("invalid", "a message must be a JSON object", null);
      return;
    }
    String type = message.path("type").asString("");
    switch (type) {
      case "subscribe", "unsubscribe" -> onTopicMessage(type, message);
      default -> reject("unknown-type", "unknown message type \"" + abbreviate(type) + "\"", null);
    }
  }

  private void onTopicMessage(String type, JsonNode message) {
    JsonNode topicField = message.get("topic");
    if (topicField == null || !topicField.isString()) {
      reject("invalid", type + " needs a \"topic\" string", null);
      return;
    }
    String topic = topicField.stringValue();
    if (!Topic.isValidName(topic)) {
      reject("invalid", "topic name must match [A-Za-z0-9._-]{1,128}", null);
      return;
    }
    TopicEngine engine = hub.engine(topic);
    if (engine == null) {
      reject("unknown-topic", "no topic \"" + topic + "\"", topic);
      return;
    }
    if (type.equals("unsubscribe")) {
      topics.remove(topic);
      engine.unsubscribe(this);
      accepted();
      return;
    }
    JsonNode sinceField = message.get("since");
    Since since = null;
    if (sinceField != null && !sinceField.isNull()) {
      JsonNode epoch = sinceField.get("epoch");
      JsonNode seq = sinceField.get("seq");
      if (epoch == null
          || seq == null
          || !epoch.canConvertToExactIntegral()
          || !seq.canConvertToExactIntegral()
          || !epoch.canConvertToLong()
          || !seq.canConvertToLong()) {
        reject("invalid", "\"since\" must be {\"epoch\": integer, \"seq\": integer}", topic);
        return;
      }
      since = new Since(epoch.longValue(), seq.longValue());
    }
    topics.add(topic);
    engine.subscribe(this, since);
    accepted();
  }

  private void accepted() {
    synchronized (lock) {
      consecutiveErrors = 0;
    }
  }

  private void reject(String code, String message, String topic) {
    boolean abusive;
    synchronized (lock) {
      abusive = ++consecutiveErrors >= MAX_CONSECUTIVE_ERRORS;
    }
    offer(hub.codec().error(code, message, topic));
    if (abusive) {
      log.info(
          "{}: {} invalid messages in a row, closing",
          transport.describe(),
          MAX_CONSECUTIVE_ERRORS);
      closeWith(CloseCodes.POLICY_VIOLATION, "too many invalid messages");
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
