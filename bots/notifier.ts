import type { API } from '@discordjs/core/http-only';
import type { WebClient } from '@slack/web-api';
import { type Api, GrammyError } from 'grammy';
import { CoreError } from '../core/errors.js';
import { isEmailTarget, type Notifier, type NotifierMessage } from '../core/ports/notifier.js';
import { messagesFor } from './shared/i18n/index.js';

export interface BotNotifierClients {
  telegram?: Api;
  slack?: WebClient;
  /** Needs the bot token: messages outside an interaction are sent as the bot. */
  discord?: API;
}

function render(message: NotifierMessage): string {
  const t = messagesFor(message.locale);
  return t.topupConfirmed({ amountMrp: message.amountMrp, balanceMrp: message.balanceMrp });
}

function permanent(text: string, cause?: unknown): CoreError {
  return new CoreError('invalid_request', text, { retryable: false, ...(cause ? { cause } : {}) });
}

/**
 * Tells a person in chat that something happened (a top-up was credited), on the platform the
 * request came from: Telegram in the chat (and topic), Slack in the channel (and thread), Discord
 * by direct message (balances are private), else in the channel. A platform that is not configured,
 * or a chat that refuses the bot for good, fails without retry; anything else is retried by the queue.
 */
export function createBotNotifier(clients: BotNotifierClients): Notifier {
  return {
    async notify(target, message) {
      if (isEmailTarget(target)) throw permanent('Email targets go through the mailer');
      const text = render(message);
      switch (target.platform) {
        case 'telegram': {
          const api = clients.telegram;
          const chatId = Number(target.chatId);
          if (!api || !Number.isSafeInteger(chatId)) throw permanent('No Telegram chat to notify');
          try {
            await api.sendMessage(chatId, text, {
              ...(target.threadId ? { message_thread_id: Number(target.threadId) } : {}),
            });
          } catch (error) {
            // 400 chat not found, 403 blocked by the user: retrying cannot help.
            if (error instanceof GrammyError && (error.error_code === 400 || error.error_code === 403)) {
              throw permanent('Telegram refused the notification', error);
            }
            throw error;
          }
          return;
        }
        case 'slack': {
          const client = clients.slack;
          if (!client || !target.chatId) throw permanent('No Slack channel to notify');
          await client.chat.postMessage({
            channel: target.chatId,
            text,
            ...(target.threadId ? { thread_ts: target.threadId } : {}),
          });
          return;
        }
        case 'discord': {
          const api = clients.discord;
          if (!api) throw permanent('Discord is not configured for notifications');
          let channelId = target.chatId;
          if (target.userId) channelId = (await api.users.createDM(target.userId)).id;
          if (!channelId) throw permanent('No Discord user or channel to notify');
          await api.channels.createMessage(channelId, { content: text, allowed_mentions: { parse: [] } });
          return;
        }
        default:
          throw permanent(`No chat notifier for ${target.platform}`);
      }
    },
  };
}
