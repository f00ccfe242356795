import type { Redis } from 'ioredis';
import type { EphemeralStore } from '../../core/chat/index.js';

/** Deletes the key only while it holds the caller's value, atomically. */
const DELETE_IF_EQUALS = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** INCR, with the window's expiry set by the first increment; returns the count and ms left. */
const INCREMENT_WINDOW = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}`;

/**
 * KEYS: the counters, then the lock. ARGV: window and limit per counter, then lock value and ttl.
 * Every counter is counted (so abuse keeps counting while refused); the lock is claimed only when
 * no counter is over its limit. Returns {0} admitted, {1} busy, {2, ms until reset} limited.
 */
const ADMIT = `
local n = #KEYS - 1
local limited = -1
for i = 1, n do
  local count = redis.call('INCR', KEYS[i])
  local window = tonumber(ARGV[2 * i - 1])
  if count == 1 then redis.call('PEXPIRE', KEYS[i], window) end
  if count > tonumber(ARGV[2 * i]) then
    local ttl = redis.call('PTTL', KEYS[i])
    if ttl < 0 then redis.call('PEXPIRE', KEYS[i], window); ttl = window end
    if ttl > limited then limited = ttl end
  end
end
if limited >= 0 then return {2, limited} end
if redis.call('SET', KEYS[#KEYS], ARGV[2 * n + 1], 'PX', ARGV[2 * n + 2], 'NX') then return {0, 0} end
return {1, 0}`;

/** The conversation core's ephemeral state on Redis (every key with a time to live). */
export function redisEphemeralStore(redis: Redis, prefix = 'aiport:'): EphemeralStore {
  const k = (key: string) => `${prefix}${key}`;
  return {
    async setIfAbsent(key, value, ttlMs) {
      return (await redis.set(k(key), value, 'PX', ttlMs, 'NX')) === 'OK';
    },
    async deleteIfEquals(key, value) {
      return (await redis.eval(DELETE_IF_EQUALS, 1, k(key), value)) === 1;
    },
    async increment(key, windowMs) {
      const [count, ttl] = (await redis.eval(INCREMENT_WINDOW, 1, k(key), windowMs)) as [number, number];
      return { count, resetInMs: ttl };
    },
    async admit(counters, lock) {
      const keys = [...counters.map((c) => k(c.key)), k(lock.key)];
      const args = [...counters.flatMap((c) => [c.windowMs, c.limit]), lock.value, lock.ttlMs];
      const [code, resetInMs] = (await redis.eval(ADMIT, keys.length, ...keys, ...args)) as [number, number];
      if (code === 2) return { outcome: 'limited', resetInMs };
      return { outcome: code === 0 ? 'admitted' : 'busy' };
    },
    async appendList(key, values, maxLength, ttlMs) {
      if (values.length === 0) return;
      await redis
        .multi()
        .rpush(k(key), ...values)
        .ltrim(k(key), -maxLength, -1)
        .pexpire(k(key), ttlMs)
        .exec();
    },
    async readList(key) {
      return redis.lrange(k(key), 0, -1);
    },
    async delete(key) {
      await redis.del(k(key));
    },
  };
}
