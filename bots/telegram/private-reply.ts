import { GrammyError, InputFile } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import { messagesFor } from '../shared/i18n/index.js';
import type { TelegramContext } from './context.js';

export interface PrivateMessage {
  text: string;
  keyboard?: InlineKeyboardMarkup;
  file?: { filename: string; data: Uint8Array };
  /** What `/start <payload>` in the private chat should run (a deep link from the group). */
  startPayload: string;
}

/** Telegram's deep-link payload: at most 64 characters of `A-Za-z0-9_-`. */
export function startPayload(command: string, args = ''): string {
  const payload = /^\d{1,12}$/.test(args) ? `${command}_${args}` : command;
  return payload.slice(0, 64);
}

/** `/start topup_50000` back into the command it stands for; undefined for anything else. */
export function commandFromStartPayload(payload: string): { name: string; args: string } | undefined {
  const match = /^([a-z]{1,16})(?:_(\d{1,12}))?$/.exec(payload);
  return match ? { name: match[1]!, args: match[2] ?? '' } : undefined;
}

/**
 * Answers one person privately. In their private chat: a normal reply. In a group: a DM (and a
 * short "sent privately" note in the group); when Telegram refuses the DM because they never
 * started the bot, a reply in the group with a `t.me/<bot>?start=...` deep link and nothing else.
 */
export async function replyPrivately(
  ctx: TelegramContext,
  message: PrivateMessage,
  notes: { sentPrivately: string; openPrivateChat: (link: string) => string },
): Promise<void> {
  const chat = ctx.chat;
  const from = ctx.from;
  if (!chat || !from) return;
  const markup = message.keyboard ? { reply_markup: message.keyboard } : {};
  const send = (chatId: number, extra: Record<string, unknown>) =>
    message.file
      ? ctx.api.sendDocument(chatId, new InputFile(Buffer.from(message.file.data), message.file.filename), {
          ...extra,
          caption: message.text,
        })
      : ctx.api.sendMessage(chatId, message.text, { ...extra, ...markup });
  const thread = ctx.msg?.is_topic_message ? ctx.msg.message_thread_id : undefined;
  const inGroup = {
    ...(thread === undefined ? {} : { message_thread_id: thread }),
    ...(ctx.msg
      ? { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } }
      : {}),
  };
  if (chat.type === 'private') {
    await send(chat.id, {});
    return;
  }
  try {
    await send(from.id, {});
    await ctx.api.sendMessage(chat.id, notes.sentPrivately, inGroup);
  } catch (error) {
    if (!cannotMessagePrivately(error)) throw error;
    const link = `https://t.me/${ctx.me.username}?start=${message.startPayload}`;
    await ctx.api.sendMessage(chat.id, notes.openPrivateChat(link), inGroup);
  }
}

/** A short private notice in the person's language (a failure that names their balance). */
export function tellPrivately(ctx: TelegramContext, text: string, payload = 'balance'): Promise<void> {
  const t = ctx.t ?? messagesFor('id');
  return replyPrivately(
    ctx,
    { text, startPayload: payload },
    { sentPrivately: t.sentPrivately(), openPrivateChat: (link) => t.openPrivateChat({ link }) },
  );
}

/** 403: the user never started the bot, or blocked it; 400 chat not found: no private chat yet. */
function cannotMessagePrivately(error: unknown): boolean {
  return (
    error instanceof GrammyError &&
    (error.error_code === 403 || (error.error_code === 400 && /chat not found/i.test(error.description)))
  );
}
