import { randomUUID } from 'node:crypto';
import { CoreError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { EphemeralStore } from './ephemeral-store.js';
import type { BotPlatform } from './platform.js';

export interface AbuseLimits {
  /** Messages one person may send in `windowMs`, across chats. */
  perIdentity: number;
  /** Files (documents, photos, voice notes) one person may have read in `windowMs`. */
  filesPerIdentity: number;
  /** Messages one chat may receive in `windowMs`, from everyone in it. */
  perChat: number;
  windowMs: number;
  /** A generation still holding its chat's lock after this long is presumed dead. */
  lockTtlMs: number;
  /** How long a delivered update or event id is remembered. */
  dedupeTtlMs: number;
  /** Messages that may wait, per chat, while an answer is being produced; more are refused. */
  queueLength: number;
  /** Longest a waiting message waits for its turn before it is given up (and the person told). */
  queueWaitMs: number;
  /**
   * How often a waiting message looks again when the answer before it runs in another process
   * (answers ending in this process wake their waiters at once).
   */
  queuePollMs: number;
}

export const DEFAULT_ABUSE_LIMITS: AbuseLimits = {
  perIdentity: 20,
  filesPerIdentity: 10,
  perChat: 60,
  windowMs: 60_000,
  lockTtlMs: 5 * 60_000,
  dedupeTtlMs: 24 * 60 * 60_000,
  queueLength: 3,
  queueWaitMs: 10 * 60_000,
  queuePollMs: 1000,
};

/** Gives the chat's lock back (idempotent). */
export type Release = () => Promise<void>;

export type Admission =
  | { outcome: 'admitted'; release: Release }
  /** Waiting behind `position - 1` others and the running answer; `turn` settles with the lock, or undefined when given up. */
  | { outcome: 'queued'; position: number; turn: Promise<Release | undefined> }
  | { outcome: 'full' };

/**
 * Redis-backed guards around chat turns: dedupe, abuse limits, the one-generation-per-chat lock and
 * the chat's short waiting line. The line lives in Redis, so it holds across processes; waiters in
 * this process are woken as soon as a lock is given back here, others look again every
 * `queuePollMs`. The lock is taken over by the head of the line only, so answers keep the order of
 * the messages.
 */
export function createGuards(store: EphemeralStore, limits: AbuseLimits, clock: Clock) {
  const wakers = new Map<string, Set<() => void>>();

  function wake(lockKey: string): void {
    for (const waker of wakers.get(lockKey) ?? []) waker();
  }

  /** Resolves at the next release of `lockKey` in this process, or after the poll interval. */
  function nextChance(lockKey: string): Promise<void> {
    return new Promise((resolve) => {
      const set = wakers.get(lockKey) ?? new Set();
      wakers.set(lockKey, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0) wakers.delete(lockKey);
        resolve();
      };
      const timer = setTimeout(done, limits.queuePollMs);
      set.add(done);
    });
  }

  function releaser(key: string, token: string): Release {
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      await store.deleteIfEquals(key, token);
      wake(key);
    };
  }

  async function waitForTurn(key: string, queueKey: string, ticket: string): Promise<Release | undefined> {
    const lock = { key, value: ticket, ttlMs: limits.lockTtlMs };
    const deadline = clock.now().getTime() + limits.queueWaitMs;
    for (;;) {
      const nowMs = clock.now().getTime();
      const state = await store.claimQueued(lock, {
        key: queueKey,
        ticket,
        nowMs,
        ttlMs: limits.queueWaitMs,
      });
      if (state === 'admitted') return releaser(key, ticket);
      if (state === 'lost' || nowMs >= deadline) {
        await store.removeFromList(queueKey, ticket);
        return undefined;
      }
      await nextChance(key);
    }
  }

  return {
    /** True the first time an update id is seen (Telegram `update_id`, Slack `event_id`). */
    async firstDelivery(platform: BotPlatform, deliveryId: string): Promise<boolean> {
      return store.setIfAbsent(`bot:seen:${platform}:${deliveryId}`, '1', limits.dedupeTtlMs);
    },

    /** Counts a file one person sends to be read; throws `rate_limited` past `filesPerIdentity`. */
    async countFile(platform: BotPlatform, identity: string): Promise<void> {
      const { count, resetInMs } = await store.increment(
        `bot:rate:file:${platform}:${identity}`,
        limits.windowMs,
      );
      if (count > limits.filesPerIdentity) {
        throw new CoreError('rate_limited', 'Too many files; try again shortly', {
          details: { retry_after_s: Math.max(1, Math.ceil(resetInMs / 1000)) },
        });
      }
    },

    /**
     * The abuse limits, then the chat's lock, in one step: throws `rate_limited` when the person or
     * the chat sends too much; otherwise the lock, a place in the chat's waiting line (counted
     * once, here), or `full` when the line is full.
     */
    async admit(platform: BotPlatform, identity: string, chatKey: string): Promise<Admission> {
      const key = `bot:busy:${platform}:${chatKey}`;
      const queueKey = `bot:queue:${platform}:${chatKey}`;
      const nowMs = clock.now().getTime();
      // The ticket doubles as the lock's value once it holds the lock; it starts with its expiry.
      const ticket = `${nowMs + limits.queueWaitMs}|${randomUUID()}`;
      const result = await store.admit(
        [
          {
            key: `bot:rate:id:${platform}:${identity}`,
            windowMs: limits.windowMs,
            limit: limits.perIdentity,
          },
          { key: `bot:rate:chat:${platform}:${chatKey}`, windowMs: limits.windowMs, limit: limits.perChat },
        ],
        { key, value: ticket, ttlMs: limits.lockTtlMs },
        { key: queueKey, ticket, nowMs, ttlMs: limits.queueWaitMs, maxLength: limits.queueLength },
      );
      if (result.outcome === 'limited') {
        throw new CoreError('rate_limited', 'Too many messages; try again shortly', {
          details: { retry_after_s: Math.max(1, Math.ceil(result.resetInMs / 1000)) },
        });
      }
      if (result.outcome === 'admitted') return { outcome: 'admitted', release: releaser(key, ticket) };
      if (result.outcome === 'queued') {
        return { outcome: 'queued', position: result.position, turn: waitForTurn(key, queueKey, ticket) };
      }
      return { outcome: 'full' };
    },
  };
}

export type Guards = ReturnType<typeof createGuards>;
