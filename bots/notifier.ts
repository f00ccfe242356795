import type { API } from '@discordjs/core/http-only';
import type { WebClient } from '@slack/web-api';
import { type Api, GrammyError } from 'grammy';
import { CoreError } from '../core/errors.js';
import {
  isEmailTarget,
  isPrivateChatTarget,
  type Notifier,
  type NotifierMessage,
  type ReplyTarget,
} from '../core/ports/notifier.js';
import { messagesFor } from './shared/i18n/index.js';

export interface BotNotifierClients {
  telegram?: Api;
  slack?: WebClient;
  /** Needs the bot token: messages outside an interaction are sent as the bot. */
  discord?: API;
}

function render(message: NotifierMessage): string {
  const t = messagesFor(message.locale);
  if (message.kind === 'topup_credited') {
    return t.topupConfirmed({ amountMrp: message.amountMrp, balanceMrp: message.balanceMrp });
  }
  if (message.kind === 'account_linked') {
    return t.linkedNotice({ platform: message.locale === 'en' ? 'AIport website' : 'situs AIport' });
  }
  return t.keyLimitNotice(message);
}

function permanent(text: string, cause?: unknown): CoreError {
  return new CoreError('invalid_request', text, { retryable: false, ...(cause ? { cause } : {}) });
}

/**
 * Sends a short text to a chat target, on the platform it names: Telegram in the chat (and topic;
 * a private chat's id is the user's), Slack in the channel or, for a user id, the app's DM with
 * them, Discord by DM to the user (or else in the channel), never pinging anyone. A platform that
 * is not configured, or a chat that refuses the bot for good, fails without retry (CoreError,
 * `retryable: false`); anything else may be retried.
 */
export function createChatMessenger(clients: BotNotifierClients) {
  return async function send(target: ReplyTarget, text: string): Promise<void> {
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
        throw permanent(`No chat notifier for ${String(target.platform)}`);
    }
  };
}

/** Tells a person in chat that something happened (a top-up credited, a key near its limit), where `target` says. */
export function createBotNotifier(clients: BotNotifierClients): Notifier {
  const send = createChatMessenger(clients);
  return {
    async notify(target, message) {
      if (isEmailTarget(target)) throw permanent('Email targets go through the mailer');
      // A key's spend is its owner's business alone: never said where others can read it.
      if (message.kind === 'key_limit' && !isPrivateChatTarget(target)) {
        throw permanent('Key limit notices go to private chats only');
      }
      await send(target, render(message));
    },
  };
}
