package io.github.wsproducer.jetty.internal;

import io.github.wsproducer.spi.Transport;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** A Jetty WebSocket session as a hub {@link Transport}; every call is asynchronous. */
final class JettyTransport implements Transport {
  private static final ByteBuffer NO_PAYLOAD = ByteBuffer.allocate(0);

  private final Session session;

  JettyTransport(Session session) {
    this.session = session;
  }

  @Override
  public void send(String text, SendCallback callback) {
    session.sendText(text, Callback.from(callback::succeeded, callback::failed));
  }

  @Override
  public void ping() {
    session.sendPing(NO_PAYLOAD.duplicate(), Callback.NOOP);
  }

  @Override
  public void close(int code, String reason) {
    session.close(code, reason, Callback.NOOP);
  }

  @Override
  public void abort() {
    session.disconnect();
  }

  @Override
  public String describe() {
    return String.valueOf(session.getRemoteSocketAddress());
  }
}
