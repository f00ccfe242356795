import { Composer } from 'grammy';
import type { ChatService } from '../../../core/chat/index.js';
import { languageOf } from '../../shared/bot-commands.js';
import { languageFromLocale, messagesFor } from '../../shared/i18n/index.js';
import type { TelegramContext } from '../context.js';

/**
 * Drops updates already processed (Telegram redelivers when a webhook answer is late), then
 * resolves the sender to their account, creating it on first contact in the language their
 * Telegram client uses.
 */
export function identifyComposer(chat: ChatService): Composer<TelegramContext> {
  const composer = new Composer<TelegramContext>();
  composer.use(async (ctx, next) => {
    if (!(await chat.firstDelivery('telegram', String(ctx.update.update_id)))) return;
    const from = ctx.from;
    if (!from || from.is_bot) return next();
    const displayName = [from.first_name, from.last_name].filter(Boolean).join(' ') || from.username;
    const user = await chat.identify('telegram', String(from.id), displayName);
    if (user.created && languageFromLocale(from.language_code) !== user.account.locale) {
      const language = languageFromLocale(from.language_code);
      await chat.setLanguage(user.account.id, language);
      user.account = { ...user.account, locale: language };
    }
    ctx.botUser = user;
    ctx.t = messagesFor(languageOf(user));
    return next();
  });
  return composer;
}
