/**
 * The lease's Redis scripts (STYLE.md: scripts kept apart from the code that calls them). Strings in a module of
 * their own rather than `.lua` files, because tsc copies no `.lua` into dist. KEYS[1] is the lease, KEYS[2] its
 * fencing counter, which never expires: tokens only grow, across every holder the leased thing ever had.
 */

/** SET NX PX with a fencing token from INCR, in one step: returns the token, or nil when the lease is held. */
export const ACQUIRE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return nil end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], token .. ':' .. ARGV[1], 'PX', ARGV[2])
return token
`;

/** Extends the lease only while it still holds this holder's value: 1 renewed, 0 lost. */
export const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/** Gives the lease up only if it is still this holder's: a late release cannot free the next holder's lease. */
export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** Raises the fencing counter to at least ARGV[1] (Postgres saw a higher token than Redis remembers: Redis lost data). */
export const RAISE_FLOOR = `
local current = tonumber(redis.call('GET', KEYS[2]) or '0')
if current < tonumber(ARGV[1]) then redis.call('SET', KEYS[2], ARGV[1]) end
return 1
`;
