import type { API } from '@discordjs/core/http-only';
import type { WebClient } from '@slack/web-api';
import type { Api } from 'grammy';
import type { MediaJob } from '../core/media/index.js';
import {
  deliverDiscordReply,
  interactionTokenExpired,
  postDiscordAsBot,
  replaceDiscordReply,
} from './discord/deliver.js';
import type { MediaReplyTo } from './shared/bot-services.js';
import { isLanguage, messagesFor } from './shared/i18n/index.js';
import { uploadSlackFiles } from './slack/upload-files.js';
import { sendTelegramMedia } from './telegram/send-media.js';

export interface MediaDeliveryClients {
  telegram?: Api;
  slack?: WebClient;
  discord?: API;
  readFile(key: string): Promise<{ bytes: Buffer; contentType: string }>;
}

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
};

function replyToOf(job: MediaJob): MediaReplyTo | undefined {
  const target = job.replyTo as MediaReplyTo | undefined;
  if (!target || !['telegram', 'slack', 'discord'].includes(String(target.platform))) return undefined;
  return target;
}

/**
 * Brings a finished media job back to the chat it came from (the delivery worker calls it at least
 * once per job): the files with the model and the cost the ledger charged in the caption, or the
 * short localized failure message (failures are not charged). Throws to be retried.
 */
export function createMediaDelivery(clients: MediaDeliveryClients): (job: MediaJob) => Promise<void> {
  return async (job) => {
    const target = replyToOf(job);
    if (!target) return;
    const t = messagesFor(isLanguage(target.locale) ? target.locale : 'id');
    const succeeded = job.status === 'succeeded' && job.outputs.length > 0;
    const caption = succeeded
      ? job.kind === 'video'
        ? t.videoCaption({ model: job.model, costMrp: job.costMrp ?? 0n, seconds: job.params.seconds ?? 0 })
        : t.imageCaption({ model: job.model, costMrp: job.costMrp ?? 0n })
      : job.status === 'refused'
        ? t.contentRefused()
        : t.mediaFailed({ kind: job.kind === 'video' ? 'video' : 'image' });
    const files = succeeded
      ? await Promise.all(
          job.outputs.map(async (output, index) => {
            const stored = await clients.readFile(output.key);
            const extension = EXTENSIONS[output.contentType] ?? 'bin';
            return {
              filename: `aiport-${job.id.slice(0, 8)}-${index + 1}.${extension}`,
              contentType: output.contentType,
              data: stored.bytes,
            };
          }),
        )
      : [];

    switch (target.platform) {
      case 'telegram': {
        const api = clients.telegram;
        const chatId = Number(target.chatId);
        if (!api || !Number.isSafeInteger(chatId)) return;
        const where = {
          chatId,
          ...(target.threadId ? { messageThreadId: Number(target.threadId) } : {}),
          ...(target.replyToMessageId ? { replyToMessageId: target.replyToMessageId } : {}),
        };
        // The "working on it" notice is replaced by the result (or the failure).
        const working = typeof target.workingMessageId === 'number' ? target.workingMessageId : undefined;
        if (files.length === 0) {
          if (working !== undefined) {
            const edited = await api.editMessageText(chatId, working, caption).then(
              () => true,
              () => false,
            );
            if (edited) return;
          }
          await api.sendMessage(
            chatId,
            caption,
            where.messageThreadId ? { message_thread_id: where.messageThreadId } : {},
          );
          return;
        }
        for (const file of files) {
          await sendTelegramMedia(api, where, {
            kind: job.kind === 'video' ? 'video' : 'photo',
            data: file.data,
            filename: file.filename,
            caption,
          });
        }
        if (working !== undefined) await api.deleteMessage(chatId, working).catch(() => undefined);
        return;
      }
      case 'slack': {
        const client = clients.slack;
        if (!client || !target.chatId || !target.threadId) return;
        // The status notice in the thread is replaced by the result (or the failure).
        const working = typeof target.workingMessageTs === 'string' ? target.workingMessageTs : undefined;
        if (files.length === 0) {
          if (working !== undefined) {
            const edited = await client.chat
              .update({ channel: target.chatId, ts: working, text: caption })
              .then(
                () => true,
                () => false,
              );
            if (edited) return;
          }
          await client.chat.postMessage({
            channel: target.chatId,
            thread_ts: target.threadId,
            text: caption,
          });
          return;
        }
        await uploadSlackFiles(
          client,
          { channel: target.chatId, threadTs: target.threadId },
          files.map((f) => ({ filename: f.filename, data: f.data })),
          caption,
        );
        if (working !== undefined) {
          await client.chat.delete({ channel: target.chatId, ts: working }).catch(() => undefined);
        }
        return;
      }
      case 'discord': {
        const api = clients.discord;
        if (!api || !target.applicationId || !target.interactionToken) return;
        const interaction = {
          applicationId: target.applicationId,
          interactionToken: target.interactionToken,
          ...(target.attachmentSizeLimit ? { attachmentSizeLimit: target.attachmentSizeLimit } : {}),
        };
        const discordFiles = files.map((f) => ({
          name: f.filename,
          data: f.data,
          contentType: f.contentType,
        }));
        try {
          if (files.length === 0) await replaceDiscordReply(api, interaction, caption);
          else await deliverDiscordReply(api, interaction, { text: caption, files: discordFiles });
        } catch (error) {
          // Interaction tokens live 15 minutes; a video may take an hour. Past that, the result
          // goes to the channel (or the DM) as the bot, mentioning the person who asked.
          if (!interactionTokenExpired(error) || !target.userId) throw error;
          await postDiscordAsBot(
            api,
            { userId: target.userId, ...(target.chatId ? { channelId: target.chatId } : {}) },
            caption,
            discordFiles,
          );
        }
        return;
      }
    }
  };
}
