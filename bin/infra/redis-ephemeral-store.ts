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

/** Lua: drops the tickets at the head of the line KEYS[q] that expired before `now`. */
const PRUNE_EXPIRED = `
local function prune(q, now)
  while true do
    local head = redis.call('LINDEX', q, 0)
    if not head then return end
    local expiry = tonumber(string.match(head, '^(%d+)|'))
    if expiry and expiry < now then redis.call('LPOP', q) else return end
  end
end`;

/**
 * KEYS: the counters, then the lock, then (when ARGV[1] is 1) the waiting line. ARGV: 1 or 0, then
 * window and limit per counter, lock value and ttl, then ticket, now, line length and line ttl.
 * Every counter is counted (so abuse keeps counting while refused); the lock is claimed only when
 * no counter is over its limit and nobody waits. Returns {0} admitted, {1} busy, {2, ms until reset}
 * limited, {3, position} queued, {4} full.
 */
const ADMIT = `${PRUNE_EXPIRED}
local queued = ARGV[1] == '1'
local n = #KEYS - (queued and 2 or 1)
local limited = -1
for i = 1, n do
  local count = redis.call('INCR', KEYS[i])
  local window = tonumber(ARGV[2 * i])
  if count == 1 then redis.call('PEXPIRE', KEYS[i], window) end
  if count > tonumber(ARGV[2 * i + 1]) then
    local ttl = redis.call('PTTL', KEYS[i])
    if ttl < 0 then redis.call('PEXPIRE', KEYS[i], window); ttl = window end
    if ttl > limited then limited = ttl end
  end
end
if limited >= 0 then return {2, limited} end
local lock = KEYS[n + 1]
local a = 2 * n + 2
if not queued then
  if redis.call('SET', lock, ARGV[a], 'PX', ARGV[a + 1], 'NX') then return {0, 0} end
  return {1, 0}
end
local q = KEYS[n + 2]
prune(q, tonumber(ARGV[a + 3]))
local waiting = redis.call('LLEN', q)
if waiting == 0 and redis.call('SET', lock, ARGV[a], 'PX', ARGV[a + 1], 'NX') then return {0, 0} end
if waiting >= tonumber(ARGV[a + 4]) then return {4, 0} end
redis.call('RPUSH', q, ARGV[a + 2])
redis.call('PEXPIRE', q, ARGV[a + 5])
return {3, waiting + 1}`;

/**
 * KEYS: the lock, the waiting line. ARGV: lock value and ttl, ticket, now. Returns 0 admitted
 * (ticket removed), 1 waiting, 2 lost.
 */
const CLAIM_QUEUED = `${PRUNE_EXPIRED}
prune(KEYS[2], tonumber(ARGV[4]))
if redis.call('LINDEX', KEYS[2], 0) == ARGV[3] then
  if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
    redis.call('LPOP', KEYS[2])
    return 0
  end
  return 1
end
if redis.call('LPOS', KEYS[2], ARGV[3]) then return 1 end
return 2`;

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
    async admit(counters, lock, queue) {
      const keys = [...counters.map((c) => k(c.key)), k(lock.key), ...(queue ? [k(queue.key)] : [])];
      const args = [
        queue ? 1 : 0,
        ...counters.flatMap((c) => [c.windowMs, c.limit]),
        lock.value,
        lock.ttlMs,
        ...(queue ? [queue.ticket, queue.nowMs, queue.maxLength, queue.ttlMs] : []),
      ];
      const [code, detail] = (await redis.eval(ADMIT, keys.length, ...keys, ...args)) as [number, number];
      if (code === 2) return { outcome: 'limited', resetInMs: detail };
      if (code === 3) return { outcome: 'queued', position: detail };
      return { outcome: code === 0 ? 'admitted' : code === 4 ? 'full' : 'busy' };
    },
    async claimQueued(lock, queue) {
      const code = (await redis.eval(
        CLAIM_QUEUED,
        2,
        k(lock.key),
        k(queue.key),
        lock.value,
        lock.ttlMs,
        queue.ticket,
        queue.nowMs,
      )) as number;
      return code === 0 ? 'admitted' : code === 1 ? 'waiting' : 'lost';
    },
    async removeFromList(key, value) {
      await redis.lrem(k(key), 1, value);
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
