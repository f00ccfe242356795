import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../core/ports/clock.js';
import { createLoginThrottle, type LoginAttempt } from '../../core/security/login-throttle.js';
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

const attempt = (identifier: string, ip = '203.0.113.7'): LoginAttempt => ({ scope: 'user', identifier, ip });

type Refusal = { code: string; message: string; details: { retry_after_s: number } };

/** Null when admitted (and the attempt is then reported as a wrong password), else the refusal. */
async function fail(a: LoginAttempt): Promise<Refusal | null> {
  return throttle.begin(a).then(
    async (ticket) => {
      await throttle.failed(ticket);
      return null;
    },
    (error: Refusal) => error,
  );
}

describe('login throttle over Redis', () => {
  it('lets five failures through, then throttles with a growing wait, then locks the address for the window', async () => {
    const a = attempt('Budi@Example.com');
    for (let i = 0; i < 5; i++) expect(await fail(a)).toBeNull();
    expect(await fail(a)).toMatchObject({ code: 'rate_limited', details: { retry_after_s: 1 } });
    clock.advance(1000);
    expect(await fail(a)).toBeNull();
    expect((await fail(a))?.details.retry_after_s).toBe(2);
    for (let i = 0; i < 4; i++) {
      clock.advance(60_000);
      expect(await fail(a)).toBeNull();
    }
    const locked = await fail(a);
    expect(locked?.message).toMatch(/locked/);
    expect(locked?.details.retry_after_s).toBeGreaterThan(60);
    clock.advance(15 * 60_000);
    expect(await fail(a)).toBeNull();
  });

  it('counts concurrent attempts before any password is checked: a burst of 40 admits five', async () => {
    const a = attempt('burst@example.com', '203.0.113.40');
    const tickets = await Promise.allSettled(Array.from({ length: 40 }, () => throttle.begin(a)));
    expect(tickets.filter((t) => t.status === 'fulfilled')).toHaveLength(5);
  });

  it('cannot be used to lock the owner out: another address slows down only, a known address not at all', async () => {
    const owner = attempt('siti@example.com', '198.51.100.1');
    const ticket = await throttle.begin(owner);
    await throttle.succeeded(ticket);
    clock.advance(1000);
    // An attacker with many addresses fails twelve times.
    for (let i = 0; i < 12; i++) await fail(attempt('SITI@example.com', `198.51.100.${100 + i}`));
    // A stranger's address is slowed for this account, never locked...
    const slowed = await fail(attempt('siti@example.com', '198.51.100.200'));
    expect(slowed).toMatchObject({ code: 'rate_limited' });
    expect(slowed?.message).not.toMatch(/locked/);
    // ...while the owner's known address goes straight to the password check.
    const own = await throttle.begin(owner);
    await throttle.succeeded(own);
    expect(await fail(attempt('other@example.com', '198.51.100.200'))).toBeNull();
  });

  it('throttles an address that tries many accounts, admins in a scope of their own', async () => {
    const ip = '192.0.2.55';
    for (let i = 0; i < 20; i++) expect(await fail(attempt(`user${i}@example.com`, ip))).toBeNull();
    expect(await fail(attempt('fresh@example.com', ip))).toMatchObject({ code: 'rate_limited' });
    expect(await fail(attempt('fresh@example.com', '192.0.2.56'))).toBeNull();
    await expect(
      throttle.begin({ scope: 'admin', identifier: 'fresh@example.com', ip }),
    ).resolves.toBeTruthy();
  });

  it('keeps no email in Redis keys', async () => {
    const keys = await redis.keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(' ')).not.toMatch(/example\.com|siti|budi/i);
  });
});
