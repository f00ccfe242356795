import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createGuards, DEFAULT_ABUSE_LIMITS } from '../../core/chat/guards.js';
import { manualClock, systemClock } from '../../core/ports/clock.js';
import { TEST_REDIS_URL } from '../../test/helpers/env.js';
import { redisEphemeralStore } from './redis-ephemeral-store.js';

/**
 * The chat's waiting line on the real Redis, as two processes see it: each `createGuards` has its
 * own in-process wake-ups, so a waiter in one only learns of a release in the other by looking
 * again (`queuePollMs`).
 */
const redis = new Redis(TEST_REDIS_URL, { lazyConnect: false });
afterAll(() => redis.quit());

const limits = { ...DEFAULT_ABUSE_LIMITS, queueLength: 2, queuePollMs: 20 };

function twoProcesses(clock = systemClock) {
  const prefix = `line-test-${randomBytes(4).toString('hex')}:`;
  return [
    createGuards(redisEphemeralStore(redis, prefix), limits, clock),
    createGuards(redisEphemeralStore(redis, prefix), limits, clock),
  ] as const;
}

describe('the chat line across processes', () => {
  it('hands the chat to the waiters in arrival order, whichever process they are in', async () => {
    const [a, b] = twoProcesses();
    const running = await a.admit('telegram', 'u1', 'chat');
    expect(running.outcome).toBe('admitted');
    const second = await b.admit('telegram', 'u2', 'chat');
    const third = await a.admit('telegram', 'u3', 'chat');
    expect([second.outcome, third.outcome]).toEqual(['queued', 'queued']);
    expect(await b.admit('telegram', 'u4', 'chat')).toEqual({ outcome: 'full' });
    if (running.outcome !== 'admitted' || second.outcome !== 'queued' || third.outcome !== 'queued') return;
    expect([second.position, third.position]).toEqual([1, 2]);

    const order: string[] = [];
    const secondTurn = second.turn.then(async (release) => {
      order.push('second');
      await release?.();
    });
    const thirdTurn = third.turn.then(async (release) => {
      order.push('third');
      await release?.();
    });
    await running.release();
    await Promise.all([secondTurn, thirdTurn]);
    expect(order).toEqual(['second', 'third']);
    // The line is empty again: the next message is admitted at once.
    const next = await b.admit('telegram', 'u1', 'chat');
    expect(next.outcome).toBe('admitted');
  });

  it('drops a waiter whose ticket expired (its process died or it waited too long) so the ones behind it still get their turn', async () => {
    const clock = manualClock(new Date('2026-12-01T00:00:00Z'));
    const [a, b] = twoProcesses(clock);
    const running = await a.admit('slack', 'u1', 'chat');
    const dead = await b.admit('slack', 'u2', 'chat');
    expect(dead.outcome).toBe('queued');
    // The dead waiter's process is gone: nobody awaits its turn. Time passes beyond its expiry.
    clock.advance(limits.queueWaitMs + 1);
    const alive = await a.admit('slack', 'u3', 'chat');
    expect(alive).toMatchObject({ outcome: 'queued', position: 1 });
    if (running.outcome !== 'admitted' || alive.outcome !== 'queued') return;
    await running.release();
    const release = await alive.turn;
    expect(release).toBeTypeOf('function');
    await release?.();
    // The expired waiter, when it looks again, learns it lost its place (the bot then asks to resend).
    if (dead.outcome === 'queued') expect(await dead.turn).toBeUndefined();
  });
});
