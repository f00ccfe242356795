import type { Redis } from 'ioredis';
import type { AttemptStore } from '../../core/security/login-throttle.js';

/**
 * The login AttemptStore on Redis: one sorted set per key, scored by the attempt time the caller
 * gives. `add` is one MULTI over every key (trim, read, add, expire), so concurrent attempts are
 * serialized by Redis and each sees all the attempts before it. Sets expire a day after their
 * last write, so an abandoned key costs nothing for long.
 */
export function createRedisAttemptStore(redis: Redis, options: { prefix?: string } = {}): AttemptStore {
  const prefix = options.prefix ?? 'aiport:';
  const EXPIRE_MS = 24 * 3600 * 1000;

  const parse = (members: unknown) =>
    Array.isArray(members)
      ? (members as string[]).map((m) => Number(m.split(':')[0])).filter(Number.isFinite)
      : [];

  return {
    async add(keys, member, atMs, sinceMs) {
      const multi = redis.multi();
      for (const key of keys) {
        const k = prefix + key;
        multi
          .zremrangebyscore(k, '-inf', `(${sinceMs}`)
          .zrange(k, '0', '-1')
          .zadd(k, String(atMs), member)
          .pexpire(k, String(EXPIRE_MS));
      }
      const result = (await multi.exec()) ?? [];
      return keys.map((_, i) => {
        const [error, members] = result[i * 4 + 1] ?? [new Error('no reply'), null];
        if (error) throw error;
        return parse(members);
      });
    },
    async remove(keys, member) {
      const multi = redis.multi();
      for (const key of keys) multi.zrem(prefix + key, member);
      await multi.exec();
    },
    async clear(key) {
      await redis.del(prefix + key);
    },
    async mark(key, ttlMs) {
      await redis.set(prefix + key, '1', 'PX', ttlMs);
    },
    async isMarked(key) {
      return (await redis.exists(prefix + key)) === 1;
    },
  };
}
