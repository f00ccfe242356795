import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createSlicedRateLimiter, SLICE_TTL_MS, sliceOf } from '../../core/ratelimit/index.js';
import { TEST_REDIS_URL } from '../../test/helpers/env.js';
import { createRedisRateLimiter } from './redis-rate-limiter.js';

/** Local slices over the shared Redis limiter, as the app wires them; each "process" has its own Redis client. */
const clients = [0, 1].map(() => new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 }));
const prefix = `test:srl:${randomBytes(4).toString('hex')}:`;

afterAll(async () => {
  const keys = await clients[0]!.keys(`${prefix}*`);
  if (keys.length > 0) await clients[0]!.del(...keys);
  for (const client of clients) client.disconnect();
});

const rpm = (key: string, limit: number, cost = 1) => ({ key, limit, windowMs: 60_000, cost });

describe('sliced rate limiter over Redis', () => {
  it('never admits more than the limit across processes, and asks Redis for a small share of requests', async () => {
    const processes = clients.map((redis) =>
      createSlicedRateLimiter(createRedisRateLimiter(redis, { prefix })),
    );
    const limit = 1_280;
    const burst = (n: number) =>
      Promise.all(Array.from({ length: n }, (_, i) => processes[i % 2]!.consume([rpm('busy', limit)])));
    const under = await burst(1_200);
    expect(under.every((r) => r.allowed)).toBe(true);
    const shared = processes.reduce((sum, p) => sum + p.counts().shared, 0);
    expect(shared).toBeLessThan(1_200 / 10);
    const results = [...under, ...(await burst(300))];
    const allowed = results.filter((r) => r.allowed).length;
    expect(allowed).toBeLessThanOrEqual(limit);
    // Unspent slices held by the processes are the only shortfall.
    expect(allowed).toBeGreaterThanOrEqual(limit - 2 * sliceOf(limit));
    // What Redis counted is never below what was admitted.
    const counted = await clients[0]!
      .keys(`${prefix}busy:*`)
      .then(async (keys) =>
        (await Promise.all(keys.map((k) => clients[0]!.get(k)))).reduce((s, v) => s + Number(v ?? 0), 0),
      );
    expect(counted).toBeGreaterThanOrEqual(allowed);
    const refused = results.find((r) => !r.allowed)!;
    expect(refused.retryAfterMs).toBeGreaterThan(0);
  });

  it('checks small limits in Redis every time, exactly', async () => {
    const limiter = createSlicedRateLimiter(createRedisRateLimiter(clients[0]!, { prefix }));
    expect(sliceOf(600)).toBe(0);
    const results = await Promise.all(Array.from({ length: 20 }, () => limiter.consume([rpm('small', 5)])));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    expect(limiter.counts()).toEqual({ local: 0, shared: 20 });
  });

  it('is all or nothing across rules, and a refusal spends no slice', async () => {
    const limiter = createSlicedRateLimiter(createRedisRateLimiter(clients[0]!, { prefix }));
    const results: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      results.push((await limiter.consume([rpm('wide', 6_400), rpm('narrow', 3)])).allowed);
    }
    expect(results).toEqual([true, true, true, false, false]);
    // The wide counter's slice was charged by the first request only; it still serves alone.
    expect((await limiter.consume([rpm('wide', 6_400)])).allowed).toBe(true);
  });

  it('reports remaining as Redis plus the unspent slice, and spends the slice only in its window', async () => {
    let clock = 1_700_000_040_000; // 40 s into a minute window
    let local = 0;
    const limiter = createSlicedRateLimiter(
      createRedisRateLimiter(clients[0]!, { prefix, now: () => clock }),
      {
        now: () => local,
      },
    );
    const first = await limiter.consume([rpm('window', 6_400)]);
    expect(first.states[0]!.remaining).toBe(6_399);
    const second = await limiter.consume([rpm('window', 6_400)]);
    expect(second.states[0]!.remaining).toBe(6_398);
    expect(limiter.counts()).toEqual({ local: 1, shared: 1 });
    // Past the slice's lifetime the next request asks Redis again.
    local += SLICE_TTL_MS;
    clock += SLICE_TTL_MS;
    await limiter.consume([rpm('window', 6_400)]);
    expect(limiter.counts()).toEqual({ local: 1, shared: 2 });
  });

  it('takes tokens learned after the fact from the slice, and charges Redis beyond it', async () => {
    const limiter = createSlicedRateLimiter(createRedisRateLimiter(clients[0]!, { prefix }));
    const tpm = (cost: number) => ({ key: 'tokens', limit: 64_000, windowMs: 60_000, cost });
    await limiter.consume([tpm(10)]); // takes a slice of 1,000
    await limiter.add([{ key: 'tokens', windowMs: 60_000, cost: 990 }]);
    await limiter.add([{ key: 'tokens', windowMs: 60_000, cost: 5_000 }]);
    const counted = await clients[0]!
      .keys(`${prefix}tokens:*`)
      .then(async (keys) =>
        (await Promise.all(keys.map((k) => clients[0]!.get(k)))).reduce((s, v) => s + Number(v ?? 0), 0),
      );
    expect(counted).toBe(10 + 1_000 + 5_000);
  });
});
