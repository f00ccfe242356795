import type { API } from '@discordjs/core/http-only';
import type { BotUser, ChatService } from '../../../core/chat/index.js';
import { type BotLogger, errorFields } from '../../shared/bot-logger.js';
import type { BotMedia } from '../../shared/bot-services.js';
import { errorMessage, revealsAccount } from '../../shared/error-message.js';
import type { Messages } from '../../shared/i18n/index.js';
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
}

/**
 * A failure as the interaction's answer. One that names the person's account (their balance) must
 * not stay in the public "thinking…" message: that is deleted and the notice sent ephemeral.
 */
async function fail(
  deps: DiscordWorkDeps,
  work: DeferredWork,
  error: unknown,
  what: string,
  medium?: 'image' | 'video',
): Promise<void> {
  deps.logger.warn(errorFields(error), what);
  const text = errorMessage(error, work.t, medium);
  const { applicationId, interactionToken } = work.target;
  const send = revealsAccount(error)
    ? deps.api.interactions.deleteReply(applicationId, interactionToken).then(() =>
        deps.api.interactions.followUp(applicationId, interactionToken, {
          content: text,
          flags: EPHEMERAL_FLAG,
          allowed_mentions: NO_MENTIONS,
        }),
      )
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
): Promise<void> {
  try {
    const turn = await deps.chat.startTurn({
      user: work.user,
      chatKey: work.chatKey,
      text: prompt,
      onQueued: () => replaceDiscordReply(deps.api, work.target, work.t.stillAnswering()),
    });
    if (turn.status === 'full') {
      await replaceDiscordReply(deps.api, work.target, work.t.queueFull());
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

/**
 * `/image prompt [size] [count]` and `/video prompt`: queued with this interaction as the reply
 * target; the delivery worker edits `@original` with the attachments (within the interaction's
 * `attachment_size_limit`) and the cost from the job row.
 */
export async function runDiscordMedia(
  deps: DiscordWorkDeps,
  work: DeferredWork,
  input: { kind: 'image' | 'video'; prompt: string; size?: string; count?: number; channelId?: string },
): Promise<void> {
  try {
    if (!deps.media) {
      await replaceDiscordReply(deps.api, work.target, work.t.modelUnavailable({}));
      return;
    }
    const replyTo = {
      platform: 'discord' as const,
      ...(input.channelId ? { chatId: input.channelId } : {}),
      userId: work.user.externalId,
      locale: work.user.account.locale,
      applicationId: work.target.applicationId,
      interactionToken: work.target.interactionToken,
      ...(work.target.attachmentSizeLimit ? { attachmentSizeLimit: work.target.attachmentSizeLimit } : {}),
    };
    const base = {
      accountId: work.user.account.id,
      channel: 'discord' as const,
      prompt: input.prompt,
      replyTo,
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
