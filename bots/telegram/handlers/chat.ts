import { Composer } from 'grammy';
import type { ChatService } from '../../../core/chat/index.js';
import type { BotLogger } from '../../shared/bot-logger.js';
import { runBotTurn } from '../../shared/run-turn.js';
import type { Scheduler } from '../../shared/scheduler.js';
import { type BotIdentity, promptForBot } from '../addressing.js';
import { type TelegramContext, telegramChatKey } from '../context.js';
import { tellPrivately } from '../private-reply.js';
import { streamTelegramReply } from '../stream-reply.js';

export interface TelegramChatDeps {
  chat: ChatService;
  logger: BotLogger;
  scheduler?: Scheduler;
  /** The Bot API download URL of a file path (photos sent to the bot). */
  fileUrl?: (filePath: string) => string;
}

/**
 * One chat turn in the update's chat (see runBotTurn): the answer streamed as drafts in private
 * chats and throttled edits elsewhere, notices answering the message in groups, errors that name
 * the person's account sent to them privately.
 */
export async function runTelegramTurn(
  ctx: TelegramContext,
  prompt: string,
  deps: TelegramChatDeps,
  images?: { mediaType: string; data: string }[],
): Promise<void> {
  const user = ctx.botUser;
  const t = ctx.t;
  const chatKey = telegramChatKey(ctx);
  const message = ctx.msg;
  const chat = ctx.chat;
  if (!user || !t || !chatKey || !chat || !message) return;
  const isPrivate = chat.type === 'private';
  const target = {
    chatId: chat.id,
    isPrivate,
    ...(message.is_topic_message && message.message_thread_id !== undefined
      ? { messageThreadId: message.message_thread_id }
      : {}),
    ...(isPrivate ? {} : { replyToMessageId: message.message_id }),
  };
  await runBotTurn(
    deps,
    { user, t, chatKey, text: prompt, ...(images ? { images } : {}) },
    {
      say: (text) =>
        ctx.api.sendMessage(chat.id, text, {
          ...(target.messageThreadId === undefined ? {} : { message_thread_id: target.messageThreadId }),
          ...(isPrivate
            ? {}
            : { reply_parameters: { message_id: message.message_id, allow_sending_without_reply: true } }),
        }),
      sayPrivately: (text) => tellPrivately(ctx, text),
      stream: (deltas) =>
        streamTelegramReply(ctx.api, target, deltas, deps.scheduler ? { scheduler: deps.scheduler } : {}),
    },
  );
}

/** Text messages meant for the bot: every one in private chats, mentions and replies in groups. */
export function chatComposer(deps: TelegramChatDeps, bot: () => BotIdentity): Composer<TelegramContext> {
  const composer = new Composer<TelegramContext>();
  composer.on('message:text', async (ctx) => {
    const prompt = promptForBot(ctx.message, bot());
    if (prompt === undefined || prompt === '') return;
    await runTelegramTurn(ctx, prompt, deps);
  });

  return composer;
}
