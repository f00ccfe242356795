import { CoreError } from '../errors.js';
import type { BotPlatform } from './chat-runner.js';
import type { EphemeralStore } from './ephemeral-store.js';

export interface AbuseLimits {
  /** Messages one person may send in `windowMs`, across chats. */
  perIdentity: number;
  /** Messages one chat may receive in `windowMs`, from everyone in it. */
  perChat: number;
  windowMs: number;
  /** A generation still holding its chat's lock after this long is presumed dead. */
  lockTtlMs: number;
  /** How long a delivered update or event id is remembered. */
  dedupeTtlMs: number;
}

export const DEFAULT_ABUSE_LIMITS: AbuseLimits = {
  perIdentity: 20,
  perChat: 60,
  windowMs: 60_000,
  lockTtlMs: 5 * 60_000,
  dedupeTtlMs: 24 * 60 * 60_000,
};

/** Redis-backed guards around chat turns: dedupe, abuse limits and the one-generation-per-chat lock. */
export function createGuards(store: EphemeralStore, limits: AbuseLimits) {
  async function count(key: string, limit: number): Promise<void> {
    const { count: n, resetInMs } = await store.increment(key, limits.windowMs);
    if (n > limit) {
      throw new CoreError('rate_limited', 'Too many messages; try again shortly', {
        details: { retry_after_s: Math.max(1, Math.ceil(resetInMs / 1000)) },
      });
    }
  }

  return {
    /** True the first time an update id is seen (Telegram `update_id`, Slack `event_id`). */
    async firstDelivery(platform: BotPlatform, deliveryId: string): Promise<boolean> {
      return store.setIfAbsent(`bot:seen:${platform}:${deliveryId}`, '1', limits.dedupeTtlMs);
    },

    /** Throws `rate_limited` (with `retry_after_s`) when the person or the chat sends too much. */
    async checkLimits(platform: BotPlatform, identity: string, chatKey: string): Promise<void> {
      await count(`bot:rate:id:${platform}:${identity}`, limits.perIdentity);
      await count(`bot:rate:chat:${platform}:${chatKey}`, limits.perChat);
    },

    /** Claims the chat for one generation; undefined while another one is running. */
    async lockChat(platform: BotPlatform, chatKey: string): Promise<(() => Promise<void>) | undefined> {
      const key = `bot:busy:${platform}:${chatKey}`;
      const token = `${Date.now()}:${Math.random().toString(36).slice(2)}`;
      if (!(await store.setIfAbsent(key, token, limits.lockTtlMs))) return undefined;
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        await store.deleteIfEquals(key, token);
      };
    },
  };
}

export type Guards = ReturnType<typeof createGuards>;
