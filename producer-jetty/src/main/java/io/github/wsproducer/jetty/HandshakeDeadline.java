package io.github.wsproducer.jetty;

import io.github.wsproducer.spi.HttpConnections;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops HTTP/1 connections whose request has been arriving for longer than the handshake timeout. A
 * request trickled one byte at a time never trips an idle timeout, so Jetty alone would hold it,
 * and its buffers, for as long as the client likes.
 *
 * <p>It also counts them by client address ({@link HttpConnections}): one over the limit is closed
 * as soon as it opens.
 *
 * <p>It watches every HTTP/1 connection of the connectors it is added to, a few times per timeout,
 * through Jetty's public counters: Jetty counts a request in when its head is complete and a
 * response out when it is committed, so a connection with as many in as out whose bytes in grow is
 * receiving a request's line and headers. One still doing so after the timeout is closed. Bodies
 * and slow handlers are not its business (then there is one more in than out), and upgraded
 * connections leave its watch.
 */
final class HandshakeDeadline implements Connection.Listener, Runnable {
  private static final Logger log = LoggerFactory.getLogger(HandshakeDeadline.class);

  /** What a connection had received when last seen between requests, and since when it grew. */
  private static final class Mark {
    final String address; // as counted: a closed connection's is gone
    long messages;
    long bytes;
    long since = -1;

    Mark(String address) {
      this.address = address;
    }
  }

  private final HttpConnections perAddress;
  private final long timeoutNanos;
  private final long checkMillis;
  private final Map<Connection, Mark> open = new ConcurrentHashMap<>();
  private volatile Scheduler scheduler;

  HandshakeDeadline(Duration timeout, int maxPerAddress) {
    this.perAddress = new HttpConnections(maxPerAddress);
    this.timeoutNanos = timeout.toNanos();
    this.checkMillis = Math.max(10, Math.min(1000, timeout.toMillis() / 4));
  }

  /** Starts the checks on {@code scheduler}, until {@link #stop()}. */
  void start(Scheduler scheduler) {
    this.scheduler = scheduler;
    scheduler.schedule(this, checkMillis, TimeUnit.MILLISECONDS);
  }

  void stop() {
    scheduler = null;
  }

  @Override
  public void onOpened(Connection connection) {
    if (connection instanceof ConnectionMetaData http
        && http.getHttpVersion().getVersion() < 20
        && connection.getMessagesIn() >= 0) {
      String address = address(connection);
      if (!perAddress.open(address)) {
        log.debug("{}: too many HTTP connections from its address, closed", address);
        connection.getEndPoint().close();
        return;
      }
      open.put(connection, new Mark(address));
    }
  }

  @Override
  public void onClosed(Connection connection) { // or upgraded
    Mark mark = open.remove(connection);
    if (mark != null) {
      perAddress.closed(mark.address);
    }
  }

  private static String address(Connection connection) {
    return connection.getEndPoint().getRemoteSocketAddress() instanceof InetSocketAddress remote
        ? remote.getAddress().getHostAddress()
        : String.valueOf(connection.getEndPoint().getRemoteSocketAddress());
  }

  @Override
  public void run() {
    long now = System.nanoTime();
    open.forEach(
        (connection, mark) -> {
          long in = connection.getMessagesIn();
          long bytes = connection.getBytesIn();
          if (in != connection.getMessagesOut() || in != mark.messages) {
            // Handling a request, or one arrived since the last look: start afresh from here.
            mark.messages = in;
            mark.bytes = bytes;
            mark.since = -1;
          } else if (bytes > mark.bytes && mark.since < 0) {
            mark.since = now;
          } else if (mark.since >= 0 && now - mark.since >= timeoutNanos) {
            log.debug(
                "{}: request not complete within the handshake timeout, connection dropped",
                connection.getEndPoint().getRemoteSocketAddress());
            connection.getEndPoint().close();
          }
        });
    Scheduler s = scheduler;
    if (s != null) {
      s.schedule(this, checkMillis, TimeUnit.MILLISECONDS);
    }
  }
}
