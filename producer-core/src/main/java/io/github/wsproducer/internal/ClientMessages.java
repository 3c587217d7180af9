package io.github.wsproducer.internal;

import io.github.wsproducer.protocol.ClientMessage;
import io.github.wsproducer.protocol.CloseCode;
import io.github.wsproducer.protocol.ErrorCode;
import io.github.wsproducer.spi.Inbound;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a client sends on one connection, as the protocol says to handle it: in the envelope form,
 * subscription changes, and {@code error} answers to bad messages, closing the connection once
 * there are too many; binary messages close it in either form.
 */
final class ClientMessages implements Inbound {
  private static final Logger log = LoggerFactory.getLogger(ClientMessages.class);

  /** Invalid messages in a row that close the connection with a policy violation. */
  static final int MAX_CONSECUTIVE_ERRORS = 10;

  private final HubImpl hub;
  private final ClientConnection connection;
  private int consecutiveErrors; // guarded by this

  ClientMessages(HubImpl hub, ClientConnection connection) {
    this.hub = hub;
    this.connection = connection;
  }

  @Override
  public void onText(String text) {
    if (!connection.isEnvelope()) {
      return; // the plain form has no client messages
    }
    ClientMessage message = hub.codec().parseClientMessage(text);
    if (message instanceof ClientMessage.Invalid invalid) {
      reject(invalid.code(), invalid.message(), invalid.topic());
    } else if (message instanceof ClientMessage.Subscribe s) {
      TopicEngine engine = engine(s.topic());
      if (engine != null) {
        connection.subscribed(s.topic());
        engine.subscribe(connection, s.since());
        accepted();
      }
    } else if (message instanceof ClientMessage.Unsubscribe u) {
      TopicEngine engine = engine(u.topic());
      if (engine != null) {
        connection.unsubscribed(u.topic());
        engine.unsubscribe(connection);
        accepted();
      }
    }
  }

  /** The topic's engine, or {@code null} after answering that there is no such topic. */
  private TopicEngine engine(String topic) {
    TopicEngine engine = hub.engine(topic);
    if (engine == null) {
      reject(ErrorCode.UNKNOWN_TOPIC, "no topic \"" + topic + "\"", topic);
    }
    return engine;
  }

  @Override
  public void onBinary() {
    connection.closeWith(CloseCode.UNSUPPORTED_DATA);
  }

  @Override
  public void onClosed() {
    connection.shutdown();
  }

  private synchronized void accepted() {
    consecutiveErrors = 0;
  }

  private void reject(ErrorCode code, String message, String topic) {
    boolean abusive;
    synchronized (this) {
      abusive = ++consecutiveErrors >= MAX_CONSECUTIVE_ERRORS;
    }
    connection.offer(hub.codec().error(code, message, topic));
    if (abusive) {
      log.info(
          "{}: {} invalid messages in a row, closing",
          connection.describe(),
          MAX_CONSECUTIVE_ERRORS);
      connection.closeWith(CloseCode.POLICY_VIOLATION);
    }
  }
}
