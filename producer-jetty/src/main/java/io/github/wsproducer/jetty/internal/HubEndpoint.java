package io.github.wsproducer.jetty.internal;

import io.github.wsproducer.CloseCodes;
import io.github.wsproducer.Hub;
import io.github.wsproducer.spi.Connection;
import io.github.wsproducer.spi.ConnectionLimits;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty endpoint of one WebSocket: hands its events to the hub's {@link Connection}.
 *
 * <p>Not API. It is public, and its package exported, only because Jetty invokes endpoint methods
 * through a public method-handle lookup.
 */
public final class HubEndpoint implements Session.Listener.AutoDemanding {
  private static final Logger log = LoggerFactory.getLogger(HubEndpoint.class);

  private final Hub hub;
  private final String plainTopic; // null for the envelope form
  private final ConnectionLimits limits;
  private final SessionRegistry sessions;
  private Session session;
  private volatile Connection connection;

  public HubEndpoint(
      Hub hub, String plainTopic, ConnectionLimits limits, SessionRegistry sessions) {
    this.hub = hub;
    this.plainTopic = plainTopic;
    this.limits = limits;
    this.sessions = sessions;
  }

  @Override
  public void onWebSocketOpen(Session session) {
    this.session = session;
    sessions.add(session);
    JettyTransport transport = new JettyTransport(session);
    try {
      connection =
          plainTopic == null
              ? hub.openEnvelope(transport, limits)
              : hub.openPlain(plainTopic, transport, limits);
    } catch (IllegalStateException e) { // the hub was closed while this client connected
      session.close(CloseCodes.SERVICE_RESTART, CloseCodes.restartReason(), Callback.NOOP);
    }
  }

  @Override
  public void onWebSocketText(String message) {
    Connection c = connection;
    if (c != null) {
      c.onMessage(message);
    }
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    callback.succeed();
    session.close(StatusCode.BAD_DATA, "binary messages are not supported", Callback.NOOP);
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason, Callback callback) {
    closed();
    callback.succeed();
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    log.debug("WebSocket error, connection dropped", cause);
    closed();
  }

  private void closed() {
    if (session != null) {
      sessions.remove(session);
    }
    Connection c = connection;
    if (c != null) {
      c.onClose();
    }
  }
}
