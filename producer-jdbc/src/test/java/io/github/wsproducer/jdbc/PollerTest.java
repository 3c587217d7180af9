package io.github.wsproducer.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
            });
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
}
