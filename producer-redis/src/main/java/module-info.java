/**
 * Shares wsproducer topics across server nodes through Redis Streams: one stream per topic, one
 * producing node per topic at a time, and the same {@code seq} on every node; and their history,
 * shared by every node ({@link io.github.wsproducer.redis.RedisHistory}).
 */
module io.github.wsproducer.redis {
  requires transitive io.github.wsproducer;
  requires lettuce.core;
  requires org.slf4j;

  exports io.github.wsproducer.redis;
}
