package io.github.wsproducer.testkit;

import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.spi.Handshake;
import io.github.wsproducer.spi.Inbound;
import io.github.wsproducer.spi.Outbound;
import io.github.wsproducer.spi.TextFrame;
import io.github.wsproducer.spi.TransportOptions;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Queue;

/**
 * An endpoint that sends every message back as it came, text as text and binary as binary, in
 * order: what a conformance suite such as Autobahn|Testsuite expects of the server it tests. It
 * accepts every handshake and has no topics: served by a transport in place of a hub, it proves the
 * transport's own handling of frames, fragments, UTF-8, pings and closes, whatever the hub's
 * protocol allows.
 */
public final class EchoEndpoint implements Endpoint {
  /** A message size for conformance suites, whose largest messages are 16 MiB. */
  public static final long MAX_MESSAGE_SIZE = 1 << 24;

  private final TransportOptions options;

  public EchoEndpoint(TransportOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public TransportOptions options() {
    return options;
  }

  @Override
  public Handshake.Decision decide(Handshake handshake) {
    return new Handshake.Accept(null, null, handshake.address());
  }

  @Override
  public Inbound open(Handshake.Accept accepted, Outbound outbound) {
    return new Echo(outbound);
  }

  /** One connection: one send outstanding at a time, as the {@link Outbound} contract asks. */
  private static final class Echo implements Inbound, Outbound.SendCallback {
    private final Outbound outbound;
    private final Queue<Object> waiting = new ArrayDeque<>(); // TextFrame or ByteBuffer
    private boolean sending; // a send is outstanding
    private boolean draining; // drain() is on the stack
    private boolean closed;

    Echo(Outbound outbound) {
      this.outbound = outbound;
    }

    @Override
    public void onText(String text) {
      echo(TextFrame.of(text));
    }

    @Override
    public void onBinary(ByteBuffer payload) {
      ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload.duplicate()).flip();
      echo(copy);
    }

    private synchronized void echo(Object message) {
      if (!closed) {
        waiting.add(message);
        drain();
      }
    }

    /** Sends what waits, one message at a time; a loop, as sends may complete inline. */
    private void drain() {
      if (draining) {
        return;
      }
      draining = true;
      for (Object next; !sending && (next = waiting.poll()) != null; ) {
        sending = true;
        if (next instanceof TextFrame text) {
          outbound.send(List.of(text), this);
        } else {
          outbound.sendBinary((ByteBuffer) next, this);
        }
      }
      draining = false;
    }

    @Override
    public synchronized void succeeded() {
      sending = false;
      drain();
    }

    @Override
    public synchronized void failed(Throwable cause) {
      onClosed();
    }

    @Override
    public void onPong() {}

    @Override
    public synchronized void onClosed() {
      closed = true;
      waiting.clear();
    }
  }
}
