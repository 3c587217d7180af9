package io.github.wsproducer.jakarta.internal;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.lang.reflect.Method;

/**
 * What the Jakarta WebSocket API lacks and the containers have, found by name so that no container
 * is a dependency: dropping a connection at once, for a client that does not read.
 */
final class Containers {
  private Containers() {}

  /**
   * Drops {@code session}'s connection without waiting for the peer: Tomcat's {@code
   * WsSession.doClose(local, remote, closeSocket)}, or the {@code abort()} of Jetty's core session.
   * Returns whether the container had a way.
   */
  static boolean abort(Session session, CloseReason reason) {
    Class<?> type = session.getClass();
    try {
      Method doClose =
          type.getMethod("doClose", CloseReason.class, CloseReason.class, boolean.class);
      doClose.invoke(session, reason, reason, true);
      return true;
    } catch (NoSuchMethodException e) {
      // not Tomcat
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
    try {
      Object core = type.getMethod("getCoreSession").invoke(session);
      core.getClass().getMethod("abort").invoke(core);
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}
