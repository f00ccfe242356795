import { Composer } from 'grammy';
import type { ChatService } from '../../../core/chat/index.js';
import { languageOf } from '../../shared/bot-commands.js';
import { messagesFor } from '../../shared/i18n/index.js';
import { identifyBotUser } from '../../shared/identify.js';
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
    const user = await identifyBotUser(chat, 'telegram', String(from.id), {
      locale: from.language_code,
      displayName,
    });
    ctx.botUser = user;
    ctx.t = messagesFor(languageOf(user));
    return next();
  });
  return composer;
}
