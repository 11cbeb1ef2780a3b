/**
 * GCRA (the generic cell rate algorithm) over one Redis key: the key holds the "theoretical arrival time" (ms) of the
 * next send. A slot is granted when it is due within `maxWait` and then reserved (the time moves on by one
 * interval), so waiters are served in turn instead of racing; otherwise nothing is reserved and the wait is answered.
 * Redis's own clock, so replicas with skewed clocks share one rate.
 *
 * KEYS[1] the bucket; ARGV[1] interval ms (1000 / rate); ARGV[2] burst tolerance ms; ARGV[3] longest wait ms.
 * Returns {granted (1|0), wait ms}.
 */
export const GCRA_TAKE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local maxWait = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - tolerance - now
if wait < 0 then wait = 0 end
if wait > maxWait then return {0, math.ceil(wait)} end
local nextTat = tat + interval
redis.call('SET', KEYS[1], tostring(nextTat), 'PX', math.ceil(nextTat - now) + 1000)
return {1, math.ceil(wait)}
`;
