import type { BotUser, ChatService } from '../../core/chat/index.js';
import { languageFromLocale } from './i18n/index.js';

/**
 * The account behind a platform user, created on first contact in the language their client uses
 * (Telegram `language_code`, Discord `locale`; Slack events carry none, so Indonesian). An existing
 * account keeps the language it chose.
 */
export async function identifyBotUser(
  chat: ChatService,
  platform: BotUser['platform'],
  externalId: string,
  client: { locale?: string | undefined; displayName?: string | undefined } = {},
): Promise<BotUser> {
  const user = await chat.identify(platform, externalId, client.displayName);
  const wanted = languageFromLocale(client.locale);
  if (user.created && wanted !== user.account.locale) {
    await chat.setLanguage(user.account.id, wanted);
    user.account = { ...user.account, locale: wanted };
  }
  return user;
}
