import type { Language } from './i18n/index.js';

/**
 * What a button or menu press means, encoded in the platform's callback field (Telegram
 * `callback_data`, at most 64 bytes; Discord `custom_id`/option values, 100 characters; Slack
 * action values). Decoding never trusts the input: unknown data yields `undefined`.
 */
export type Choice =
  | { kind: 'model'; modelId: string }
  | { kind: 'lang'; language: Language }
  | { kind: 'delete'; confirm: boolean };

/** Telegram's limit is the smallest of the three platforms. */
export const MAX_CHOICE_BYTES = 64;

export function encodeChoice(choice: Choice): string {
  switch (choice.kind) {
    case 'model':
      return `model:${choice.modelId}`;
    case 'lang':
      return `lang:${choice.language}`;
    case 'delete':
      return `delete:${choice.confirm ? 'yes' : 'no'}`;
  }
}

/** Whether a choice fits every platform's callback field (long model ids may not). */
export function choiceFits(choice: Choice): boolean {
  return Buffer.byteLength(encodeChoice(choice)) <= MAX_CHOICE_BYTES;
}

export function decodeChoice(data: string | undefined): Choice | undefined {
  if (!data) return undefined;
  const separator = data.indexOf(':');
  if (separator < 0) return undefined;
  const kind = data.slice(0, separator);
  const value = data.slice(separator + 1);
  if (kind === 'model' && /^[\w.:/@+-]{1,58}$/.test(value)) return { kind: 'model', modelId: value };
  if (kind === 'lang' && (value === 'id' || value === 'en')) return { kind: 'lang', language: value };
  if (kind === 'delete' && (value === 'yes' || value === 'no'))
    return { kind: 'delete', confirm: value === 'yes' };
  return undefined;
}

export interface ModelOption {
  id: string;
  /** Shown to people, e.g. "GPT-4o mini". */
  name: string;
}

export const LANGUAGE_LABELS: Record<Language, string> = { id: 'Bahasa Indonesia', en: 'English' };
