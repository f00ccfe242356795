import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AttemptStore } from '../../core/security/login-throttle.js';

/**
 * The failed-login AttemptStore on Redis: one sorted set per key, scored by the failure time the
 * caller gives. Old entries are trimmed on every write and the set expires a day after its last
 * write, so an abandoned key costs nothing for long.
 */
export function createRedisAttemptStore(redis: Redis, options: { prefix?: string } = {}): AttemptStore {
  const prefix = options.prefix ?? 'aiport:';
  const EXPIRE_MS = 24 * 3600 * 1000;

  const parse = (members: string[]) => members.map((m) => Number(m.split(':')[0])).filter(Number.isFinite);

  return {
    async recordFailure(key, atMs, sinceMs) {
      const k = prefix + key;
      const result = await redis
        .multi()
        .zadd(k, String(atMs), `${atMs}:${randomBytes(4).toString('hex')}`)
        .zremrangebyscore(k, '-inf', `(${sinceMs}`)
        .pexpire(k, String(EXPIRE_MS))
        .zrange(k, '0', '-1')
        .exec();
      const members = result?.[3]?.[1];
      return Array.isArray(members) ? parse(members as string[]) : [];
    },
    async failures(key, sinceMs) {
      return parse(await redis.zrangebyscore(prefix + key, sinceMs, '+inf'));
    },
    async clear(key) {
      await redis.del(prefix + key);
    },
  };
}
