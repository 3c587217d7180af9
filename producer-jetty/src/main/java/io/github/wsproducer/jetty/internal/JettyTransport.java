package io.github.wsproducer.jetty.internal;

import io.github.wsproducer.spi.Transport;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * A Jetty WebSocket session as a hub {@link Transport}; every call is asynchronous. Sends come one
 * at a time (the hub waits for each callback), so the fields need no lock.
 */
final class JettyTransport implements Transport {
  private static final ByteBuffer NO_PAYLOAD = ByteBuffer.allocate(0);

  private final Session session;
  // The hub passes the same callback to every send, one at a time: adapt it once.
  private SendCallback adapted;
  private Callback adapter;

  JettyTransport(Session session) {
    this.session = session;
  }

  @Override
  public void send(String text, SendCallback callback) {
    if (callback != adapted) {
      adapter = Callback.from(callback::succeeded, callback::failed);
      adapted = callback;
    }
    session.sendText(text, adapter);
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
