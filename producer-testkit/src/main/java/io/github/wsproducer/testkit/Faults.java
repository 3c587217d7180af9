package io.github.wsproducer.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Clients that misbehave the way a hostile or broken network does, on raw sockets, to test that a
 * server (yours, behind your proxies) drops them in bounded time while others are served. Each is a
 * socket the caller closes.
 */
public final class Faults {
  private Faults() {}

  /** A plain-form upgrade request for {@code /} with this {@code Host} and {@code Origin}. */
  public static String upgradeRequest(String host, String origin) {
    return upgradeRequest("/", host, origin);
  }

  private static String upgradeRequest(String path, String host, String origin) {
    return "GET "
        + path
        + " HTTP/1.1\r\nHost: "
        + host
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + (origin == null ? "" : "Origin: " + origin + "\r\n")
        + "\r\n";
  }

  /**
   * A socket that sent a plain-form upgrade request to {@code root} with this {@code Host} and
   * {@code Origin} ({@code null} for none) and has read nothing since.
   */
  public static Socket upgradeSent(URI root, String host, String origin) throws IOException {
    Socket socket = new Socket(root.getHost(), root.getPort());
    socket.setSoTimeout(10_000);
    socket
        .getOutputStream()
        .write(upgradeRequest(host, origin).getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  /** Upgraded, then it never reads nor answers anything: a client that vanished or froze. */
  public static Socket silentClient(URI root) throws IOException {
    return upgradeSent(root, root.getHost() + ":" + root.getPort(), null);
  }

  /**
   * Upgraded (the response read), then it sends the first {@code bytes} of a masked text frame that
   * declares {@code declared} bytes of payload, and stops: a frame that never finishes.
   */
  public static Socket halfFrame(URI root, int declared, int bytes) throws IOException {
    Socket socket = upgradeSent(root, root.getHost() + ":" + root.getPort(), null);
    readResponseHead(socket);
    byte[] frame = new byte[14 + declared];
    int n = 0;
    frame[n++] = (byte) 0x81;
    if (declared < 126) {
      frame[n++] = (byte) (0x80 | declared);
    } else if (declared < 65_536) {
      frame[n++] = (byte) (0x80 | 126);
      frame[n++] = (byte) (declared >>> 8);
      frame[n++] = (byte) declared;
    } else {
      frame[n++] = (byte) (0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame[n++] = (byte) ((long) declared >>> shift);
      }
    }
    n += 4; // a zero mask
    socket.getOutputStream().write(frame, 0, Math.min(bytes, n + declared));
    return socket;
  }

  /**
   * Reads the response's status line and headers.
   *
   * @return the status code
   */
  public static int readResponseHead(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed after " + head.length() + " bytes of response: " + head);
      }
      head.append((char) b);
    }
    return Integer.parseInt(head.substring(9, 12));
  }

  /**
   * Whether the server closed the socket within {@code wait}: reads (and drops) what comes until
   * the end of the stream or a reset.
   */
  public static boolean closedByServer(Socket socket, Duration wait) throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    InputStream in = socket.getInputStream();
    byte[] sink = new byte[8192];
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return false;
      }
      socket.setSoTimeout((int) Math.max(1, left));
      try {
        if (in.read(sink) < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true; // reset
      }
    }
  }

  /** One daemon thread trickles every handshake and paces every slow reader: none adds a thread. */
  private static final ScheduledExecutorService TRICKLER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "faults-trickler");
            t.setDaemon(true);
            return t;
          });

  /**
   * Sends an upgrade request to {@code root} one byte every {@code interval}, on a shared daemon
   * thread, until the server drops the connection or the socket is closed: a slow-loris handshake.
   */
  public static Socket tricklingHandshake(URI root, Duration interval) throws IOException {
    Socket socket = new Socket(root.getHost(), root.getPort());
    byte[] request =
        upgradeRequest(root.getHost() + ":" + root.getPort(), null)
            .getBytes(StandardCharsets.US_ASCII);
    int[] sent = {0};
    ScheduledFuture<?>[] task = {null};
    task[0] =
        TRICKLER.scheduleWithFixedDelay(
            () -> {
              try {
                socket.getOutputStream().write(request[sent[0]++]);
                if (sent[0] == request.length) {
                  task[0].cancel(false);
                }
              } catch (IOException e) { // dropped by the server, or closed by the test
                task[0].cancel(false);
              }
            },
            0,
            interval.toMillis(),
            TimeUnit.MILLISECONDS);
    return socket;
  }

  /**
   * Upgraded to the plain form at {@code uri} with a small receive window, then it reads at most
   * {@code bytesPerSecond}, on the shared daemon thread, until the server drops it or the socket is
   * closed: a screen on a congested link, which the server must drop in bounded time once it falls
   * behind, without delaying anyone else.
   */
  public static Socket slowReader(URI uri, int bytesPerSecond) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    socket
        .getOutputStream()
        .write(
            upgradeRequest(path, uri.getHost() + ":" + uri.getPort(), null)
                .getBytes(StandardCharsets.US_ASCII));
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[Math.max(1, bytesPerSecond / 10)];
    ScheduledFuture<?>[] task = {null};
    task[0] =
        TRICKLER.scheduleAtFixedRate(
            () -> {
              try {
                // Never blocks the shared thread: reads only what has arrived.
                int n = Math.min(in.available(), buffer.length);
                if (n > 0 && in.read(buffer, 0, n) < 0) {
                  task[0].cancel(false);
                }
              } catch (IOException e) { // dropped by the server, or closed by the test
                task[0].cancel(false);
              }
            },
            0,
            100,
            TimeUnit.MILLISECONDS);
    return socket;
  }
}
