import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * What waits between a bot's question with buttons ("edit or ask?") and the press: platform
 * callback fields are too short for it, so the button carries a short token and the value waits
 * here, keyed by its owner too: someone else pressing the button finds nothing. `take` reads and
 * deletes in one step, so a double press acts (and charges) once.
 */
export interface PendingChoices<T> {
  put(owner: string, value: T): Promise<string>;
  take(owner: string, token: string): Promise<T | undefined>;
}

/** How long the buttons stay usable. */
export const PENDING_CHOICE_TTL_MS = 15 * 60_000;

/** Values under `{prefix}{namespace}:{owner}:{token}`; `read` checks what comes back (undefined drops it). */
export function redisPendingChoices<T>(
  redis: Redis,
  prefix: string,
  namespace: string,
  read: (value: Record<string, unknown>) => T | undefined,
): PendingChoices<T> {
  const key = (owner: string, token: string) => `${prefix}${namespace}:${owner}:${token}`;
  return {
    async put(owner, value) {
      const token = randomBytes(9).toString('base64url');
      await redis.set(key(owner, token), JSON.stringify(value), 'PX', PENDING_CHOICE_TTL_MS);
      return token;
    },
    async take(owner, token) {
      const raw = await redis.getdel(key(owner, token));
      if (raw === null) return undefined;
      const value: unknown = JSON.parse(raw);
      return typeof value === 'object' && value !== null ? read(value as Record<string, unknown>) : undefined;
    },
  };
}
