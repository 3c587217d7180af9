package io.github.wsproducer.internal;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A topic's subscribers, and the batching rules that decide when their frames are written.
 *
 * <ul>
 *   <li>When no other update of the topic waits, a frame is sent at once: a quiet topic never waits
 *       for a batch.
 *   <li>When updates wait behind each other (they come faster than they are written), a broadcast
 *       only queues its frames, and one flush after the waiting updates, or after {@value
 *       #MAX_UNFLUSHED} updates at most, sends each connection all of them in one write. A socket
 *       write costs far more than the bytes in it, so under load the cost per frame falls instead
 *       of the backlog growing.
 *   <li>On each connection, frames that queue behind a write in flight go out together in the next
 *       write ({@link ClientConnection}).
 * </ul>
 *
 * <p>Confined to the topic's serial executor, like the rest of the topic.
 */
final class FanOut {
  /** Updates whose frames may wait in the connections' queues for one flush. */
  static final int MAX_UNFLUSHED = 16;

  private final SerialExecutor serial;
  private final Members envelope = new Members();
  private final Members plain = new Members();
  private volatile int count; // read by isWatched from any thread
  private int unflushed; // broadcasts whose frames are queued but not yet flushed
  private boolean flushScheduled;

  FanOut(SerialExecutor serial) {
    this.serial = serial;
  }

  int count() {
    return count;
  }

  void add(ClientConnection connection) {
    (connection.isEnvelope() ? envelope : plain).add(connection);
    count = envelope.size() + plain.size();
  }

  void remove(ClientConnection connection) {
    envelope.remove(connection);
    plain.remove(connection);
    count = envelope.size() + plain.size();
  }

  boolean contains(ClientConnection connection) {
    return envelope.contains(connection) || plain.contains(connection);
  }

  /**
   * Sends a frame to every envelope subscriber at once (a status, a snapshot with reset); it is
   * made only if there is one.
   */
  void offerEnvelope(Supplier<Frame> frame) {
    if (!envelope.isEmpty()) {
      Frame f = frame.get();
      for (ClientConnection c : envelope.array()) {
        c.offer(f);
      }
    }
  }

  /** Sends a frame to every plain subscriber at once. */
  void offerPlain(Frame frame) {
    for (ClientConnection c : plain.array()) {
      c.offer(frame);
    }
  }

  /**
   * Sends an update's frames by the rules above.
   *
   * @param plainFrame made only if a plain subscriber is there; it may return {@code null} for none
   */
  void broadcast(Frame envelopeFrame, Supplier<Frame> plainFrame) {
    boolean defer = serial.hasQueued();
    for (ClientConnection c : envelope.array()) {
      send(c, envelopeFrame, defer);
    }
    Frame p = plain.isEmpty() ? null : plainFrame.get();
    if (p != null) {
      for (ClientConnection c : plain.array()) {
        send(c, p, defer);
      }
    }
    if (!defer) {
      unflushed = 0;
    } else if (++unflushed >= MAX_UNFLUSHED) {
      flush();
    } else if (!flushScheduled) {
      flushScheduled = true;
      serial.execute(
          () -> {
            flushScheduled = false;
            flush();
          });
    }
  }

  private static void send(ClientConnection c, Frame frame, boolean defer) {
    if (defer) {
      c.enqueue(frame);
    } else {
      c.offer(frame);
    }
  }

  private void flush() {
    unflushed = 0;
    for (ClientConnection c : envelope.array()) {
      c.flush();
    }
    for (ClientConnection c : plain.array()) {
      c.flush();
    }
  }

  /**
   * One form's subscribers: a set, and the same as an array, made again on the first send after a
   * change. Sending walks the array, not the set's entries, so a frame touches no memory of the
   * set's per connection.
   */
  private static final class Members {
    private static final ClientConnection[] NONE = {};

    private final Set<ClientConnection> set = new LinkedHashSet<>();
    private ClientConnection[] array = NONE; // null after a change, until the next send

    void add(ClientConnection connection) {
      if (set.add(connection)) {
        array = null;
      }
    }

    void remove(ClientConnection connection) {
      if (set.remove(connection)) {
        array = null;
      }
    }

    boolean contains(ClientConnection connection) {
      return set.contains(connection);
    }

    boolean isEmpty() {
      return set.isEmpty();
    }

    int size() {
      return set.size();
    }

    ClientConnection[] array() {
      ClientConnection[] a = array;
      return a != null ? a : (array = set.toArray(NONE));
    }
  }
}
