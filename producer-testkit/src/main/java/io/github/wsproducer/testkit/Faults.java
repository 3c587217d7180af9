package io.github.wsproducer.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * A raw socket to {@code root} from {@code from}, a loopback address of the attacker's own (such
   * as 127.0.0.2), so that the server's limits per address fall on it and not on honest clients.
   */
  public static Socket from(InetAddress from, URI root) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(from, 0));
    socket.connect(new InetSocketAddress(root.getHost(), root.getPort()), 10_000);
    socket.setSoTimeout(10_000);
    return socket;
  }

  /**
   * Upgraded to the plain form at {@code path} (the response read), it sends masked ping frames
   * with 125 bytes of payload as fast as the server takes them for {@code duration}, and never
   * reads another byte: each ping asks for a pong that no one reads.
   *
   * @return the pings sent
   */
  public static long pingFlood(InetAddress from, URI root, String path, Duration duration)
      throws IOException {
    Socket socket = from(from, root);
    socket
        .getOutputStream()
        .write(
            upgradeRequest(path, root.getHost() + ":" + root.getPort(), null)
                .getBytes(StandardCharsets.US_ASCII));
    int status = readResponseHead(socket);
    if (status != 101) {
      socket.close();
      throw new IOException("the upgrade got " + status);
    }
    byte[] ping = new byte[2 + 4 + 125];
    ping[0] = (byte) 0x89;
    ping[1] = (byte) (0x80 | 125); // masked with zeros
    return 500 * flood(socket, repeat(ping, 500), Long.MAX_VALUE, duration);
  }

  /** {@code times} copies of {@code bytes} in a row. */
  public static byte[] repeat(byte[] bytes, int times) {
    byte[] all = new byte[bytes.length * times];
    for (int i = 0; i < times; i++) {
      System.arraycopy(bytes, 0, all, i * bytes.length, bytes.length);
    }
    return all;
  }

  /**
   * Writes {@code burst} on {@code socket} up to {@code times} times, for at most {@code max}, as
   * fast as the server takes it, and never reads; then closes the socket.
   *
   * @return the bursts written whole
   */
  public static long flood(Socket socket, byte[] burst, long times, Duration max)
      throws IOException {
    // A write the server stopped taking blocks: closing the socket ends it.
    ScheduledFuture<?> stop =
        TRICKLER.schedule(
            () -> {
              try {
                socket.close();
              } catch (IOException e) {
                // closed already
              }
            },
            max.toMillis(),
            TimeUnit.MILLISECONDS);
    long sent = 0;
    try {
      while (sent < times && !socket.isClosed()) {
        socket.getOutputStream().write(burst);
        sent++;
      }
    } catch (IOException e) {
      // closed at the end of the flood, or by the server
    } finally {
      stop.cancel(false);
      socket.close();
    }
    return sent;
  }

  /**
   * Opens {@code count} connections from {@code from}, each of which sends {@code POST path} with
   * {@code Content-Length: declared}, the bearer {@code token} (or none) and all but the last byte
   * of its body, then waits: bodies that never end. The caller closes the sockets.
   */
  public static List<Socket> halfSentBodies(
      InetAddress from, URI root, String path, String token, int count, int declared)
      throws IOException {
    byte[] head =
        ("POST "
                + path
                + " HTTP/1.1\r\nHost: "
                + root.getHost()
                + ":"
                + root.getPort()
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + declared
                + "\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                + "\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] body = new byte[declared - 1];
    java.util.Arrays.fill(body, (byte) ' ');
    List<Socket> sockets = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Socket socket;
      try {
        socket = from(from, root);
      } catch (IOException e) {
        continue; // the server's backlog is full: a refusal too
      }
      sockets.add(socket);
      try {
        socket.getOutputStream().write(head);
        socket.getOutputStream().write(body);
      } catch (IOException e) {
        // answered and closed before the body was read: what a server should do
      }
    }
    return sockets;
  }

  /**
   * Sends {@code request} (a whole HTTP/1.1 request, {@code Connection: close}) on a socket of its
   * own and reads the response's status line and headers.
   *
   * @return the response's head
   */
  public static String exchange(URI root, String request) throws IOException {
    try (Socket socket = new Socket(root.getHost(), root.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      InputStream in = socket.getInputStream();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        head.append((char) b);
      }
      return head.toString();
    }
  }
}
