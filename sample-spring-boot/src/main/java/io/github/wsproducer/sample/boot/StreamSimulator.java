package io.github.wsproducer.sample.boot;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Stands in for the pipelines a real wall watches: every 500 ms, adds events (and now and then an
 * error) to the rows of {@code stream_status} and moves their lag. The wsproducer topics read the
 * table with SQL, as they would a real one.
 */
final class StreamSimulator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StreamSimulator.class);

  private final JdbcTemplate jdbc;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "stream-simulator"));

  StreamSimulator(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
    timer.scheduleWithFixedDelay(this::step, 500, 500, TimeUnit.MILLISECONDS);
  }

  private void step() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    try {
      jdbc.update(
          "UPDATE stream_status SET events = events + ?, errors = errors + ?, lag_ms = ?"
              + " WHERE name = ?",
          random.nextInt(1, 40),
          random.nextInt(100) < 5 ? 1 : 0,
          random.nextInt(50, 3000),
          "stream-" + random.nextInt(1, 5));
    } catch (RuntimeException e) { // the table may be gone for a while; keep going
      log.debug("simulation step failed", e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
