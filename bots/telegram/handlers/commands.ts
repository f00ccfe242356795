import { Composer, InputFile } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import { type BotCommands, type BotMenu, type BotReply, parseCommand } from '../../shared/bot-commands.js';
import { decodeChoice } from '../../shared/choices.js';
import { type Messages, messagesFor } from '../../shared/i18n/index.js';
import type { BotIdentity } from '../addressing.js';
import { type TelegramContext, telegramChatKey, telegramReplyTarget } from '../context.js';
import { deleteConfirmKeyboard, languageKeyboard, modelKeyboard } from '../keyboards.js';
import { runTelegramTurn, type TelegramChatDeps } from './chat.js';
import { runTelegramMedia, type TelegramMediaDeps } from './media.js';
import { starsKeyboard, type TelegramStars } from './payments.js';

export interface TelegramCommandDeps extends TelegramChatDeps, TelegramMediaDeps {
  commands: BotCommands;
  stars?: TelegramStars;
}

/** The platform's buttons for a menu reply. */
export function menuKeyboard(menu: BotMenu, t: Messages): InlineKeyboardMarkup {
  if (menu.kind === 'model') return modelKeyboard(menu.models, menu.currentId);
  return menu.kind === 'lang' ? languageKeyboard() : deleteConfirmKeyboard(t);
}

export async function sendBotReply(
  ctx: TelegramContext,
  reply: BotReply,
  keyboard?: InlineKeyboardMarkup,
): Promise<void> {
  const thread = ctx.msg?.is_topic_message ? ctx.msg.message_thread_id : undefined;
  const markup = reply.menu ? menuKeyboard(reply.menu, ctx.t ?? messagesFor('id')) : keyboard;
  const where = thread === undefined ? {} : { message_thread_id: thread };
  if (reply.file) {
    await ctx.replyWithDocument(new InputFile(Buffer.from(reply.file.data), reply.file.filename), {
      ...where,
      caption: reply.text,
    });
    return;
  }
  await ctx.reply(reply.text, { ...where, ...(markup ? { reply_markup: markup } : {}) });
}

/**
 * `/command args` in any chat (in groups `/command@thisbot` too; commands for other bots are left
 * alone). Account commands run through the shared command set; /image and /video go to media;
 * `/chat text` is a chat turn.
 */
export function commandsComposer(
  deps: TelegramCommandDeps,
  bot: () => BotIdentity,
): Composer<TelegramContext> {
  const composer = new Composer<TelegramContext>();
  composer.on('message:text', async (ctx, next) => {
    const text = ctx.message.text;
    if (!text.startsWith('/')) return next();
    const addressee = /^\/\w+@(\w+)/.exec(text)?.[1];
    if (addressee && addressee.toLowerCase() !== bot().username.toLowerCase()) return;
    const parsed = parseCommand(text);
    const user = ctx.botUser;
    const chatKey = telegramChatKey(ctx);
    if (!parsed || !user || !chatKey || !ctx.t) return;
    if (parsed.name === 'chat') {
      if (parsed.args !== '') await runTelegramTurn(ctx, parsed.args, deps);
      return;
    }
    if (parsed.name === 'image' || parsed.name === 'video') {
      return runTelegramMedia(ctx, parsed.name, parsed.args, deps);
    }
    const reply = await deps.commands.execute({
      name: parsed.name,
      args: parsed.args,
      user,
      platform: 'telegram',
      chatKey,
      replyTo: telegramReplyTarget(ctx),
    });
    // `/topup` without an amount also offers Telegram Stars packages.
    const stars =
      parsed.name === 'topup' && parsed.args === '' && deps.stars ? starsKeyboard(deps.stars) : undefined;
    await sendBotReply(ctx, reply, stars);
  });

  // A menu button: the same command with the chosen value, then the menu message shows the result.
  composer.on('callback_query:data', async (ctx) => {
    const choice = decodeChoice(ctx.callbackQuery.data);
    const user = ctx.botUser;
    const chatKey = telegramChatKey(ctx);
    if (!choice || !user || !chatKey) {
      await ctx.answerCallbackQuery();
      return;
    }
    const args =
      choice.kind === 'model'
        ? choice.modelId
        : choice.kind === 'lang'
          ? choice.language
          : choice.confirm
            ? 'yes'
            : 'no';
    const reply = await deps.commands.execute({
      name: choice.kind,
      args,
      user,
      platform: 'telegram',
      chatKey,
      replyTo: telegramReplyTarget(ctx),
    });
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(reply.text).catch(() => sendBotReply(ctx, reply));
  });
  return composer;
}
