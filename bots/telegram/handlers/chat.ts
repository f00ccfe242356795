import { Composer } from 'grammy';
import type { ChatService } from '../../../core/chat/index.js';
import { type BotLogger, errorFields } from '../../shared/bot-logger.js';
import { errorMessage, revealsAccount } from '../../shared/error-message.js';
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
 * One chat turn in the update's chat: "still answering" while the previous one runs, the answer
 * streamed (drafts in private chats, throttled edits elsewhere), and any failure as its short
 * localized message. The figures people see come from the job row, never from here.
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
  if (!user || !t || !chatKey || !ctx.chat || !message) return;
  const isPrivate = ctx.chat.type === 'private';
  const target = {
    chatId: ctx.chat.id,
    isPrivate,
    ...(message.is_topic_message && message.message_thread_id !== undefined
      ? { messageThreadId: message.message_thread_id }
      : {}),
    ...(isPrivate ? {} : { replyToMessageId: message.message_id }),
  };
  const reply = (text: string) =>
    ctx.api.sendMessage(ctx.chat!.id, text, {
      ...(target.messageThreadId === undefined ? {} : { message_thread_id: target.messageThreadId }),
      ...(isPrivate
        ? {}
        : { reply_parameters: { message_id: message.message_id, allow_sending_without_reply: true } }),
    });
  try {
    const turn = await deps.chat.startTurn({
      user,
      chatKey,
      text: prompt,
      ...(images ? { images } : {}),
      onQueued: () => reply(t.stillAnswering()),
    });
    if (turn.status === 'full') {
      await reply(t.queueFull());
      return;
    }
    await streamTelegramReply(
      ctx.api,
      target,
      turn.deltas,
      deps.scheduler ? { scheduler: deps.scheduler } : {},
    );
    const result = await turn.result;
    if (result.refused) await reply(t.contentRefused());
  } catch (error) {
    if (!isExpected(error)) deps.logger.error(errorFields(error), 'telegram chat turn failed');
    const text = errorMessage(error, t);
    const send = revealsAccount(error) ? tellPrivately(ctx, text) : reply(text);
    await send.catch((sendError: unknown) =>
      deps.logger.warn(errorFields(sendError), 'telegram error reply failed'),
    );
  }
}

function isExpected(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return (
    typeof code === 'string' &&
    [
      'insufficient_balance',
      'rate_limited',
      'account_suspended',
      'content_refused',
      'model_not_found',
    ].includes(code)
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
