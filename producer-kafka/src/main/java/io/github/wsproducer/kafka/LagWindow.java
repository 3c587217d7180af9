package io.github.wsproducer.kafka;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * One partition of a consumer group as a {@link KafkaLagSource} sees it, poll after poll: the last
 * samples of its committed and end offsets, judged by Burrow's rules, and the end offsets over
 * time, from which the time lag is estimated.
 *
 * <p>Burrow judges the offsets a group commits; the Admin API shows the committed offset but not
 * each commit, so the samples here are taken at each poll, and whether the group has members tells
 * a stopped consumer (none: STOP) from a stalled one (members, but no progress: STALL).
 */
final class LagWindow {
  /** A partition's verdict, worst last: a group's status is its worst partition's. */
  enum Status {
    OK,
    WARN,
    STALL,
    STOP
  }

  /** A status and the rule that decided it, in words for a wall. */
  record Verdict(Status status, String rule) {}

  /** One poll's view: the committed offset, the end offset, and when. */
  record Sample(long offset, long end, long at) {
    long lag() {
      return Math.max(0, end - offset);
    }
  }

  private static final int MAX_ENDS = 720; // an hour of end offsets at a poll every 5 s

  private final int size;
  private final ArrayDeque<Sample> window = new ArrayDeque<>();
  private final ArrayDeque<long[]> ends =
      new ArrayDeque<>(); // {end, at}: when the log had grown so

  LagWindow(int size) {
    this.size = size;
  }

  void add(Sample sample) {
    window.addLast(sample);
    while (window.size() > size) {
      window.removeFirst();
    }
    long[] last = ends.peekLast();
    if (last == null || sample.end() > last[0]) {
      ends.addLast(new long[] {sample.end(), sample.at()});
      while (ends.size() > MAX_ENDS) {
        ends.removeFirst();
      }
    }
  }

  Sample last() {
    return window.peekLast();
  }

  /**
   * Burrow's rules, in Burrow's order: a window with no lag at some point is OK; an offset that did
   * not move over a full window is STOP without members and STALL with them, when lag stayed or
   * grew; an offset that moves while lag grew at every sample is WARN; otherwise OK.
   */
  Verdict judge(boolean hasMembers) {
    Sample first = window.peekFirst();
    Sample last = window.peekLast();
    if (first == null) {
      return new Verdict(Status.OK, "no offsets yet");
    }
    for (Sample s : window) {
      if (s.lag() == 0) {
        return new Verdict(Status.OK, "lag was zero within the window");
      }
    }
    if (window.size() < size) {
      return new Verdict(Status.OK, "judging: " + window.size() + " of " + size + " samples");
    }
    String span = words(Duration.ofMillis(last.at() - first.at()));
    if (first.offset() == last.offset() && last.lag() >= first.lag()) {
      return hasMembers
          ? new Verdict(
              Status.STALL, "the offset has not moved for " + span + " while lag stayed or grew")
          : new Verdict(Status.STOP, "no consumer, and the offset has not moved for " + span);
    }
    if (last.offset() > first.offset() && lagNeverShrank()) {
      return new Verdict(Status.WARN, "the offset moves, but lag grew over " + span);
    }
    return new Verdict(Status.OK, "lag is not growing");
  }

  private boolean lagNeverShrank() {
    Iterator<Sample> it = window.iterator();
    long before = it.next().lag();
    long first = before;
    while (it.hasNext()) {
      long lag = it.next().lag();
      if (lag < before) {
        return false;
      }
      before = lag;
    }
    return before > first;
  }

  /**
   * How long ago the record at {@code offset} was written, estimated from when the end offset
   * passed it (interpolated between the two polls around it); 0 when the consumer is at the end.
   * For an offset older than every end seen, the age of the oldest seen: a lower bound.
   */
  long timeLagMillis(long offset, long now) {
    long[] previous = null;
    for (long[] e : ends) {
      if (e[0] > offset) {
        if (previous == null) {
          return Math.max(0, now - e[1]);
        }
        double share = (double) (offset - previous[0]) / (e[0] - previous[0]);
        long at = previous[1] + Math.round(share * (e[1] - previous[1]));
        return Math.max(0, now - at);
      }
      previous = e;
    }
    return 0;
  }

  static String words(Duration d) {
    long s = d.toSeconds();
    return s < 120 ? s + " s" : s < 7200 ? s / 60 + " min" : s / 3600 + " h";
  }
}
