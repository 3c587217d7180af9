package io.github.wsproducer.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsproducer.kafka.LagWindow.Sample;
import io.github.wsproducer.kafka.LagWindow.Status;
import org.junit.jupiter.api.Test;

/** Burrow's rules over a window of samples, and the time lag from the end offsets seen. */
class LagWindowTest {

  /** Samples 10 s apart: {offset, end} each. */
  private static LagWindow window(long[][] samples) {
    LagWindow w = new LagWindow(samples.length);
    for (int i = 0; i < samples.length; i++) {
      w.add(new Sample(samples[i][0], samples[i][1], i * 10_000L));
    }
    return w;
  }

  @Test
  void aWindowWithNoLagAtSomePointIsOk() {
    LagWindow.Verdict v = window(new long[][] {{0, 10}, {10, 10}, {10, 30}, {12, 40}}).judge(true);
    assertThat(v.status()).isEqualTo(Status.OK);
    assertThat(v.rule()).isEqualTo("lag was zero within the window");
  }

  @Test
  void anOffsetThatDoesNotMoveWhileLagGrowsIsStalledWithMembersAndStoppedWithout() {
    long[][] samples = {{5, 10}, {5, 20}, {5, 30}, {5, 40}};
    LagWindow.Verdict stalled = window(samples).judge(true);
    assertThat(stalled.status()).isEqualTo(Status.STALL);
    assertThat(stalled.rule())
        .isEqualTo("the offset has not moved for 30 s while lag stayed or grew");
    LagWindow.Verdict stopped = window(samples).judge(false);
    assertThat(stopped.status()).isEqualTo(Status.STOP);
    assertThat(stopped.rule()).isEqualTo("no consumer, and the offset has not moved for 30 s");
  }

  @Test
  void anOffsetThatMovesWhileLagGrowsAtEverySampleIsAWarning() {
    LagWindow.Verdict v = window(new long[][] {{5, 10}, {8, 20}, {10, 30}, {12, 40}}).judge(true);
    assertThat(v.status()).isEqualTo(Status.WARN);
    assertThat(v.rule()).isEqualTo("the offset moves, but lag grew over 30 s");
    LagWindow.Verdict catchingUp =
        window(new long[][] {{5, 10}, {8, 20}, {20, 30}, {30, 40}}).judge(true);
    assertThat(catchingUp.status()).isEqualTo(Status.OK);
    assertThat(catchingUp.rule()).isEqualTo("lag is not growing");
  }

  @Test
  void anUnfilledWindowIsNotJudgedYet() {
    LagWindow w = new LagWindow(10);
    w.add(new Sample(5, 10, 0));
    w.add(new Sample(5, 20, 10_000));
    assertThat(w.judge(false).rule()).isEqualTo("judging: 2 of 10 samples");
    assertThat(w.judge(false).status()).isEqualTo(Status.OK);
  }

  @Test
  void theTimeLagIsWhenTheEndPassedTheOffsetInterpolated() {
    LagWindow w = new LagWindow(10);
    w.add(new Sample(0, 100, 0)); // the log had 100 records at 0 s
    w.add(new Sample(0, 200, 10_000)); // 200 at 10 s
    w.add(new Sample(150, 300, 20_000));
    // Record 150 was written between 0 s and 10 s, half-way: at 5 s; it is 25 s now.
    assertThat(w.timeLagMillis(150, 30_000)).isEqualTo(25_000);
    assertThat(w.timeLagMillis(300, 30_000)).as("at the end").isZero();
    assertThat(w.timeLagMillis(50, 30_000))
        .as("older than all seen: a lower bound")
        .isEqualTo(30_000);
  }
}
