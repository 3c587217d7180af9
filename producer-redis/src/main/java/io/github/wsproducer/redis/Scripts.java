package io.github.wsproducer.redis;

/**
 * The Lua scripts that keep each topic's stream consistent. All keys of a topic share a hash tag,
 * so the scripts also work on Redis Cluster.
 *
 * <p>An update's stream id is {@code <seq>-0}: the seq is the id, so every node derives the same
 * one. A status entry (heartbeat or error of the producing source) is {@code <seq>-<n>}, n > 0,
 * after the update it follows. Only the holder of the topic's lease may write (fencing): a node
 * that lost its lease cannot add entries any more.
 */
final class Scripts {
  private Scripts() {}

  /**
   * KEYS: stream, epoch, lease. ARGV: node, value, max length, epoch to start if none, whether the
   * value is whole (1) or a change (0).
   */
  static final String PUBLISH =
      """
      if redis.call('GET', KEYS[3]) ~= ARGV[1] then return redis.error_reply('NOTLEADER') end
      local epoch = redis.call('GET', KEYS[2])
      if not epoch then
        epoch = ARGV[4]
        redis.call('SET', KEYS[2], epoch)
        redis.call('DEL', KEYS[1])
      end
      local seq = 1
      local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
      if #last > 0 then seq = tonumber(string.match(last[1][1], '^(%d+)')) + 1 end
      redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], seq .. '-0', 'e', epoch, 'v', ARGV[2], 'w', ARGV[5])
      return seq
      """;

  /** KEYS: stream, epoch, lease. ARGV: node, kind (heartbeat or error), message, max length. */
  static final String STATUS =
      """
      if redis.call('GET', KEYS[3]) ~= ARGV[1] then return redis.error_reply('NOTLEADER') end
      local epoch = redis.call('GET', KEYS[2])
      if not epoch then return 0 end
      local seq = 0
      local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
      if #last > 0 then seq = tonumber(string.match(last[1][1], '^(%d+)')) end
      redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[4], seq .. '-*', 'e', epoch, 's', ARGV[2], 'm', ARGV[3])
      return 1
      """;

  /** KEYS: lease. ARGV: node, ttl in ms. Returns 1 when the node holds the lease. */
  static final String LEASE =
      """
      local holder = redis.call('GET', KEYS[1])
      if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
      if not holder then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
      return 0
      """;

  /** KEYS: lease. ARGV: node. */
  static final String RELEASE =
      """
      if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
      return 1
      """;
}
