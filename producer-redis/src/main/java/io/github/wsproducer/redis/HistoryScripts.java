package io.github.wsproducer.redis;

/**
 * The Lua scripts of {@link RedisHistory}. A topic's history keys share its hash tag, so the
 * scripts also work on Redis Cluster.
 *
 * <p>Every node of a cluster appends the same updates, at the same {@code (epoch, seq)}: a script
 * keeps the first and ignores the rest, so an update is kept once however many nodes append it.
 * Stream ids are the update's time ({@code <ms>-<n>}), raised to the last one's when a node's clock
 * is behind, so that the history is read by time with {@code XRANGE}. Counts fit Lua's numbers
 * (doubles): times and positions stay far below 2^53.
 */
final class HistoryScripts {
  private HistoryScripts() {}

  /**
   * KEYS: updates (stream), meta (hash), series (stream). ARGV: epoch, seq, ts, data, retention in
   * ms, max bytes. Returns 1 when kept, 0 for a position kept already.
   *
   * <p>Meta holds the last position kept ({@code e}, {@code s}), its time ({@code t}), the bytes
   * kept ({@code b}) and the latest snapshot's position ({@code pe}, {@code ps}): updates after it
   * are never trimmed, so a restart can always fold them. Trimming drops at most 32 updates a call,
   * oldest first, and the series snapshots older than the oldest update left, but one.
   */
  static final String APPEND =
      """
      local e, s, ts = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
      local m = redis.call('HMGET', KEYS[2], 'e', 's', 't', 'b', 'pe', 'ps')
      if m[1] then
        local le, ls = tonumber(m[1]), tonumber(m[2])
        if e < le or (e == le and s <= ls) then return 0 end
      end
      if m[3] and ts < tonumber(m[3]) then ts = tonumber(m[3]) end
      local bytes = tonumber(m[4] or '0') + 32 + #ARGV[4]
      redis.call('XADD', KEYS[1], string.format('%d-*', ts), 'e', ARGV[1], 's', ARGV[2], 'd', ARGV[4])
      local cutoff, max = ts - tonumber(ARGV[5]), tonumber(ARGV[6])
      local pe, ps = tonumber(m[5] or '-1'), tonumber(m[6] or '-1') -- none: nothing is held back
      local dropped = {}
      for _, row in ipairs(redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 32)) do
        local f = row[2]
        local re, rs = tonumber(f[2]), tonumber(f[4])
        local ms = tonumber(string.match(row[1], '^(%d+)'))
        if (m[5] and (re > pe or (re == pe and rs > ps))) or (bytes <= max and ms >= cutoff) then break end
        bytes = bytes - 32 - #f[6]
        dropped[#dropped + 1] = row[1]
      end
      if #dropped > 0 then
        redis.call('XDEL', KEYS[1], unpack(dropped))
        local oldest = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
        if #oldest > 0 then
          local from = tonumber(string.match(oldest[1][1], '^(%d+)'))
          for _ = 1, 8 do
            local two = redis.call('XRANGE', KEYS[3], '-', '+', 'COUNT', 2)
            if #two < 2 or tonumber(string.match(two[2][1], '^(%d+)')) > from then break end
            redis.call('XDEL', KEYS[3], two[1][1])
          end
        end
      end
      redis.call('HSET', KEYS[2], 'e', ARGV[1], 's', ARGV[2], 't', string.format('%d', ts), 'b', string.format('%d', bytes))
      return 1
      """;

  /**
   * KEYS: snapshot (hash), series (stream), meta (hash). ARGV: epoch, seq, ts, data, the series'
   * spacing in ms. Keeps the snapshot unless a later one is kept, and one in the series a spacing.
   */
  static final String SNAPSHOT =
      """
      local e, s, ts = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
      local cur = redis.call('HMGET', KEYS[1], 'e', 's')
      if cur[1] then
        local ce, cs = tonumber(cur[1]), tonumber(cur[2])
        if e < ce or (e == ce and s <= cs) then return 0 end
      end
      redis.call('HSET', KEYS[1], 'e', ARGV[1], 's', ARGV[2], 't', ARGV[3], 'd', ARGV[4])
      redis.call('HSET', KEYS[3], 'pe', ARGV[1], 'ps', ARGV[2])
      local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
      if #last == 0 or ts - tonumber(string.match(last[1][1], '^(%d+)')) >= tonumber(ARGV[5]) then
        redis.call('XADD', KEYS[2], string.format('%d-*', ts), 'e', ARGV[1], 's', ARGV[2], 't', ARGV[3], 'd', ARGV[4])
      end
      return 1
      """;
}
