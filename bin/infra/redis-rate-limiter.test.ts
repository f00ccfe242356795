import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { TEST_REDIS_URL } from '../../test/helpers/env.js';
import { createRedisRateLimiter } from './redis-rate-limiter.js';

const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
const prefix = `test:rl:${randomBytes(4).toString('hex')}:`;
let now = 1_700_000_080_000; // 40 s into a minute window
const limiter = createRedisRateLimiter(redis, { prefix, now: () => now });

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

const rpm = (key: string, limit: number, cost = 1) => ({ key, limit, windowMs: 60_000, cost });

describe('redis rate limiter', () => {
  it('allows up to the limit, then refuses with a wait, atomically under concurrency', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => limiter.consume([rpm('a', 5)])));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    const refused = results.find((r) => !r.allowed)!;
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000 * 2);
    expect(
      results
        .filter((r) => r.allowed)
        .map((r) => r.states[0]!.remaining)
        .sort(),
    ).toEqual([0, 1, 2, 3, 4]);
  });

  it('charges all rules or none', async () => {
    const first = await limiter.consume([rpm('b1', 10, 3), rpm('b2', 2, 3)]);
    expect(first.allowed).toBe(false);
    const second = await limiter.consume([rpm('b1', 3, 3)]);
    expect(second.allowed).toBe(true);
  });

  it('slides: the previous window weighs in by the share still inside the window', async () => {
    now = 1_700_000_080_000;
    for (let i = 0; i < 4; i++) expect((await limiter.consume([rpm('c', 4)])).allowed).toBe(true);
    expect((await limiter.consume([rpm('c', 4)])).allowed).toBe(false);
    // 20 s later the next window begins; the 4 old requests still count almost fully.
    now += 20_000;
    expect((await limiter.consume([rpm('c', 4)])).allowed).toBe(false);
    // Half-way through the next window, half of them have slid out.
    now += 30_000;
    expect((await limiter.consume([rpm('c', 4)])).allowed).toBe(true);
    expect((await limiter.consume([rpm('c', 4)])).allowed).toBe(true);
    expect((await limiter.consume([rpm('c', 4)])).allowed).toBe(false);
  });

  it('adds tokens after the fact', async () => {
    await limiter.add([{ key: 'd', windowMs: 60_000, cost: 90 }]);
    expect((await limiter.consume([rpm('d', 100, 20)])).allowed).toBe(false);
    expect((await limiter.consume([rpm('d', 100, 10)])).allowed).toBe(true);
  });

  it("counts by Redis's clock, so processes whose clocks disagree share the same windows", async () => {
    // Two processes with the production default (no injected time); the second one's clock runs
    // ten minutes ahead. Both must see the same five requests.
    const first = createRedisRateLimiter(redis, { prefix });
    const results = await Promise.all(Array.from({ length: 5 }, () => first.consume([rpm('skew', 5)])));
    expect(results.every((r) => r.allowed)).toBe(true);
    const skewed = vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 600_000);
    try {
      const second = createRedisRateLimiter(redis, { prefix });
      expect((await second.consume([rpm('skew', 5)])).allowed).toBe(false);
      await second.add([{ key: 'skew-add', windowMs: 60_000, cost: 10 }]);
    } finally {
      skewed.mockRestore();
    }
    expect((await first.consume([rpm('skew-add', 10)])).allowed).toBe(false);
  });
});
