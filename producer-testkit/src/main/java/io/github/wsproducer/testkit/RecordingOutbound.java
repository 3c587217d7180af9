package io.github.wsproducer.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsproducer.Hub;
import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.spi.Handshake;
import io.github.wsproducer.spi.Inbound;
import io.github.wsproducer.spi.Outbound;
import io.github.wsproducer.spi.TextFrame;
import io.github.wsproducer.spi.TransportOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client connection without a network: the hub writes to it as to a socket ({@link Outbound}),
 * and it records what arrives, for polling with a timeout. It can be stalled, like a client that
 * stops reading: sends then stay pending until {@link #release()}. For testing a hub, a source or a
 * replication module without a transport.
 *
 * <pre>{@code
 * RecordingOutbound screen = new RecordingOutbound();
 * screen.openEnvelope(hub);
 * screen.next("hello");
 * screen.send("{\"type\":\"subscribe\",\"topic\":\"orders\"}");
 * JsonNode snapshot = screen.next("snapshot");
 * }</pre>
 */
public final class RecordingOutbound implements Outbound {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The defaults, but without pings, which would interleave with what a test waits for. */
  public static final TransportOptions NO_PINGS =
      options(1 << 20, Duration.ofSeconds(30), Duration.ZERO);

  /** The default options but for these; {@link Duration#ZERO} turns pings off. */
  public static TransportOptions options(
      long maxQueuedBytes, Duration writeTimeout, Duration pingInterval) {
    return TransportOptions.builder()
        .maxQueuedBytes(maxQueuedBytes)
        .writeTimeout(writeTimeout)
        .pingInterval(pingInterval)
        .build();
  }

  /** The hub's side of this connection, once opened. */
  public volatile Inbound inbound;

  private record Pending(List<String> texts, SendCallback callback) {}

  public final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
  public final AtomicInteger pings = new AtomicInteger();

  /** Calls of {@link #send}, each of which may carry several frames. */
  public final AtomicInteger writes = new AtomicInteger();

  /** Calls of {@link #close}. */
  public final AtomicInteger closes = new AtomicInteger();

  public volatile int closeCode = -1;
  public volatile String closeReason;
  public volatile boolean aborted;
  private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
  private volatile boolean stalled;

  /** Opens this as an envelope connection with {@link #NO_PINGS}; the hub sends {@code hello}. */
  public Inbound openEnvelope(Hub hub) {
    return openEnvelope(hub, NO_PINGS);
  }

  /** Opens this as an envelope connection; the hub sends {@code hello}. */
  public Inbound openEnvelope(Hub hub, TransportOptions options) {
    return open(
        hub,
        options,
        new Handshake.Accept(
            io.github.wsproducer.protocol.Protocol.SUBPROTOCOL, null, "recording"));
  }

  /** Opens this as a plain connection on a topic; the hub sends its data. */
  public Inbound openPlain(Hub hub, String topic, TransportOptions options) {
    return open(hub, options, new Handshake.Accept(null, topic, "recording"));
  }

  private Inbound open(Hub hub, TransportOptions options, Handshake.Accept accept) {
    inbound = Endpoint.of(hub, options).open(accept, this);
    return inbound;
  }

  /** A text message from the client to the hub. */
  public void send(String text) {
    inbound.onText(text);
  }

  public RecordingOutbound stall() {
    stalled = true;
    return this;
  }

  /** Completes the pending sends and every later one. */
  public void release() {
    stalled = false;
    Pending p;
    while ((p = pending.poll()) != null) {
      frames.addAll(p.texts());
      p.callback().succeeded();
    }
  }

  @Override
  public void send(List<TextFrame> sent, SendCallback callback) {
    List<String> texts = new ArrayList<>();
    sent.forEach(f -> texts.add(f.toString()));
    writes.incrementAndGet();
    if (stalled) {
      pending.add(new Pending(texts, callback));
      if (!stalled) {
        release();
      }
      return;
    }
    frames.addAll(texts);
    callback.succeeded();
  }

  @Override
  public void ping() {
    pings.incrementAndGet();
  }

  @Override
  public void close(int code, String reason) {
    closes.incrementAndGet();
    closeCode = code;
    closeReason = reason;
  }

  @Override
  public void abort() {
    aborted = true;
  }

  @Override
  public String describe() {
    return "recording";
  }

  /** The next frame as text, failing after 5 s. */
  public String nextText() throws InterruptedException {
    String text = frames.poll(5, TimeUnit.SECONDS);
    assertThat(text).as("a frame within 5 s").isNotNull();
    return text;
  }

  /** The next frame parsed, failing after 5 s. */
  public JsonNode next() throws InterruptedException {
    return JSON.readTree(nextText());
  }

  /** The next frame, which must be of this type. */
  public JsonNode next(String type) throws InterruptedException {
    JsonNode frame = next();
    assertThat(frame.path("type").asString()).as("type of %s", frame).isEqualTo(type);
    return frame;
  }

  /** No frame arrives within a short while. */
  public void assertQuiet() throws InterruptedException {
    assertThat(frames.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }
}
