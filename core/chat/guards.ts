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
  return {
    /** True the first time an update id is seen (Telegram `update_id`, Slack `event_id`). */
    async firstDelivery(platform: BotPlatform, deliveryId: string): Promise<boolean> {
      return store.setIfAbsent(`bot:seen:${platform}:${deliveryId}`, '1', limits.dedupeTtlMs);
    },

    /**
     * The abuse limits, then the chat's lock, in one step: throws `rate_limited` when the person or
     * the chat sends too much, returns undefined while another generation runs in the chat, else
     * the release function of the claimed lock.
     */
    async admit(
      platform: BotPlatform,
      identity: string,
      chatKey: string,
    ): Promise<(() => Promise<void>) | undefined> {
      const key = `bot:busy:${platform}:${chatKey}`;
      const token = `${Date.now()}:${Math.random().toString(36).slice(2)}`;
      const result = await store.admit(
        [
          {
            key: `bot:rate:id:${platform}:${identity}`,
            windowMs: limits.windowMs,
            limit: limits.perIdentity,
          },
          { key: `bot:rate:chat:${platform}:${chatKey}`, windowMs: limits.windowMs, limit: limits.perChat },
        ],
        { key, value: token, ttlMs: limits.lockTtlMs },
      );
      if (result.outcome === 'limited') {
        throw new CoreError('rate_limited', 'Too many messages; try again shortly', {
          details: { retry_after_s: Math.max(1, Math.ceil(result.resetInMs / 1000)) },
        });
      }
      if (result.outcome === 'busy') return undefined;
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
