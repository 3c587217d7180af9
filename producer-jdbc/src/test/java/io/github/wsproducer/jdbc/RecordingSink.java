package io.github.wsproducer.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsproducer.UpdateSink;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A sink that records what a source does, for polling with a timeout. */
final class RecordingSink implements UpdateSink {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  final BlockingQueue<JsonNode> published = new LinkedBlockingQueue<>();
  final BlockingQueue<String> errors = new LinkedBlockingQueue<>();
  final AtomicInteger heartbeats = new AtomicInteger();
  volatile boolean watched = true;

  @Override
  public void publish(String topic, Object value) {
    published.add(JSON.valueToTree(value));
  }

  @Override
  public void heartbeat(String topic) {
    heartbeats.incrementAndGet();
  }

  @Override
  public void reportError(String topic, String message) {
    errors.add(message);
  }

  @Override
  public boolean isWatched(String topic) {
    return watched;
  }

  JsonNode next() throws InterruptedException {
    JsonNode value = published.poll(10, TimeUnit.SECONDS);
    assertThat(value).as("a publish within 10 s").isNotNull();
    return value;
  }

  String nextError() throws InterruptedException {
    String error = errors.poll(10, TimeUnit.SECONDS);
    assertThat(error).as("an error within 10 s").isNotNull();
    return error;
  }
}
