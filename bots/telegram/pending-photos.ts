import type { Redis } from 'ioredis';
import { redisPendingChoices } from '../shared/pending-choices.js';

/** A photo waiting for its sender to choose between an edit and a question. */
export interface PendingPhoto {
  fileId: string;
  prompt: string;
  /** The photo message, so the result answers it. */
  messageId: number;
  threadId?: number;
}

/**
 * Photos kept between the "edit or ask?" buttons and the press (Telegram file ids are longer than
 * the 64 bytes `callback_data` allows), keyed by the sender: see PendingChoices.
 */
export interface PendingPhotos {
  put(userId: number, photo: PendingPhoto): Promise<string>;
  take(userId: number, token: string): Promise<PendingPhoto | undefined>;
}

export function redisPendingPhotos(redis: Redis, prefix = 'aiport:'): PendingPhotos {
  const store = redisPendingChoices<PendingPhoto>(redis, prefix, 'tg:photo', (value) => {
    if (typeof value['fileId'] !== 'string' || typeof value['prompt'] !== 'string') return undefined;
    if (typeof value['messageId'] !== 'number') return undefined;
    return {
      fileId: value['fileId'],
      prompt: value['prompt'],
      messageId: value['messageId'],
      ...(typeof value['threadId'] === 'number' ? { threadId: value['threadId'] } : {}),
    };
  });
  return {
    put: (userId, photo) => store.put(String(userId), photo),
    take: (userId, token) => store.take(String(userId), token),
  };
}
