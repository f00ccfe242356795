import type { API } from '@discordjs/core/http-only';
import type { BotUser, ChatService } from '../../../core/chat/index.js';
import { type BotLogger, errorFields } from '../../shared/bot-logger.js';
import type { BotMedia } from '../../shared/bot-services.js';
import { errorMessage } from '../../shared/error-message.js';
import type { Messages } from '../../shared/i18n/index.js';
import type { Scheduler } from '../../shared/scheduler.js';
import { type DiscordInteractionTarget, deliverDiscordReply, replaceDiscordReply } from '../deliver.js';
import { streamDiscordReply } from '../stream-reply.js';

export interface DiscordWorkDeps {
  api: API;
  chat: ChatService;
  media?: BotMedia;
  logger: BotLogger;
  scheduler?: Scheduler;
}

export interface DeferredWork {
  target: DiscordInteractionTarget;
  user: BotUser;
  t: Messages;
  /** The conversation: the channel (or DM) the command was used in. */
  chatKey: string;
}

async function fail(deps: DiscordWorkDeps, work: DeferredWork, error: unknown, what: string): Promise<void> {
  deps.logger.warn(errorFields(error), what);
  await replaceDiscordReply(deps.api, work.target, errorMessage(error, work.t)).catch((sendError: unknown) =>
    deps.logger.warn(errorFields(sendError), 'discord error reply failed'),
  );
}

/** `/chat prompt` after the deferral: streamed into `@original`, long answers as follow-ups. */
export async function runDiscordChat(
  deps: DiscordWorkDeps,
  work: DeferredWork,
  prompt: string,
): Promise<void> {
  try {
    const turn = await deps.chat.startTurn({ user: work.user, chatKey: work.chatKey, text: prompt });
    if (turn.status === 'busy') {
      await replaceDiscordReply(deps.api, work.target, work.t.stillAnswering());
      return;
    }
    await streamDiscordReply(
      deps.api,
      work.target,
      turn.deltas,
      deps.scheduler ? { scheduler: deps.scheduler } : {},
    );
    const result = await turn.result;
    if (result.refused) await replaceDiscordReply(deps.api, work.target, work.t.contentRefused());
  } catch (error) {
    await fail(deps, work, error, 'discord chat failed');
  }
}

/** `/image prompt [size] [count]`: the images as attachments within the interaction's upload limit. */
export async function runDiscordImage(
  deps: DiscordWorkDeps,
  work: DeferredWork,
  input: { prompt: string; size?: string; count?: number },
): Promise<void> {
  try {
    if (!deps.media) {
      await replaceDiscordReply(deps.api, work.target, work.t.modelUnavailable({}));
      return;
    }
    const result = await deps.media.image({
      accountId: work.user.account.id,
      channel: 'discord',
      prompt: input.prompt,
      ...(input.size ? { size: input.size } : {}),
      ...(input.count ? { count: input.count } : {}),
    });
    await deliverDiscordReply(deps.api, work.target, {
      text: work.t.imageCaption({ model: result.model, costMrp: result.costMrp }),
      files: result.files.map((f) => ({ name: f.filename, data: f.data, contentType: f.contentType })),
    });
  } catch (error) {
    await fail(deps, work, error, 'discord image failed');
  }
}

/** `/video prompt`: queued; the video is posted in the channel when the worker finishes. */
export async function runDiscordVideo(
  deps: DiscordWorkDeps,
  work: DeferredWork,
  prompt: string,
  channelId?: string,
): Promise<void> {
  try {
    const video = deps.media?.video;
    if (!video) {
      await replaceDiscordReply(deps.api, work.target, work.t.modelUnavailable({}));
      return;
    }
    await video({
      accountId: work.user.account.id,
      channel: 'discord',
      prompt,
      replyTo: {
        platform: 'discord',
        ...(channelId ? { chatId: channelId } : {}),
        userId: work.user.externalId,
      },
    });
    await replaceDiscordReply(deps.api, work.target, work.t.videoQueued());
  } catch (error) {
    await fail(deps, work, error, 'discord video failed');
  }
}
