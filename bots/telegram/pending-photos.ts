import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A photo waiting for its sender to choose between an edit and a question. */
export interface PendingPhoto {
  fileId: string;
  prompt: string;
  /** The photo message, so the result answers it. */
  messageId: number;
  threadId?: number;
}

/**
 * Photos kept between the "edit or ask?" buttons and the press. Telegram file ids are longer than
 * `callback_data` allows (64 bytes), so the button carries a short token and the photo waits here,
 * keyed by the sender too: someone else pressing the button finds nothing. `take` reads and deletes
 * in one step, so a double press acts (and charges) once.
 */
export interface PendingPhotos {
  put(userId: number, photo: PendingPhoto): Promise<string>;
  take(userId: number, token: string): Promise<PendingPhoto | undefined>;
}

/** How long the buttons stay usable. */
export const PENDING_PHOTO_TTL_MS = 15 * 60_000;

export function redisPendingPhotos(redis: Redis, prefix = 'aiport:'): PendingPhotos {
  const key = (userId: number, token: string) => `${prefix}tg:photo:${userId}:${token}`;
  return {
    async put(userId, photo) {
      const token = randomBytes(9).toString('base64url');
      await redis.set(key(userId, token), JSON.stringify(photo), 'PX', PENDING_PHOTO_TTL_MS);
      return token;
    },
    async take(userId, token) {
      const raw = await redis.getdel(key(userId, token));
      if (raw === null) return undefined;
      const value = JSON.parse(raw) as Partial<PendingPhoto>;
      if (typeof value.fileId !== 'string' || typeof value.prompt !== 'string') return undefined;
      if (typeof value.messageId !== 'number') return undefined;
      return {
        fileId: value.fileId,
        prompt: value.prompt,
        messageId: value.messageId,
        ...(typeof value.threadId === 'number' ? { threadId: value.threadId } : {}),
      };
    },
  };
}
