import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Messages } from '../shared/i18n/index.js';

/**
 * The "edit or ask?" buttons under a photo: `photo:edit:TOKEN` / `photo:ask:TOKEN`, where the token
 * names the pending photo (see pending-photos). Well under Telegram's 64-byte `callback_data`.
 */
export type PhotoAction = 'edit' | 'ask';

export const PHOTO_CHOICE_PATTERN = /^photo:(edit|ask):([\w-]{1,32})$/;

export function encodePhotoChoice(action: PhotoAction, token: string): string {
  return `photo:${action}:${token}`;
}

export function decodePhotoChoice(
  data: string | undefined,
): { action: PhotoAction; token: string } | undefined {
  const match = data === undefined ? null : PHOTO_CHOICE_PATTERN.exec(data);
  return match ? { action: match[1] as PhotoAction, token: match[2]! } : undefined;
}

export function photoChoiceKeyboard(t: Messages, token: string): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      [
        { text: t.photoEditButton(), callback_data: encodePhotoChoice('edit', token) },
        { text: t.photoAskButton(), callback_data: encodePhotoChoice('ask', token) },
      ],
    ],
  };
}
