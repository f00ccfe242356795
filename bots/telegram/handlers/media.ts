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

async function say(ctx: TelegramContext, text: string): Promise<void> {
  const thread = threadOf(ctx);
  await ctx.reply(text, thread === undefined ? {} : { message_thread_id: thread });
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
  if (prompt === '') return say(ctx, t.promptMissing({ command: kind }));
  if (!deps.media) return say(ctx, t.modelUnavailable({}));
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
    const base = { accountId: user.account.id, channel: 'telegram' as const, prompt, replyTo };
    if (kind === 'image') {
      await deps.media.submitImage(base);
      await ctx.api.sendChatAction(ctx.chat.id, 'upload_photo').catch(() => undefined);
      await say(ctx, t.imageWorking());
    } else {
      await deps.media.submitVideo(base);
      await say(ctx, t.videoQueued());
    }
  } catch (error) {
    deps.logger.warn(errorFields(error), 'telegram media failed');
    const text = errorMessage(error, t);
    await (revealsAccount(error) ? tellPrivately(ctx, text) : say(ctx, text)).catch(() => undefined);
  }
}
