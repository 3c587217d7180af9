package io.github.wsproducer.internal;

import io.github.wsproducer.protocol.ClientMessage;
import io.github.wsproducer.protocol.ErrorCode;
import io.github.wsproducer.protocol.ServerMessage;
import io.github.wsproducer.spi.HistoryStore.Entry;
import io.github.wsproducer.spi.HttpResponse;
import io.github.wsproducer.spi.NamedThreads;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads topics' history for clients ({@code history} requests) on threads of its own, so that a
 * long read never holds up a topic or a transport: a time range thinned to a number of points, in
 * even slices of time, each the last update of its slice (a keyed topic's updates in a slice
 * merged, so that no key's change is lost).
 */
final class HistoryReads {
  private static final Logger log = LoggerFactory.getLogger(HistoryReads.class);

  /** The most bytes of updates in one answer; the oldest go first to keep to it. */
  static final int MAX_BYTES = 512 * 1024;

  /** Reads waiting beyond the threads; more are refused with {@code unavailable}. */
  static final int MAX_WAITING = 10_000;

  private final Clock clock;
  private final Codec codec;
  private final ThreadPoolExecutor threads =
      new ThreadPoolExecutor(
          2,
          2,
          30,
          TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(MAX_WAITING),
          new NamedThreads("wsproducer-history"));

  HistoryReads(Clock clock, Codec codec) {
    this.clock = clock;
    this.codec = codec;
    threads.allowCoreThreadTimeOut(true);
  }

  /** Answers a request on a connection, later, or at once that the server is too busy. */
  void answer(ClientConnection connection, TopicEngine engine, ClientMessage.History request) {
    try {
      threads.execute(() -> connection.offer(read(engine, request)));
    } catch (RejectedExecutionException e) {
      connection.offer(
          codec.error(
              ErrorCode.UNAVAILABLE,
              "too many history requests at once; ask again in a moment",
              request.topic()));
    }
  }

  private Frame read(TopicEngine engine, ClientMessage.History request) {
    long now = clock.millis();
    long until = Math.min(request.until(), now);
    long since = request.since() < 0 ? now + request.since() : request.since();
    Slices slices;
    String state = null;
    try {
      long from = since;
      if (request.state()) {
        state = stateAt(engine, since);
        from = since + 1; // the updates after the state
      }
      // Sliced from the first update there is: a range from long before it keeps its points.
      long[] first = {from};
      engine.stored().scan(from, until, update -> (first[0] = update.ts()) < 0);
      slices = new Slices(first[0], until, request.points(), engine.keyed());
      engine.stored().scan(first[0], until, slices);
    } catch (RuntimeException e) {
      log.error("topic {}: its history could not be read", request.topic(), e);
      return codec.error(
          ErrorCode.UNAVAILABLE, "the topic's history could not be read", request.topic());
    }
    List<Item> items = slices.items();
    long bytes = items.stream().mapToLong(i -> i.json().length()).sum();
    ArrayDeque<Item> kept = new ArrayDeque<>(items);
    while (bytes > MAX_BYTES && kept.size() > 1) {
      bytes -= kept.removeFirst().json().length();
    }
    return codec.history(
        request.topic(),
        request.id(),
        kept.size() < items.size() ? kept.peekFirst().ts() : since,
        until,
        slices.downsampled,
        state,
        kept.stream().map(Item::json).toList());
  }

  /**
   * The topic's state as of {@code ts}: the snapshot before it with the updates up to it folded in,
   * as the built-in kinds fold; {@code "null"} when the store has no snapshot that old, or the
   * topic's kind is one of its own and updates would need folding.
   */
  private String stateAt(TopicEngine engine, long ts) {
    Entry snapshot = engine.stored().snapshotAt(ts);
    if (snapshot == null) {
      return "null";
    }
    String kind = engine.kind();
    JsonNode[] state = {codec.parse(snapshot.data())};
    Entry[] last = {snapshot};
    boolean[] foldable = {true};
    engine
        .stored()
        .scan(
            snapshot.ts(),
            ts,
            update -> {
              if (!update.isAfter(snapshot)) {
                return true;
              }
              JsonNode data = codec.parse(update.data());
              switch (kind) {
                case "latest" -> state[0] = data;
                case "keyed" -> {
                  if (state[0] instanceof ObjectNode object && data instanceof ObjectNode change) {
                    change
                        .properties()
                        .forEach(
                            e -> {
                              if (e.getValue().isNull()) {
                                object.remove(e.getKey());
                              } else {
                                object.set(e.getKey(), e.getValue());
                              }
                            });
                  }
                }
                case "window" -> {
                  if (state[0] instanceof ArrayNode events) {
                    events.add(data);
                    while (events.size() > Math.max(1, engine.capacity())) {
                      events.remove(0);
                    }
                  }
                }
                default -> foldable[0] = false;
              }
              last[0] = update;
              return foldable[0];
            });
    if (!foldable[0]) {
      return "null";
    }
    return ServerMessage.historyUpdate(
        last[0].epoch(), last[0].seq(), last[0].ts(), codec.json(state[0]));
  }

  /** The most updates in one export; more are linked to. */
  static final int MAX_EXPORT = 100_000;

  /** The most bytes of lines in one export, so that two at once hold little of the heap. */
  static final int MAX_EXPORT_BYTES = 4 << 20;

  /**
   * A topic's updates from {@code since} to {@code until} as NDJSON, about {@link #MAX_EXPORT} or
   * {@link #MAX_EXPORT_BYTES} at most, ending where the time moves on; when there are more, a
   * {@code Link} header names the request for the rest.
   */
  CompletableFuture<HttpResponse> export(TopicEngine engine, long since, long until, String path) {
    CompletableFuture<HttpResponse> answer = new CompletableFuture<>();
    try {
      threads.execute(
          () -> {
            long to = Math.min(until, clock.millis());
            StringBuilder lines = new StringBuilder();
            int[] count = {0};
            long[] last = {Long.MIN_VALUE};
            long[] next = {-1};
            try {
              engine
                  .stored()
                  .scan(
                      since,
                      to,
                      update -> {
                        // Full, an answer ends where the time moves on: the next starts there.
                        boolean full = count[0] >= MAX_EXPORT || lines.length() >= MAX_EXPORT_BYTES;
                        if (full && update.ts() > last[0]) {
                          next[0] = update.ts();
                          return false;
                        }
                        count[0]++;
                        last[0] = update.ts();
                        lines
                            .append(
                                ServerMessage.historyUpdate(
                                    update.epoch(), update.seq(), update.ts(), update.data()))
                            .append('\n');
                        return true;
                      });
            } catch (RuntimeException e) {
              log.error("{}: the history could not be read", path, e);
              answer.complete(
                  HttpResponse.json(503, "{\"error\":\"the topic's history could not be read\"}"));
              return;
            }
            HttpResponse ndjson =
                new HttpResponse(
                    200,
                    "application/x-ndjson",
                    lines.toString().getBytes(StandardCharsets.UTF_8),
                    Map.of());
            answer.complete(
                next[0] < 0
                    ? ndjson
                    : ndjson.withHeader(
                        "Link",
                        "<" + path + "?since=" + next[0] + "&until=" + to + ">; rel=\"next\""));
          });
    } catch (RejectedExecutionException e) {
      answer.complete(
          HttpResponse.json(503, "{\"error\":\"too many history requests at once\"}")
              .withHeader("Retry-After", "1"));
    }
    return answer;
  }

  void close() {
    threads.shutdownNow();
  }

  private record Item(long ts, String json) {}

  /**
   * The updates of a time range: all of them when they are no more than the points asked for,
   * otherwise in even slices, each the last of its slice, or merged.
   */
  private final class Slices implements java.util.function.Predicate<Entry> {
    private final long since;
    private final long width;
    private final int points;
    private final boolean merge;
    private final List<Entry> all = new ArrayList<>(); // while no more than the points
    private final List<Item> items = new ArrayList<>();
    private long slice = -1;
    private Entry last; // the last update of the current slice
    private ObjectNode merged; // a keyed topic's updates of the current slice, when more than one
    boolean downsampled;

    Slices(long since, long until, int points, boolean merge) {
      this.since = since;
      this.width = Math.max(1, (until - since) / points + 1);
      this.points = points;
      this.merge = merge;
    }

    @Override
    public boolean test(Entry update) {
      if (all.size() <= points) {
        all.add(update);
      }
      long at = (update.ts() - since) / width;
      if (at != slice) {
        flush();
        slice = at;
      } else {
        downsampled = true;
        if (merge) {
          if (merged == null) {
            merged = asObject(last.data());
          }
          if (merged != null) {
            ObjectNode next = asObject(update.data());
            if (next != null) {
              merged.setAll(next);
            }
          }
        }
      }
      last = update;
      return true;
    }

    private ObjectNode asObject(String data) {
      return codec.parse(data) instanceof ObjectNode object ? object : null;
    }

    private void flush() {
      if (last != null) {
        String data = merged != null ? codec.json(merged) : last.data();
        items.add(new Item(last.ts(), item(last, data)));
      }
      last = null;
      merged = null;
    }

    List<Item> items() {
      if (all.size() <= points) {
        downsampled = false;
        return all.stream().map(e -> new Item(e.ts(), item(e, e.data()))).toList();
      }
      flush();
      return items;
    }

    private String item(Entry update, String data) {
      return ServerMessage.historyUpdate(update.epoch(), update.seq(), update.ts(), data);
    }
  }
}
