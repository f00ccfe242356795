import { en } from './en.js';
import { id } from './id.js';
import type { Language, Messages } from './messages.js';

export { en } from './en.js';
export { id } from './id.js';
export {
  type BankAccount,
  BOT_COMMANDS,
  type BotCommandName,
  formatWib,
  type Language,
  type Messages,
  type UsageRow,
} from './messages.js';

export const DEFAULT_LANGUAGE: Language = 'id';

const CATALOG: Record<Language, Messages> = { id, en };

export function messagesFor(language: Language): Messages {
  return CATALOG[language];
}

/**
 * The language for a platform locale (`id`, `en-US`, `en-GB`...). English only when the
 * platform says so; everything else gets the default, Bahasa Indonesia.
 */
export function languageFromLocale(locale: string | undefined): Language {
  return locale?.toLowerCase().startsWith('en') ? 'en' : DEFAULT_LANGUAGE;
}

export function isLanguage(value: unknown): value is Language {
  return value === 'id' || value === 'en';
}
