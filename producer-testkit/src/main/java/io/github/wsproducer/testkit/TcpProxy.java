package io.github.wsproducer.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on a loopback port, for making a real service unreachable and reachable again: {@link
 * #cut()} drops every connection and refuses new ones until {@link #restore()}. With a read timeout
 * it also drops a connection on which the service has sent nothing for that long, as a reverse
 * proxy does (nginx's {@code proxy_read_timeout}, 60 s by default).
 */
public final class TcpProxy implements AutoCloseable {
  private final InetSocketAddress target;
  private final int readTimeoutMillis;
  private final ServerSocket server;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile boolean up = true;

  /** A proxy to {@code target} that keeps idle connections. */
  public TcpProxy(InetSocketAddress target) throws IOException {
    this(target, Duration.ZERO);
  }

  /**
   * A proxy to {@code target} that drops a connection once the target has sent nothing on it for
   * {@code readTimeout}; {@link Duration#ZERO} for never.
   */
  public TcpProxy(InetSocketAddress target, Duration readTimeout) throws IOException {
    this.target = target;
    this.readTimeoutMillis = Math.toIntExact(readTimeout.toMillis());
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "tcp-proxy-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  public String hostPort() {
    return "127.0.0.1:" + port();
  }

  /** Drops every connection; new ones are closed at once until {@link #restore()}. */
  public void cut() {
    up = false;
    sockets.forEach(TcpProxy::closeQuietly);
    sockets.clear();
  }

  public void restore() {
    up = true;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        if (!up) {
          closeQuietly(client);
          continue;
        }
        Socket upstream = new Socket();
        try {
          upstream.connect(target, 2000);
          upstream.setSoTimeout(readTimeoutMillis);
        } catch (IOException e) {
          closeQuietly(client);
          continue;
        }
        sockets.add(client);
        sockets.add(upstream);
        pipe(client, upstream);
        pipe(upstream, client);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void pipe(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                  out.write(buffer, 0, n);
                }
              } catch (IOException e) {
                // one side went away, or the target was silent for the read timeout
              } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
              }
            },
            "tcp-proxy-pipe");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    cut();
    server.close();
  }
}
