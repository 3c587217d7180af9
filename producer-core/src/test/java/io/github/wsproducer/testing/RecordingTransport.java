package io.github.wsproducer.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsproducer.spi.Transport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
 * A transport that records what the hub sends, for polling with a timeout. It can be stalled, like
 * a client that stops reading: sends then stay pending until {@link #release()}.
 */
public final class RecordingTransport implements Transport {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private record Pending(List<String> texts, SendCallback callback) {}

  public final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
  public final AtomicInteger pings = new AtomicInteger();

  /** Calls of {@link #send}, each of which may carry several frames. */
  public final AtomicInteger writes = new AtomicInteger();

  public volatile int closeCode = -1;
  public volatile String closeReason;
  public volatile boolean aborted;
  private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
  private volatile boolean stalled;

  public RecordingTransport stall() {
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
  public void send(List<ByteBuffer> utf8Frames, SendCallback callback) {
    List<String> texts = new ArrayList<>();
    utf8Frames.forEach(f -> texts.add(StandardCharsets.UTF_8.decode(f).toString()));
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
