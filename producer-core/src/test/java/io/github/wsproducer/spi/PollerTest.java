package io.github.wsproducer.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.wsproducer.testkit.RecordingSink;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A poll under way when the source is closed. */
class PollerTest {

  @Test
  void closeReturnsOnceThePollUnderWayHasPublished() throws Exception {
    CountDownLatch polling = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RecordingSink sink = new RecordingSink();
    Poller poller =
        new Poller(
            "t",
            Duration.ofHours(1),
            Duration.ofHours(1),
            null,
            target -> {
              polling.countDown();
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              target.publish("t", 1);
              return Poller.Outcome.MORE; // would poll again at once, if not closed
            },
            e -> "source error");
    poller.start(sink);
    assertThat(polling.await(10, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Integer> publishedWhenClosed =
        CompletableFuture.supplyAsync(
            () -> {
              poller.close();
              return sink.published.size();
            });
    await().during(Duration.ofMillis(200)).until(() -> !publishedWhenClosed.isDone());
    release.countDown();
    assertThat(publishedWhenClosed.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    await().during(Duration.ofMillis(200)).until(() -> sink.published.size() == 1);
  }

  @Test
  void aPollThatHangsIsLeftBehindByCloseAndPublishesNothing() throws Exception {
    CountDownLatch polling = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<RuntimeException> refused = new CompletableFuture<>();
    RecordingSink sink = new RecordingSink();
    Poller poller =
        new Poller(
            "t",
            Duration.ofHours(1),
            Duration.ofHours(1),
            null,
            target -> {
              polling.countDown();
              while (release.getCount() > 0) { // a connection that never answers
                try {
                  release.await();
                } catch (InterruptedException e) {
                  // ignored, as a driver blocked in a socket read ignores it
                }
              }
              try {
                target.publish("t", 1);
              } catch (RuntimeException e) {
                refused.complete(e);
              }
              return Poller.Outcome.DONE;
            },
            e -> "source error");
    poller.start(sink);
    assertThat(polling.await(10, TimeUnit.SECONDS)).isTrue();

    long start = System.nanoTime();
    poller.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isBetween(Poller.CLOSE_WAIT, Poller.CLOSE_WAIT.plusSeconds(2));
    release.countDown();
    assertThat(refused.get(10, TimeUnit.SECONDS)).hasMessageContaining("is closed");
    assertThat(sink.published).isEmpty();
  }
}
