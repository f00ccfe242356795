import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Messages } from '../shared/i18n/index.js';

/**
 * The "edit or ask?" buttons under a photo: `photo:edit:OWNER:TOKEN` / `photo:ask:OWNER:TOKEN`,
 * where the owner is the Telegram user who sent the photo and the token names the pending photo
 * (see pending-photos). Within Telegram's 64-byte `callback_data`.
 */
export type PhotoAction = 'edit' | 'ask';

export const PHOTO_CHOICE_PATTERN = /^photo:(edit|ask):(\d{1,20}):([\w-]{1,32})$/;

export function encodePhotoChoice(action: PhotoAction, owner: string, token: string): string {
  return `photo:${action}:${owner}:${token}`;
}

export function decodePhotoChoice(
  data: string | undefined,
): { action: PhotoAction; owner: string; token: string } | undefined {
  const match = data === undefined ? null : PHOTO_CHOICE_PATTERN.exec(data);
  return match ? { action: match[1] as PhotoAction, owner: match[2]!, token: match[3]! } : undefined;
}

export function photoChoiceKeyboard(t: Messages, owner: string, token: string): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      [
        { text: t.photoEditButton(), callback_data: encodePhotoChoice('edit', owner, token) },
        { text: t.photoAskButton(), callback_data: encodePhotoChoice('ask', owner, token) },
      ],
    ],
  };
}
