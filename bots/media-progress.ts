import type { API } from '@discordjs/core/http-only';
import type { WebClient } from '@slack/web-api';
import type { Api } from 'grammy';
import type { MediaJob } from '../core/media/index.js';
import { NO_MENTIONS } from './discord/deliver.js';
import type { MediaReplyTo } from './shared/bot-services.js';
import { isLanguage, messagesFor } from './shared/i18n/index.js';
import { markdownToMrkdwn } from './slack/markdown-to-mrkdwn.js';

export interface MediaProgressClients {
  telegram?: Api;
  slack?: WebClient;
  discord?: API;
}

/** How far a video is; `percent` only when the upstream reports one (never our own estimate). */
export interface MediaProgressUpdate {
  state: 'running';
  percent?: number;
}

/**
 * Shows a running video's progress by editing the notice the request left in its chat (Telegram's
 * "queued" message, Slack's notice in the request's thread, Discord's `@original`), so the chat
 * holds one status message that the result later replaces. The runner sends each step once and
 * only on visible change, which is the throttle. Best effort: a notice that is gone, or a platform
 * refusing the edit, is not worth retrying, so failures are swallowed. An edit racing the result
 * (both are delivery tasks) is skipped by the worker when the job has ended before it starts.
 */
export function createMediaProgress(
  clients: MediaProgressClients,
): (job: MediaJob, update: MediaProgressUpdate) => Promise<void> {
  return async (job, update) => {
    const target = job.replyTo as MediaReplyTo | undefined;
    if (!target || job.kind !== 'video') return;
    const t = messagesFor(isLanguage(target.locale) ? target.locale : 'id');
    const text = t.videoRunning(update.percent === undefined ? {} : { percent: update.percent });
    const ignore = () => undefined;
    switch (target.platform) {
      case 'telegram': {
        const chatId = Number(target.chatId);
        const working = target.workingMessageId;
        if (!clients.telegram || !Number.isSafeInteger(chatId) || typeof working !== 'number') return;
        await clients.telegram.editMessageText(chatId, working, text).catch(ignore);
        return;
      }
      case 'slack': {
        const working = target.workingMessageTs;
        if (!clients.slack || !target.chatId || typeof working !== 'string') return;
        await clients.slack.chat
          .update({ channel: target.chatId, ts: working, text: markdownToMrkdwn(text) })
          .catch(ignore);
        return;
      }
      case 'discord': {
        if (!clients.discord || !target.applicationId || !target.interactionToken) return;
        // Content only: an edit that raced the result must not take its attachments away.
        await clients.discord.interactions
          .editReply(target.applicationId, target.interactionToken, {
            content: text,
            allowed_mentions: NO_MENTIONS,
          })
          .catch(ignore);
        return;
      }
    }
  };
}
