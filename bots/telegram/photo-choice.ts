import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Messages } from '../shared/i18n/index.js';
import { encodePhotoChoice } from '../shared/photo-choice.js';

/** The "edit or ask?" buttons under a photo (see shared/photo-choice), bound to its sender. */
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
