package io.github.wsproducer;

import java.time.Instant;

/**
 * One topic's condition, read with {@link Hub#topicStats(String)}.
 *
 * @param topic the topic's name
 * @param subscribers connections subscribed to it now
 * @param stale whether its subscribers were told its data is stale ({@link Topic#staleAfter()})
 * @param error the error its source last reported ({@link UpdateSink#reportError}), until a publish
 *     or heartbeat clears it; {@code null} when there is none
 * @param errors errors reported for it since the hub was built
 * @param freshAt when its data was last known current: its last publish or heartbeat, or the hub's
 *     start
 */
public record TopicStats(
    String topic, int subscribers, boolean stale, String error, long errors, Instant freshAt) {

  /** Whether subscribers see the topic as it should be: neither stale nor in error. */
  public boolean ok() {
    return !stale && error == null;
  }
}
