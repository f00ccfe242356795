import type { API } from '@discordjs/core/http-only';
import type { BotUser, ChatService } from '../../../core/chat/index.js';
import { type BotLogger, errorFields } from '../../shared/bot-logger.js';
import type { BotMedia, MediaReplyTo } from '../../shared/bot-services.js';
import { errorMessage, revealsAccount } from '../../shared/error-message.js';
import type { Messages } from '../../shared/i18n/index.js';
import { runBotTurn } from '../../shared/run-turn.js';
import type { Scheduler } from '../../shared/scheduler.js';
import {
  type DiscordInteractionTarget,
  EPHEMERAL_FLAG,
  NO_MENTIONS,
  replaceDiscordReply,
} from '../deliver.js';
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
  /** The channel, when the interaction came from one. */
  channelId?: string;
}

/** Where the delivery worker brings a finished image or video: this interaction's `@original`. */
export function mediaReplyTo(work: DeferredWork): MediaReplyTo {
  return {
    platform: 'discord',
    ...(work.channelId ? { chatId: work.channelId } : {}),
    userId: work.user.externalId,
    locale: work.user.account.locale,
    applicationId: work.target.applicationId,
    interactionToken: work.target.interactionToken,
    ...(work.target.attachmentSizeLimit ? { attachmentSizeLimit: work.target.attachmentSizeLimit } : {}),
  };
}

/**
 * A notice only the asker sees, in place of the deferred answer: the public "thinking…" message
 * is deleted and the notice sent as an ephemeral follow-up.
 */
function replyPrivately(api: API, target: DiscordInteractionTarget, text: string): Promise<unknown> {
  const { applicationId, interactionToken } = target;
  return api.interactions.deleteReply(applicationId, interactionToken).then(() =>
    api.interactions.followUp(applicationId, interactionToken, {
      content: text,
      flags: EPHEMERAL_FLAG,
      allowed_mentions: NO_MENTIONS,
    }),
  );
}

/**
 * A failure as the interaction's answer. One that names the person's account (their balance) must
 * not stay in the public "thinking…" message: that is deleted and the notice sent ephemeral.
 */
export async function fail(
  deps: DiscordWorkDeps,
  work: DeferredWork,
  error: unknown,
  what: string,
  medium?: 'image' | 'video',
): Promise<void> {
  deps.logger.warn(errorFields(error), what);
  const text = errorMessage(error, work.t, medium);
  const send = revealsAccount(error)
    ? replyPrivately(deps.api, work.target, text)
    : replaceDiscordReply(deps.api, work.target, text);
  await send.catch((sendError: unknown) =>
    deps.logger.warn(errorFields(sendError), 'discord error reply failed'),
  );
}

/** `/chat prompt` after the deferral: streamed into `@original`, long answers as follow-ups. */
export async function runDiscordChat(
  deps: DiscordWorkDeps,
  work: DeferredWork,
  prompt: string,
  images?: { mediaType: string; data: string }[],
): Promise<void> {
  await runBotTurn(
    deps,
    { user: work.user, t: work.t, chatKey: work.chatKey, text: prompt, ...(images ? { images } : {}) },
    {
      say: (text) => replaceDiscordReply(deps.api, work.target, text),
      sayPrivately: (text) => replyPrivately(deps.api, work.target, text),
      stream: (deltas) =>
        streamDiscordReply(
          deps.api,
          work.target,
          deltas,
          deps.scheduler ? { scheduler: deps.scheduler } : {},
        ),
    },
  );
}

/**
 * `/image prompt [size] [count]` and `/video prompt`: queued with this interaction as the reply
 * target; the delivery worker edits `@original` with the attachments (within the interaction's
 * `attachment_size_limit`) and the cost from the job row.
 */
export async function runDiscordMedia(
  deps: DiscordWorkDeps,
  work: DeferredWork,
  input: { kind: 'image' | 'video'; prompt: string; size?: string; count?: number },
): Promise<void> {
  try {
    if (!deps.media) {
      await replaceDiscordReply(deps.api, work.target, work.t.modelUnavailable({}));
      return;
    }
    const base = {
      accountId: work.user.account.id,
      channel: 'discord' as const,
      prompt: input.prompt,
      replyTo: mediaReplyTo(work),
    };
    if (input.kind === 'image') {
      await deps.media.submitImage({
        ...base,
        ...(input.size ? { size: input.size } : {}),
        ...(input.count ? { n: input.count } : {}),
      });
    } else {
      await deps.media.submitVideo(base);
      await replaceDiscordReply(deps.api, work.target, work.t.videoQueued());
    }
  } catch (error) {
    await fail(deps, work, error, 'discord media failed', input.kind);
  }
}
