import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../core/ports/clock.js';
import { createLoginThrottle } from '../../core/security/login-throttle.js';
import { TEST_REDIS_URL } from '../../test/helpers/env.js';
import { createRedisAttemptStore } from './redis-attempt-store.js';

const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
const prefix = `test:login:${randomBytes(4).toString('hex')}:`;
const clock = manualClock(new Date('2026-11-01T00:00:00Z'));
const throttle = createLoginThrottle(createRedisAttemptStore(redis, { prefix }), clock);

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

const attempt = (identifier: string, ip = '203.0.113.7') => ({ scope: 'user' as const, identifier, ip });

async function refusal(a: ReturnType<typeof attempt>) {
  return throttle.check(a).then(
    () => null,
    (error: { code: string; message: string; details: { retry_after_s: number } }) => error,
  );
}

describe('login throttle over Redis', () => {
  it('lets four failures through, then throttles with a growing wait, then locks for the window', async () => {
    const a = attempt('Budi@Example.com');
    for (let i = 0; i < 5; i++) {
      expect(await refusal(a)).toBeNull();
      await throttle.failed(a);
    }
    // Five failures: wait 1 s.
    expect(await refusal(a)).toMatchObject({ code: 'rate_limited', details: { retry_after_s: 1 } });
    clock.advance(1000);
    expect(await refusal(a)).toBeNull();
    await throttle.failed(a);
    expect((await refusal(a))?.details.retry_after_s).toBe(2);
    for (let i = 0; i < 4; i++) {
      clock.advance(60_000);
      await throttle.failed(a);
    }
    // Ten failures in the window: locked until the oldest of them leaves the 15-minute window.
    const locked = await refusal(a);
    expect(locked?.message).toMatch(/locked/);
    expect(locked?.details.retry_after_s).toBeGreaterThan(60);
    clock.advance(15 * 60_000);
    expect(await refusal(a)).toBeNull();
  });

  it('keys by account case-insensitively, separately from other accounts, and clears on success', async () => {
    const a = attempt('siti@example.com', '198.51.100.1');
    for (let i = 0; i < 5; i++) await throttle.failed(a);
    expect(await refusal(attempt('SITI@example.com', '198.51.100.99'))).not.toBeNull();
    expect(await refusal(attempt('other@example.com', '198.51.100.98'))).toBeNull();
    await throttle.succeeded(a);
    expect(await refusal(attempt('siti@example.com', '198.51.100.97'))).toBeNull();
  });

  it('throttles an IP that tries many accounts', async () => {
    const ip = '192.0.2.55';
    for (let i = 0; i < 20; i++) await throttle.failed(attempt(`user${i}@example.com`, ip));
    expect(await refusal(attempt('fresh@example.com', ip))).toMatchObject({ code: 'rate_limited' });
    expect(await refusal(attempt('fresh@example.com', '192.0.2.56'))).toBeNull();
    // Admin logins are a separate scope.
    expect(await throttle.check({ scope: 'admin', identifier: 'fresh@example.com', ip })).toBeUndefined();
  });
});
