package io.github.wsproducer.jakarta.internal;

import io.github.wsproducer.protocol.CloseCode;
import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.spi.Handshake;
import io.github.wsproducer.spi.Inbound;
import io.github.wsproducer.spi.OpenConnections;
import io.github.wsproducer.spi.TransportOptions;
import jakarta.websocket.CloseReason;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted WebSocket as the container sees it: opens it on the hub's {@link Endpoint} and hands
 * its messages to the returned {@link Inbound}. The container calls it one event at a time.
 *
 * <p>Not API. It is public only because containers instantiate endpoint classes that are.
 */
public final class JakartaConnection extends jakarta.websocket.Endpoint {
  private static final Logger log = LoggerFactory.getLogger(JakartaConnection.class);

  /** The container's buffer for a message's parts, in bytes and in chars. */
  static final int BUFFER_SIZE = 1024;

  private static final String TOMCAT_CLOSE_TIMEOUT =
      "org.apache.tomcat.websocket.SESSION_CLOSE_TIMEOUT";

  private final Endpoint endpoint;
  private final Handshake.Accept accepted;
  private final OpenConnections<Session> sessions;
  private final String remote;
  private final JakartaThreads threads;
  private volatile Inbound inbound;
  private volatile JakartaOutbound outbound;
  // The message being put together from its parts; the container calls one at a time.
  private long maxMessageSize;
  private long size; // bytes of it so far; -1 once too big
  private StringBuilder text;
  private ByteArrayOutputStream binary;

  private JakartaConnection(
      Endpoint endpoint,
      Handshake.Accept accepted,
      OpenConnections<Session> sessions,
      String remote,
      JakartaThreads threads) {
    this.endpoint = endpoint;
    this.accepted = accepted;
    this.sessions = sessions;
    this.remote = remote;
    this.threads = threads;
  }

  /** The configuration of one accepted handshake: its subprotocol, no extension unless deflate. */
  public static ServerEndpointConfig config(
      String path,
      Handshake.Accept accepted,
      Endpoint endpoint,
      OpenConnections<Session> sessions,
      String remote,
      JakartaThreads threads) {
    JakartaConnection connection =
        new JakartaConnection(endpoint, accepted, sessions, remote, threads);
    boolean deflate = endpoint.options().deflate();
    ServerEndpointConfig.Configurator configurator =
        new ServerEndpointConfig.Configurator() {
          @Override
          public <T> T getEndpointInstance(Class<T> endpointClass) {
            return endpointClass.cast(connection);
          }

          @Override
          public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
            return accepted.subprotocol() == null ? "" : accepted.subprotocol();
          }

          @Override
          public List<Extension> getNegotiatedExtensions(
              List<Extension> installed, List<Extension> requested) {
            return deflate ? super.getNegotiatedExtensions(installed, requested) : List.of();
          }

          @Override
          public boolean checkOrigin(String origin) {
            return true; // the endpoint decided
          }
        };
    return ServerEndpointConfig.Builder.create(JakartaConnection.class, path.isEmpty() ? "/" : path)
        .subprotocols(accepted.subprotocol() == null ? List.of() : List.of(accepted.subprotocol()))
        .configurator(configurator)
        .build();
  }

  @Override
  public void onOpen(Session session, EndpointConfig config) {
    TransportOptions options = endpoint.options();
    maxMessageSize = options.maxMessageSize();
    // Containers allocate these buffers whole for every connection (Tomcat: a char and a byte
    // buffer of this size): small ones, with messages taken in parts and put together here up to
    // the message size, keep an idle connection cheap.
    session.setMaxTextMessageBufferSize(BUFFER_SIZE);
    session.setMaxBinaryMessageBufferSize(BUFFER_SIZE);
    // The outbound keeps the idle timeout; the container's is a backstop behind it.
    session.setMaxIdleTimeout(2 * options.idleTimeout().toMillis());
    // A backstop behind the hub's own write timeout, which closes with 4001 first.
    session.getAsyncRemote().setSendTimeout(2 * options.writeTimeout().toMillis());
    // Tomcat waits 30 s for the answer to a close before it drops the connection; we wait less.
    session
        .getUserProperties()
        .put(TOMCAT_CLOSE_TIMEOUT, Long.valueOf(JakartaOutbound.CLOSE_WAIT_MILLIS));
    sessions.add(session);
    JakartaOutbound out = new JakartaOutbound(session, remote, options.idleTimeout(), threads);
    outbound = out;
    inbound = endpoint.open(accepted, out);
    session.addMessageHandler(String.class, (MessageHandler.Partial<String>) this::onText);
    session.addMessageHandler(
        ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) this::onBinary);
    session.addMessageHandler(
        PongMessage.class,
        pong -> {
          out.received();
          inbound.onPong();
        });
  }

  private void onText(String part, boolean last) {
    outbound.received();
    if (!withinSize(utf8Length(part))) {
      return;
    }
    if (last && text == null) { // the whole message in one part, as a screen's are
      size = 0;
      inbound.onText(part);
      return;
    }
    if (text == null) {
      text = new StringBuilder();
    }
    text.append(part);
    if (last) {
      String whole = text.toString();
      text = null;
      size = 0;
      inbound.onText(whole);
    }
  }

  private void onBinary(ByteBuffer part, boolean last) {
    outbound.received();
    if (!withinSize(part.remaining())) {
      return;
    }
    if (binary == null) {
      binary = new ByteArrayOutputStream();
    }
    byte[] bytes = new byte[part.remaining()];
    part.get(bytes);
    binary.writeBytes(bytes);
    if (last) {
      ByteBuffer whole = ByteBuffer.wrap(binary.toByteArray());
      binary = null;
      size = 0;
      inbound.onBinary(whole);
    }
  }

  /** Counts a part; over the message size, closes with 1009 and drops what came. */
  private boolean withinSize(long bytes) {
    if (size < 0) {
      return false; // closing
    }
    size += bytes;
    if (size > maxMessageSize) {
      size = -1;
      text = null;
      binary = null;
      outbound.close(CloseReason.CloseCodes.TOO_BIG.getCode(), "message too big");
      return false;
    }
    return true;
  }

  /** The length of {@code text} in UTF-8: a surrogate pair is four bytes, two per char. */
  private static long utf8Length(String text) {
    long n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      n += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
    }
    return n;
  }

  @Override
  public void onClose(Session session, CloseReason closeReason) {
    sessions.remove(session);
    JakartaOutbound out = outbound;
    if (out != null) {
      out.closed();
    }
    Inbound in = inbound;
    if (in != null) {
      in.onClosed();
    }
  }

  @Override
  public void onError(Session session, Throwable cause) {
    log.debug("WebSocket error from {}, connection dropped", remote, cause);
  }

  /** Starts the closing handshake for a restart: 1012 and a jittered reconnect hint. */
  public static void closeForRestart(Session session) {
    try {
      session.close(
          new CloseReason(
              CloseReason.CloseCodes.getCloseCode(CloseCode.SERVICE_RESTART.code()),
              CloseCode.SERVICE_RESTART.reason()));
    } catch (IOException | RuntimeException e) {
      log.debug("closing {} for a restart failed: {}", session.getId(), e.toString());
    }
  }
}
