import { type BotLogger, errorFields } from '../../shared/bot-logger.js';
import type { BotMedia } from '../../shared/bot-services.js';
import { errorMessage } from '../../shared/error-message.js';
import type { Scheduler } from '../../shared/scheduler.js';
import { type TelegramContext, telegramReplyTarget } from '../context.js';
import { sendTelegramMedia } from '../send-media.js';

export interface TelegramMediaDeps {
  media?: BotMedia;
  logger: BotLogger;
  scheduler?: Scheduler;
}

function threadOf(ctx: TelegramContext): number | undefined {
  return ctx.msg?.is_topic_message ? ctx.msg.message_thread_id : undefined;
}

async function say(ctx: TelegramContext, text: string): Promise<void> {
  const thread = threadOf(ctx);
  await ctx.reply(text, thread === undefined ? {} : { message_thread_id: thread });
}

/** `/image PROMPT`: a photo with its model and cost (from the job row) in the caption. */
export async function runTelegramImage(
  ctx: TelegramContext,
  prompt: string,
  deps: TelegramMediaDeps,
): Promise<void> {
  const { botUser: user, t } = ctx;
  if (!user || !t || !ctx.chat) return;
  if (prompt === '') return say(ctx, t.promptMissing({ command: 'image' }));
  if (!deps.media) return say(ctx, t.modelUnavailable({}));
  try {
    if (user.account.status !== 'active') return say(ctx, t.accountSuspended());
    await ctx.api.sendChatAction(ctx.chat.id, 'upload_photo').catch(() => undefined);
    const result = await deps.media.image({ accountId: user.account.id, channel: 'telegram', prompt });
    const thread = threadOf(ctx);
    for (const file of result.files) {
      await sendTelegramMedia(
        ctx.api,
        { chatId: ctx.chat.id, ...(thread === undefined ? {} : { messageThreadId: thread }) },
        {
          kind: 'photo',
          data: file.data,
          filename: file.filename,
          caption: t.imageCaption({ model: result.model, costMrp: result.costMrp }),
        },
        deps.scheduler ? { scheduler: deps.scheduler } : {},
      );
    }
  } catch (error) {
    deps.logger.warn(errorFields(error), 'telegram image failed');
    await say(ctx, errorMessage(error, t)).catch(() => undefined);
  }
}

/** `/video PROMPT`: queued; the video arrives in this chat when the worker finishes. */
export async function runTelegramVideo(
  ctx: TelegramContext,
  prompt: string,
  deps: TelegramMediaDeps,
): Promise<void> {
  const { botUser: user, t } = ctx;
  if (!user || !t) return;
  if (prompt === '') return say(ctx, t.promptMissing({ command: 'video' }));
  const video = deps.media?.video;
  if (!video) return say(ctx, t.modelUnavailable({}));
  try {
    if (user.account.status !== 'active') return say(ctx, t.accountSuspended());
    await video({
      accountId: user.account.id,
      channel: 'telegram',
      prompt,
      replyTo: telegramReplyTarget(ctx),
    });
    await say(ctx, t.videoQueued());
  } catch (error) {
    deps.logger.warn(errorFields(error), 'telegram video failed');
    await say(ctx, errorMessage(error, t)).catch(() => undefined);
  }
}
