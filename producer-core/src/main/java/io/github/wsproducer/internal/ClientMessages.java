package io.github.wsproducer.internal;

import io.github.wsproducer.Identity;
import io.github.wsproducer.protocol.ClientMessage;
import io.github.wsproducer.protocol.CloseCode;
import io.github.wsproducer.protocol.ErrorCode;
import io.github.wsproducer.spi.Inbound;
import java.nio.ByteBuffer;

/**
 * What a client sends on one connection, as the protocol says to handle it: in the envelope form,
 * subscription changes, history requests, and {@code error} answers to bad messages; binary
 * messages close it in either form.
 *
 * <p>Abuse is limited by rate, not by runs: more than {@value #MAX_INVALID} invalid messages, or
 * more than {@value #MAX_SUBSCRIPTION_CHANGES} subscribes, unsubscribes and history requests,
 * within {@value #WINDOW_MILLIS} ms close the connection with 1008, however many valid messages
 * come between.
 */
final class ClientMessages implements Inbound {

  /** The window of the limits below. */
  static final long WINDOW_MILLIS = 60_000;

  /** Invalid messages a connection may send per window. */
  static final int MAX_INVALID = 10;

  /** Subscribes and unsubscribes a connection may send per window. */
  static final int MAX_SUBSCRIPTION_CHANGES = 100;

  private final ClientConnection connection;
  private final Identity identity; // or null
  // Guarded by this; made by the first message that counts, as most clients send none.
  private RateLimit invalid;
  private RateLimit changes;

  private final Topics topics;
  private final Codec codec;
  private final Access access;
  private final Rejections rejections;
  private final HistoryReads reads;

  ClientMessages(
      ClientConnection connection,
      Identity identity,
      Topics topics,
      Codec codec,
      Access access,
      Rejections rejections,
      HistoryReads reads) {
    this.connection = connection;
    this.identity = identity;
    this.topics = topics;
    this.codec = codec;
    this.access = access;
    this.rejections = rejections;
    this.reads = reads;
  }

  @Override
  public void onText(String text) {
    if (!connection.isEnvelope() || !connection.isOpen()) {
      return; // the plain form has no client messages; a closing connection is not listened to
    }
    ClientMessage message = codec.parseClientMessage(text);
    if (message instanceof ClientMessage.Invalid invalid) {
      reject(invalid.code(), invalid.message(), invalid.topic());
    } else if (!withinLimit(false)) {
      return;
    } else if (message instanceof ClientMessage.Subscribe s) {
      // Authorized before it is looked up: no answer tells whether a forbidden topic exists.
      if (!access.mayRead(identity, s.topic())) {
        reject(ErrorCode.FORBIDDEN, "not allowed to read topic \"" + s.topic() + "\"", s.topic());
        return;
      }
      TopicEngine engine = engine(s.topic());
      if (engine != null) {
        connection.subscribed(s.topic());
        engine.subscribe(connection, s.since());
      }
    } else if (message instanceof ClientMessage.History h) {
      if (!access.mayRead(identity, h.topic())) {
        reject(ErrorCode.FORBIDDEN, "not allowed to read topic \"" + h.topic() + "\"", h.topic());
        return;
      }
      TopicEngine engine = engine(h.topic());
      if (engine != null) {
        reads.answer(connection, engine, h);
      }
    } else if (message instanceof ClientMessage.Unsubscribe u) {
      TopicEngine engine = engine(u.topic());
      if (engine != null) {
        connection.unsubscribed(u.topic());
        engine.unsubscribe(connection);
      }
    }
  }

  /** The topic's engine, or {@code null} after answering that there is no such topic. */
  private TopicEngine engine(String topic) {
    TopicEngine engine = topics.get(topic);
    if (engine == null) {
      reject(ErrorCode.UNKNOWN_TOPIC, "no topic \"" + topic + "\"", topic);
    }
    return engine;
  }

  @Override
  public void onBinary(ByteBuffer payload) {
    connection.closeWith(CloseCode.UNSUPPORTED_DATA);
  }

  @Override
  public void onPong() {
    connection.ponged();
  }

  @Override
  public void onClosed() {
    connection.shutdown();
  }

  private void reject(ErrorCode code, String message, String topic) {
    if (withinLimit(true)) {
      connection.offer(codec.error(code, message, topic));
    }
  }

  /**
   * Counts an invalid message or a subscription change against its limit; over it, closes the
   * connection with 1008.
   */
  private boolean withinLimit(boolean isInvalid) {
    boolean allowed;
    synchronized (this) {
      if (isInvalid && invalid == null) {
        invalid = new RateLimit(MAX_INVALID, WINDOW_MILLIS);
      } else if (!isInvalid && changes == null) {
        changes = new RateLimit(MAX_SUBSCRIPTION_CHANGES, WINDOW_MILLIS);
      }
      allowed = (isInvalid ? invalid : changes).allow(access.clock().millis());
    }
    if (!allowed && connection.isOpen()) {
      String what =
          isInvalid ? "invalid messages" : "subscribes, unsubscribes and history requests";
      rejections.refused(
          "the messages of a WebSocket connection",
          CloseCode.POLICY_VIOLATION.code(),
          what,
          "too many " + what + " within " + WINDOW_MILLIS + " ms, closed",
          connection.address(),
          connection.describe());
      connection.closeAfterQueued(CloseCode.POLICY_VIOLATION);
    }
    return allowed;
  }
}
