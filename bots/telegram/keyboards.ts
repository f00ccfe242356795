import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import { choiceFits, encodeChoice, LANGUAGE_LABELS, type ModelOption } from '../shared/choices.js';
import type { Messages } from '../shared/i18n/index.js';

/**
 * The model menu, two buttons a row, the current model ticked. Models whose id cannot fit
 * Telegram's 64-byte `callback_data` are left out rather than sent broken.
 */
export function modelKeyboard(models: ModelOption[], currentId: string, owner: string): InlineKeyboardMarkup {
  const buttons: InlineKeyboardButton[] = models
    .filter((m) => choiceFits({ kind: 'model', owner, modelId: m.id }))
    .map((m) => ({
      text: `${m.id === currentId ? '✓ ' : ''}${m.name}`,
      callback_data: encodeChoice({ kind: 'model', owner, modelId: m.id }),
    }));
  return { inline_keyboard: rows(buttons, 2) };
}

export function languageKeyboard(owner: string): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      [
        { text: LANGUAGE_LABELS.id, callback_data: encodeChoice({ kind: 'lang', owner, language: 'id' }) },
        { text: LANGUAGE_LABELS.en, callback_data: encodeChoice({ kind: 'lang', owner, language: 'en' }) },
      ],
    ],
  };
}

export function deleteConfirmKeyboard(messages: Messages, owner: string): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      [
        {
          text: messages.deleteConfirmButton(),
          callback_data: encodeChoice({ kind: 'delete', owner, confirm: true }),
          style: 'danger',
        },
        {
          text: messages.deleteCancelButton(),
          callback_data: encodeChoice({ kind: 'delete', owner, confirm: false }),
        },
      ],
    ],
  };
}

function rows<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
