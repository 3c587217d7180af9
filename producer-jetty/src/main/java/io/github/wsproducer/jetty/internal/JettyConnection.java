package io.github.wsproducer.jetty.internal;

import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.spi.Handshake;
import io.github.wsproducer.spi.Inbound;
import io.github.wsproducer.spi.OpenConnections;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty endpoint of one WebSocket: opens it on the hub's {@link Endpoint} and hands its events
 * to the returned {@link Inbound}. Jetty calls it on its I/O threads, one event at a time.
 *
 * <p>Not API. It is public, and its package exported, only because Jetty invokes endpoint methods
 * through a public method-handle lookup.
 */
public final class JettyConnection implements Session.Listener.AutoDemanding {
  private static final Logger log = LoggerFactory.getLogger(JettyConnection.class);

  private final Endpoint endpoint;
  private final Handshake.Accept accepted;
  private final OpenConnections<Session> sessions;
  private Session session;
  private volatile Inbound inbound;

  public JettyConnection(
      Endpoint endpoint, Handshake.Accept accepted, OpenConnections<Session> sessions) {
    this.endpoint = endpoint;
    this.accepted = accepted;
    this.sessions = sessions;
  }

  @Override
  public void onWebSocketOpen(Session session) {
    this.session = session;
    sessions.add(session);
    inbound = endpoint.open(accepted, new JettyOutbound(session));
  }

  @Override
  public void onWebSocketText(String message) {
    inbound.onText(message);
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    inbound.onBinary(payload);
    callback.succeed();
  }

  @Override
  public void onWebSocketPong(ByteBuffer payload) {
    inbound.onPong();
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
    Inbound in = inbound;
    if (in != null) {
      in.onClosed();
    }
  }
}
