import type { Api } from 'grammy';
import type { BotCommand } from 'grammy/types';
import { BOT_COMMANDS, type Language, messagesFor } from '../shared/i18n/index.js';

/** The command menu in one language (Telegram: at most 100 commands, descriptions 1–256 characters). */
export function telegramCommands(language: Language): BotCommand[] {
  const messages = messagesFor(language);
  return BOT_COMMANDS.map((command) => ({ command, description: messages.commandDescription(command) }));
}

/**
 * Sets the command menu: Indonesian as the default for every user, English for clients whose
 * language is English (Telegram picks by the user's `language_code`).
 */
export async function registerTelegramCommands(api: Api): Promise<void> {
  await api.setMyCommands(telegramCommands('id'));
  await api.setMyCommands(telegramCommands('en'), { language_code: 'en' });
}
