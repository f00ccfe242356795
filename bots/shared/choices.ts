import type { Language } from './i18n/index.js';

/**
 * What a button or menu press means, encoded in the platform's callback field (Telegram
 * `callback_data`, at most 64 bytes; Discord `custom_id`/option values, 100 characters; Slack
 * action values). Decoding never trusts the input: unknown data yields `undefined`.
 */
export type Choice = { owner: string } & (
  | { kind: 'model'; modelId: string }
  | { kind: 'lang'; language: Language }
  | { kind: 'delete'; confirm: boolean }
);

/**
 * Every button carries its owner, the platform user id of the person it was made for (Telegram
 * user id, Slack user id, Discord user id): a press by anyone else is refused before it acts,
 * and a press never acts on the presser's own account unless the presser is the owner.
 */
const OWNER = /^[A-Za-z0-9_]{1,24}$/;

/** True when the button may act for the person who pressed it. */
export function pressedByOwner(choice: { owner: string }, presserId: string): boolean {
  return choice.owner === presserId;
}

/** Telegram's limit is the smallest of the three platforms. */
export const MAX_CHOICE_BYTES = 64;

export function encodeChoice(choice: Choice): string {
  switch (choice.kind) {
    case 'model':
      return `model:${choice.owner}:${choice.modelId}`;
    case 'lang':
      return `lang:${choice.owner}:${choice.language}`;
    case 'delete':
      return `delete:${choice.owner}:${choice.confirm ? 'yes' : 'no'}`;
  }
}

/** Whether a choice fits every platform's callback field (long model ids may not). */
export function choiceFits(choice: Choice): boolean {
  return Buffer.byteLength(encodeChoice(choice)) <= MAX_CHOICE_BYTES;
}

export function decodeChoice(data: string | undefined): Choice | undefined {
  if (!data) return undefined;
  const [kind, owner, ...rest] = data.split(':');
  const value = rest.join(':');
  if (!owner || !OWNER.test(owner)) return undefined;
  if (kind === 'model' && /^[\w.:/@+-]{1,58}$/.test(value)) return { kind: 'model', owner, modelId: value };
  if (kind === 'lang' && (value === 'id' || value === 'en')) return { kind: 'lang', owner, language: value };
  if (kind === 'delete' && (value === 'yes' || value === 'no'))
    return { kind: 'delete', owner, confirm: value === 'yes' };
  return undefined;
}

/** The command a press stands for, as its argument (`/model ID`, `/lang en`, `/delete yes`). */
export function choiceArgs(choice: Choice): string {
  switch (choice.kind) {
    case 'model':
      return choice.modelId;
    case 'lang':
      return choice.language;
    case 'delete':
      return choice.confirm ? 'yes' : 'no';
  }
}

export interface ModelOption {
  id: string;
  /** Shown to people, e.g. "GPT-4o mini". */
  name: string;
}

export const LANGUAGE_LABELS: Record<Language, string> = { id: 'Bahasa Indonesia', en: 'English' };
