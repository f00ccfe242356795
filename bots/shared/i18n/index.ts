import { en, english } from './en.js';
import { id, indonesian } from './id.js';
import { type CommandPlatform, commandStyle, type Language, type Messages } from './messages.js';

export { en } from './en.js';
export { id } from './id.js';
export {
  type BankAccount,
  BOT_COMMANDS,
  type BotCommandName,
  type CommandPlatform,
  type CommandStyle,
  commandStyle,
  DISCORD_OPTION,
  type DiscordCommandName,
  formatWib,
  type Language,
  type Messages,
  type TopupAlternatives,
  type UsageRow,
} from './messages.js';

export const DEFAULT_LANGUAGE: Language = 'id';

const BUILD: Record<Language, typeof english> = { id: indonesian, en: english };
const CACHE = new Map<string, Messages>([
  ['id:telegram', id],
  ['en:telegram', en],
]);

/**
 * The messages in a language, naming commands the way the platform writes them (Telegram by
 * default). Discord's help also lists `/chat`, its way to talk in a channel.
 */
export function messagesFor(language: Language, platform: CommandPlatform = 'telegram'): Messages {
  const key = `${language}:${platform}`;
  let messages = CACHE.get(key);
  if (!messages) {
    messages = BUILD[language](commandStyle(platform), platform === 'discord');
    CACHE.set(key, messages);
  }
  return messages;
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
