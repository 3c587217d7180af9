package io.github.wsproducer.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Holds thousands of WebSocket connections on one thread with a raw NIO client: it parses frames in
 * place and reads {@code n} and {@code ts} from the bytes, so one core keeps up with far more
 * frames than a general-purpose client would. Records, per message, the latency from the {@code ts}
 * it carries (same host, monotonic clock), throughput, gaps in {@code n}, and how long each
 * connection waited for its first frame. Speaks the plain form, and Socket.IO's framing for that
 * peer. Several processes, each on its own 127.0.0.x source address, can share a run: {@link
 * LoadResult#merge} adds up their results.
 */
final class LoadClient {
  private static final byte[] N = "\"n\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TS = "\"ts\":".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_PENDING_HANDSHAKES = 256;
  private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /** What one run asks for. */
  record Options(
      URI url,
      int connections,
      int stalled,
      double warmup,
      double seconds,
      boolean socketIo,
      String localAddress,
      boolean awaitStart,
      boolean restart) {}

  private final Options options;
  private final BufferedReader commands; // the orchestrator's lines
  private final Histogram latency = new Histogram(LoadResult.MAX_MICROS, 3);
  private final Histogram firstFrame = new Histogram(LoadResult.MAX_MICROS, 3);
  private final byte[] upgradeRequest;
  private final Selector selector;
  private long messages;
  private long gaps;
  private boolean measuring;
  private int connected;
  private int failures;
  private int pending; // handshakes under way
  // restart: when the server process started, by this host's monotonic clock; first frames and
  // the time to connect count from it
  private long epoch;
  private final java.util.ArrayDeque<Long> retries = new java.util.ArrayDeque<>(); // when due

  private LoadClient(Options options, BufferedReader commands) throws IOException {
    this.options = options;
    this.commands = commands;
    this.selector = Selector.open();
    URI u = options.url();
    String target = u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    this.upgradeRequest =
        ("GET "
                + target
                + " HTTP/1.1\r\nHost: "
                + u.getHost()
                + ":"
                + u.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Opens the connections, at most {@value #MAX_PENDING_HANDSHAKES} handshakes at a time, then
   * warms up and measures. Prints "connecting", "connected", and "measuring" as each phase starts,
   * for an orchestrator reading the server's CPU time. With {@code awaitStart}, waits for a line on
   * standard input after connecting, and after measuring prints the result and stays connected
   * until standard input has another line or ends. With {@code restart}, prints "waiting" and reads
   * the server process's start ({@link System#nanoTime}) from standard input before connecting; a
   * connection refused or failed before its upgrade is tried again 50 ms later, as a screen waiting
   * for a restarted server would.
   */
  static LoadResult run(Options options) throws Exception {
    return run(
        options, new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
  }

  /** {@link #run(Options)} with the orchestrator's lines read from {@code commands}. */
  static LoadResult run(Options options, BufferedReader commands) throws Exception {
    LoadClient client = new LoadClient(options, commands);
    try {
      LoadResult result = client.run();
      if (options.awaitStart()) {
        // Stay connected until the orchestrator has read the server's memory.
        say(Bench.JSON.writeValueAsString(result));
        commands.readLine();
      }
      return result;
    } finally {
      for (SelectionKey k : client.selector.keys()) {
        k.channel().close();
      }
      client.selector.close();
    }
  }

  private LoadResult run() throws Exception {
    InetSocketAddress remote =
        new InetSocketAddress(options.url().getHost(), options.url().getPort());
    if (options.restart()) {
      say("waiting");
      epoch = Long.parseLong(commands.readLine().trim());
    }
    say("connecting");
    long connectStart = options.restart() ? epoch : System.nanoTime();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    int started = 0;
    while (connected + failures < options.connections() && System.nanoTime() < deadline) {
      while (pending < MAX_PENDING_HANDSHAKES) {
        if (!retries.isEmpty() && retries.peek() <= System.nanoTime()) {
          retries.poll();
          open(remote, false);
        } else if (started < options.connections()) {
          open(remote, started < options.stalled());
          started++;
        } else {
          break;
        }
      }
      poll(deadline);
    }
    double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
    say("connected " + connected);
    if (options.awaitStart()) {
      commands.readLine();
    }
    pollFor(options.warmup());
    measuring = true;
    say("measuring");
    long cpu0 = cpuNanos();
    long start = System.nanoTime();
    pollFor(options.seconds());
    measuring = false;
    double elapsed = (System.nanoTime() - start) / 1e9;
    double cpu = (cpuNanos() - cpu0) / 1e9;
    return new LoadResult(
        options.connections(),
        connected,
        messages,
        elapsed,
        gaps,
        cpu,
        connectSeconds,
        LoadResult.encode(latency),
        LoadResult.encode(firstFrame));
  }

  private void open(InetSocketAddress remote, boolean stalled) throws IOException {
    SocketChannel channel = SocketChannel.open();
    pending++; // a failure below counts it back once, as for a connection that fails later
    try {
      channel.configureBlocking(false);
      if (options.localAddress() != null) {
        channel.bind(new InetSocketAddress(options.localAddress(), 0));
      }
      Connection c = new Connection(channel, stalled);
      if (channel.connect(remote)) {
        c.connected();
      }
      channel.register(
          selector, channel.isConnected() ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, c);
    } catch (IOException e) {
      channel.close();
      notConnected();
    }
  }

  /** A connection that ended before its upgrade: failed, or tried again later after a restart. */
  private void notConnected() {
    pending--;
    if (options.restart()) {
      retries.add(System.nanoTime() + RETRY_NANOS);
    } else {
      failures++;
    }
  }

  private void pollFor(double seconds) throws IOException {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < end) {
      poll(end);
    }
  }

  private void poll(long until) throws IOException {
    long millis = Math.max(1, Math.min(10, (until - System.nanoTime()) / 1_000_000));
    selector.select(
        key -> {
          Connection c = (Connection) key.attachment();
          try {
            if (key.isConnectable()) {
              if (c.channel.finishConnect()) {
                c.connected();
                key.interestOps(SelectionKey.OP_READ);
              }
            } else if (key.isReadable()) {
              c.read();
            }
          } catch (IOException | RuntimeException e) {
            c.fail();
          }
        },
        millis);
  }

  /** One connection's state: its handshake, its read buffer, and the last {@code n} it saw. */
  private final class Connection {
    final SocketChannel channel;
    final boolean stalled;
    final long startedAt = System.nanoTime();
    ByteBuffer in = ByteBuffer.allocate(2048);
    boolean open;
    boolean done; // failed or closed
    boolean gotFirst;
    long last = -1;

    Connection(SocketChannel channel, boolean stalled) {
      this.channel = channel;
      this.stalled = stalled;
    }

    void connected() throws IOException {
      write(ByteBuffer.wrap(upgradeRequest));
    }

    void read() throws IOException {
      if (!in.hasRemaining()) {
        in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
      }
      if (channel.read(in) < 0) {
        fail();
        return;
      }
      in.flip();
      if (!open && !handshake()) {
        in.compact();
        return;
      }
      while (frame()) {
        // one frame handled
      }
      in.compact();
    }

    /** Reads the upgrade response; false while it is incomplete. */
    boolean handshake() throws IOException {
      byte[] a = in.array();
      int end = -1;
      for (int i = in.position(); i + 3 < in.limit(); i++) {
        if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
          end = i + 4;
          break;
        }
      }
      if (end < 0) {
        return false;
      }
      String status = new String(a, in.position(), 12, StandardCharsets.US_ASCII);
      if (!status.equals("HTTP/1.1 101")) {
        throw new IOException("upgrade refused: " + status);
      }
      in.position(end);
      open = true;
      pending--;
      connected++;
      return true;
    }

    /** Handles one complete frame at the buffer's position; false if there is none yet. */
    boolean frame() throws IOException {
      int p = in.position();
      int available = in.remaining();
      if (available < 2) {
        return false;
      }
      byte[] a = in.array();
      int opcode = a[p] & 0x0f;
      long length = a[p + 1] & 0x7f;
      int header = 2;
      if (length == 126) {
        if (available < 4) {
          return false;
        }
        length = ((a[p + 2] & 0xff) << 8) | (a[p + 3] & 0xff);
        header = 4;
      } else if (length == 127) {
        if (available < 10) {
          return false;
        }
        length = in.getLong(p + 2);
        header = 10;
      }
      if (header + length > in.capacity()) {
        return false; // read() grows the buffer when it is full
      }
      if (available < header + length) {
        return false;
      }
      int off = p + header;
      int len = (int) length;
      in.position(off + len);
      switch (opcode) {
        case 0, 1 -> text(a, off, len);
        case 8 -> fail();
        case 9 -> send(0x8a, a, off, len); // pong
        default -> {
          // pongs and binary frames are not part of the workload
        }
      }
      return !done && channel.isOpen() && (!stalled || !gotFirst);
    }

    void text(byte[] a, int off, int len) throws IOException {
      long now = System.nanoTime();
      if (options.socketIo()) {
        if (len > 0 && a[off] == '0') {
          send(0x81, "40".getBytes(StandardCharsets.US_ASCII), 0, 2); // join the namespace
          return;
        }
        if (len == 1 && a[off] == '2') {
          send(0x81, new byte[] {'3'}, 0, 1); // Engine.IO pong
          return;
        }
      }
      long n = field(a, off, len, N);
      long ts = field(a, off, len, TS);
      if (n < 0 || ts < 0) {
        return;
      }
      if (!gotFirst) {
        gotFirst = true;
        long from = options.restart() ? epoch : startedAt;
        firstFrame.recordValue(Math.min((now - from) / 1000, LoadResult.MAX_MICROS));
        if (stalled) {
          channel.keyFor(selector).interestOps(0); // a frozen browser: never reads again
          return;
        }
      }
      if (last >= 0 && n != last + 1 && measuring) {
        gaps++;
      }
      last = n;
      if (measuring) {
        messages++;
        latency.recordValue(Math.max(0, Math.min((now - ts) / 1000, LoadResult.MAX_MICROS)));
      }
    }

    /**
     * Sends a small client frame; a client masks, here with a zero key, which leaves bytes as they
     * are.
     */
    void send(int firstByte, byte[] payload, int off, int len) throws IOException {
      ByteBuffer frame = ByteBuffer.allocate(6 + len);
      frame.put((byte) firstByte).put((byte) (0x80 | len)).putInt(0).put(payload, off, len).flip();
      write(frame);
    }

    /** Writes a few bytes; a socket buffer too full for them means the run is broken anyway. */
    void write(ByteBuffer b) throws IOException {
      for (int tries = 0; b.hasRemaining() && tries < 1000; tries++) {
        channel.write(b);
      }
      if (b.hasRemaining()) {
        throw new IOException("the socket does not take a small write");
      }
    }

    void fail() {
      if (done) {
        return;
      }
      done = true;
      if (!open) {
        notConnected();
      }
      try {
        channel.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  /** The number after {@code key} in {@code a[off, off + len)}, or -1. */
  static long field(byte[] a, int off, int len, byte[] key) {
    int end = off + len;
    outer:
    for (int i = off; i + key.length < end; i++) {
      for (int k = 0; k < key.length; k++) {
        if (a[i + k] != key[k]) {
          continue outer;
        }
      }
      long value = 0;
      int j = i + key.length;
      for (; j < end && a[j] >= '0' && a[j] <= '9'; j++) {
        value = value * 10 + (a[j] - '0');
      }
      return j == i + key.length ? -1 : value;
    }
    return -1;
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
