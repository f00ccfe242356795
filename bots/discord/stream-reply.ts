import type { API } from '@discordjs/core/http-only';
import { realScheduler, type Scheduler } from '../shared/scheduler.js';
import { MESSAGE_LIMITS, splitMessage } from '../shared/split-message.js';
import {
  type DiscordDeliveryResult,
  type DiscordInteractionTarget,
  deliverDiscordReply,
  NO_MENTIONS,
} from './deliver.js';

export interface DiscordStreamOptions {
  scheduler?: Scheduler;
  /** Minimum gap between edits of `@original` while the answer grows (webhook rate limits are per token). */
  editIntervalMs?: number;
}

/**
 * Streams an answer into a deferred interaction: `@original` is edited with the first part at
 * most every `editIntervalMs`, then the complete answer is delivered (first part edited in,
 * further parts as follow-ups). If `deltas` throws, what arrived is delivered, then the error
 * is rethrown for the caller's localized message.
 */
export async function streamDiscordReply(
  api: API,
  target: DiscordInteractionTarget,
  deltas: AsyncIterable<string>,
  options: DiscordStreamOptions = {},
): Promise<DiscordDeliveryResult & { text: string }> {
  const scheduler = options.scheduler ?? realScheduler;
  const interval = options.editIntervalMs ?? 1500;
  let text = '';
  let shown = '';
  let nextEditAt = scheduler.now() + interval;
  let failure: { error: unknown } | undefined;
  try {
    for await (const delta of deltas) {
      text += delta;
      if (scheduler.now() < nextEditAt) continue;
      nextEditAt = scheduler.now() + interval;
      const preview = splitMessage(text, MESSAGE_LIMITS.discord)[0];
      if (preview === undefined || preview === shown) continue;
      await api.interactions.editReply(target.applicationId, target.interactionToken, {
        content: preview,
        allowed_mentions: NO_MENTIONS,
      });
      shown = preview;
    }
  } catch (error) {
    failure = { error };
  }
  const delivered =
    text.trim() === ''
      ? { messageIds: [], skippedFiles: [] }
      : await deliverDiscordReply(api, target, { text });
  if (failure) throw failure.error;
  return { ...delivered, text };
}
