import { Composer, InputFile } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import { type BotCommands, type BotMenu, type BotReply, parseCommand } from '../../shared/bot-commands.js';
import { choiceArgs, decodeChoice, pressedByOwner } from '../../shared/choices.js';
import { type Messages, messagesFor } from '../../shared/i18n/index.js';
import type { BotIdentity } from '../addressing.js';
import { type TelegramContext, telegramChatKey } from '../context.js';
import { deleteConfirmKeyboard, languageKeyboard, modelKeyboard } from '../keyboards.js';
import { commandFromStartPayload, replyPrivately, startPayload } from '../private-reply.js';
import { runTelegramTurn, type TelegramChatDeps } from './chat.js';
import { runTelegramMedia, type TelegramMediaDeps } from './media.js';
import { starsKeyboard, type TelegramStars } from './payments.js';

export interface TelegramCommandDeps extends TelegramChatDeps, TelegramMediaDeps {
  commands: BotCommands;
  stars?: TelegramStars;
}

/** The platform's buttons for a menu reply, bound to the person they are for. */
export function menuKeyboard(menu: BotMenu, t: Messages, owner: string): InlineKeyboardMarkup {
  if (menu.kind === 'model') return modelKeyboard(menu.models, menu.currentId, owner);
  return menu.kind === 'lang' ? languageKeyboard(owner) : deleteConfirmKeyboard(t, owner);
}

/**
 * Shows a command's reply: private replies through `replyPrivately` (DM, or a deep link from a
 * group), the others in the chat (and topic) the command came from.
 */
export async function sendBotReply(
  ctx: TelegramContext,
  reply: BotReply,
  deps: { stars?: TelegramStars },
  command: { name: string; args: string },
): Promise<void> {
  const t = ctx.t ?? messagesFor('id');
  const owner = String(ctx.from?.id ?? '');
  const keyboard = reply.menu
    ? menuKeyboard(reply.menu, t, owner)
    : reply.offerStars && deps.stars
      ? starsKeyboard(deps.stars, t, owner)
      : undefined;
  if (reply.private) {
    await replyPrivately(
      ctx,
      {
        text: reply.text,
        ...(keyboard ? { keyboard } : {}),
        ...(reply.file ? { file: reply.file } : {}),
        startPayload: startPayload(command.name, command.args),
      },
      { sentPrivately: t.sentPrivately(), openPrivateChat: (link) => t.openPrivateChat({ link }) },
    );
    return;
  }
  const thread = ctx.msg?.is_topic_message ? ctx.msg.message_thread_id : undefined;
  const where = thread === undefined ? {} : { message_thread_id: thread };
  if (reply.file) {
    await ctx.replyWithDocument(new InputFile(Buffer.from(reply.file.data), reply.file.filename), {
      ...where,
      caption: reply.text,
    });
    return;
  }
  await ctx.reply(reply.text, { ...where, ...(keyboard ? { reply_markup: keyboard } : {}) });
}

/**
 * `/command args` in any chat (in groups `/command@thisbot` too; commands addressed to other bots
 * are left alone, and so are unknown commands in groups, which are likely another bot's). Account
 * commands run through the shared command set; /image and /video go to media; `/chat text` is a
 * chat turn; `/start <payload>` from a deep link runs the private command it names.
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
    let parsed = parseCommand(text);
    const user = ctx.botUser;
    const chatKey = telegramChatKey(ctx);
    if (!parsed || !user || !chatKey || !ctx.t) return;
    const inGroup = ctx.chat.type !== 'private';
    if (parsed.name === 'start' && !inGroup && parsed.args !== '') {
      parsed = commandFromStartPayload(parsed.args) ?? { name: 'start', args: '' };
    }
    if (parsed.name === 'chat') {
      if (parsed.args !== '') await runTelegramTurn(ctx, parsed.args, deps);
      return;
    }
    if (parsed.name === 'image' || parsed.name === 'video') {
      return runTelegramMedia(ctx, parsed.name, parsed.args, deps);
    }
    if (inGroup && !addressee && !KNOWN_COMMANDS.has(parsed.name)) return;
    const reply = await deps.commands.execute({
      name: parsed.name,
      args: parsed.args,
      user,
      platform: 'telegram',
      chatKey,
    });
    await sendBotReply(ctx, reply, deps, parsed);
  });

  // A menu button: only its owner may press it; then the same command with the chosen value,
  // and the menu message shows the result.
  composer.on('callback_query:data', async (ctx) => {
    const choice = decodeChoice(ctx.callbackQuery.data);
    const user = ctx.botUser;
    const chatKey = telegramChatKey(ctx);
    if (!choice || !user || !chatKey || !ctx.t) {
      await ctx.answerCallbackQuery();
      return;
    }
    if (!pressedByOwner(choice, String(ctx.from.id))) {
      await ctx.answerCallbackQuery({ text: ctx.t.notYourButton(), show_alert: true });
      return;
    }
    const reply = await deps.commands.execute({
      name: choice.kind,
      args: choiceArgs(choice),
      user,
      platform: 'telegram',
      chatKey,
    });
    await ctx.answerCallbackQuery();
    // The menu stays where it was shown (a private menu was shown privately).
    await ctx
      .editMessageText(reply.text)
      .catch(() => sendBotReply(ctx, reply, deps, { name: choice.kind, args: '' }));
  });
  return composer;
}

/** Every command this bot answers; others in a group belong to other bots. */
const KNOWN_COMMANDS = new Set([
  'start',
  'help',
  'new',
  'model',
  'balance',
  'usage',
  'topup',
  'redeem',
  'link',
  'lang',
  'privacy',
  'export',
  'delete',
]);
