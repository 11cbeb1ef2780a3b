/**
 * The replica presence's Redis scripts (kept apart like lease-scripts.ts). KEYS[1] is a sorted set of live replicas
 * scored by when their presence runs out, KEYS[2] a hash of each one's load. Expiry is judged on Redis's clock, so
 * replicas whose clocks disagree still agree on who is alive.
 */

/**
 * Says replica ARGV[1] is alive for ARGV[2] ms with load ARGV[3], forgets replicas whose presence ran out, and returns
 * the live ones as a flat [id, load, id, load, ...] list. The keys outlive the longest presence written to them, so
 * they vanish once every replica is gone.
 */
export const BEAT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
local gone = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
for _, id in ipairs(gone) do redis.call('HDEL', KEYS[2], id) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
for i = 1, 2 do
  if redis.call('PTTL', KEYS[i]) < ttl then redis.call('PEXPIRE', KEYS[i], ttl) end
end
return redis.call('HGETALL', KEYS[2])
`;

/** Removes replica ARGV[1] at once (a clean shutdown): the others share its keys on their next scan. */
export const LEAVE = `
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
`;
