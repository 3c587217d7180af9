package io.github.wsproducer.jetty.internal;

import io.github.wsproducer.spi.Outbound;
import io.github.wsproducer.spi.TextFrame;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * A Jetty WebSocket session as the hub writes to it ({@link Outbound}); every call is asynchronous.
 *
 * <p>Frames go to Jetty's core session, which the API session wraps: it takes the hub's encoded
 * bytes as they are, where {@code Session.sendText} would encode the text again for every
 * connection. All frames of one send but the last are batched, so Jetty writes them together. Sends
 * come one at a time (the hub waits for each callback), so the fields need no lock.
 */
final class JettyOutbound implements Outbound, Callback {
  private static final ByteBuffer NO_PAYLOAD = ByteBuffer.allocate(0);

  private final Session session;
  private final CoreSession core;
  // The callback of the send in flight: this outbound is Jetty's callback of its last frame, so
  // that a send allocates nothing and the hub's write path touches no object of its own here.
  private SendCallback inFlight;

  JettyOutbound(Session session) {
    this.session = session;
    this.core = ((WebSocketSession) session).getCoreSession();
  }

  @Override
  public void send(List<TextFrame> frames, SendCallback callback) {
    inFlight = callback;
    int last = frames.size() - 1;
    for (int i = 0; i < last; i++) {
      // A failed write fails the last frame's callback too.
      core.sendFrame(new Frame(OpCode.TEXT, true, frames.get(i).payload()), Callback.NOOP, true);
    }
    core.sendFrame(new Frame(OpCode.TEXT, true, frames.get(last).payload()), this, false);
  }

  @Override
  public void succeeded() {
    inFlight.succeeded();
  }

  @Override
  public void failed(Throwable cause) {
    inFlight.failed(cause);
  }

  @Override
  public void sendBinary(ByteBuffer payload, SendCallback callback) {
    core.sendFrame(
        new Frame(OpCode.BINARY, true, payload),
        Callback.from(callback::succeeded, callback::failed),
        false);
  }

  @Override
  public void ping() {
    session.sendPing(NO_PAYLOAD.duplicate(), org.eclipse.jetty.websocket.api.Callback.NOOP);
  }

  @Override
  public void close(int code, String reason) {
    session.close(code, reason, org.eclipse.jetty.websocket.api.Callback.NOOP);
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
