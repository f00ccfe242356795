import type { Context } from 'grammy';
import type { BotUser } from '../../core/chat/index.js';
import type { ReplyTarget } from '../../db/index.js';
import type { Messages } from '../shared/i18n/index.js';

/** grammY's context plus the sender's account, resolved once per update by `identify`. */
export type TelegramContext = Context & {
  botUser?: BotUser;
  t?: Messages;
};

/** The conversation a message belongs to: the chat, and the forum topic when there is one. */
export function telegramChatKey(ctx: Context): string | undefined {
  const chat = ctx.chat;
  if (!chat) return undefined;
  const message = ctx.msg;
  const thread = message?.is_topic_message ? message.message_thread_id : undefined;
  return thread === undefined ? String(chat.id) : `${chat.id}:${thread}`;
}

export function telegramReplyTarget(ctx: Context): ReplyTarget {
  const message = ctx.msg;
  const thread = message?.is_topic_message ? message.message_thread_id : undefined;
  return {
    platform: 'telegram',
    ...(ctx.chat ? { chatId: String(ctx.chat.id) } : {}),
    ...(thread === undefined ? {} : { threadId: String(thread) }),
    ...(ctx.from ? { userId: String(ctx.from.id) } : {}),
  };
}
