import { type BotLogger, errorFields } from '../../shared/bot-logger.js';
import type { BotMedia } from '../../shared/bot-services.js';
import { errorMessage, revealsAccount } from '../../shared/error-message.js';
import { type TelegramContext, telegramReplyTarget } from '../context.js';
import { tellPrivately } from '../private-reply.js';

export interface TelegramMediaDeps {
  media?: BotMedia;
  logger: BotLogger;
}

function threadOf(ctx: TelegramContext): number | undefined {
  return ctx.msg?.is_topic_message ? ctx.msg.message_thread_id : undefined;
}

async function say(ctx: TelegramContext, text: string): Promise<number> {
  const thread = threadOf(ctx);
  const sent = await ctx.reply(text, thread === undefined ? {} : { message_thread_id: thread });
  return sent.message_id;
}

/**
 * `/image PROMPT` and `/video PROMPT`: queued with this chat as the reply target; the delivery
 * worker sends the photo or video with its model and cost (from the job row) as the caption.
 */
export async function runTelegramMedia(
  ctx: TelegramContext,
  kind: 'image' | 'video',
  prompt: string,
  deps: TelegramMediaDeps,
): Promise<void> {
  const { botUser: user, t } = ctx;
  if (!user || !t || !ctx.chat || !ctx.msg) return;
  if (prompt === '') return void (await say(ctx, t.promptMissing({ command: kind })));
  if (!deps.media) return void (await say(ctx, t.modelUnavailable({})));
  let working: number | undefined;
  try {
    if (user.account.status !== 'active') return tellPrivately(ctx, t.accountSuspended());
    const thread = threadOf(ctx);
    const replyTo = {
      ...telegramReplyTarget(ctx),
      platform: 'telegram' as const,
      locale: user.account.locale,
      replyToMessageId: ctx.msg.message_id,
      ...(thread === undefined ? {} : { threadId: String(thread) }),
    };
    // The notice goes first, so the delivery can replace it with the result.
    working = await say(ctx, kind === 'image' ? t.imageWorking() : t.videoQueued());
    const base = {
      accountId: user.account.id,
      channel: 'telegram' as const,
      prompt,
      replyTo: { ...replyTo, workingMessageId: working },
    };
    if (kind === 'image') {
      await deps.media.submitImage(base);
      await ctx.api.sendChatAction(ctx.chat.id, 'upload_photo').catch(() => undefined);
    } else {
      await deps.media.submitVideo(base);
    }
  } catch (error) {
    deps.logger.warn(errorFields(error), 'telegram media failed');
    if (working !== undefined) await ctx.api.deleteMessage(ctx.chat.id, working).catch(() => undefined);
    const text = errorMessage(error, t, kind);
    await (revealsAccount(error) ? tellPrivately(ctx, text) : say(ctx, text)).catch(() => undefined);
  }
}
