import type { ReplyTarget } from '../../db/index.js';

export type { ReplyTarget };

/** Where a notification goes: the chat a request came from, or an email address. */
export type NotifyTarget = ReplyTarget | { email: string };

/** Money arrived and was credited: the amount and the balance right after the credit. */
export interface TopupCreditedMessage {
  kind: 'topup_credited';
  amountMrp: bigint;
  balanceMrp: bigint;
  locale: 'id' | 'en';
}

/**
 * A person's link code was used from somewhere other than their own chat (the website): their chat
 * account is now joined with another. Told so a code used by someone else is noticed at once.
 */
export interface AccountLinkedMessage {
  kind: 'account_linked';
  /** Where the code was entered: `web` (the signed-in website). */
  via: 'web';
  locale: 'id' | 'en';
}

/** Which spend limit of an API key a notice is about: its total, or its day/week/month. */
export type KeyLimitName = 'total' | 'day' | 'week' | 'month';

/**
 * An API key's spend reached 80% or 100% of one of its limits (sent once per limit, period and
 * threshold). `resetsAt` is when a period limit starts over; null for the total limit.
 */
export interface KeyLimitMessage {
  kind: 'key_limit';
  keyName: string;
  /** The key's public prefix, so the owner can tell keys with the same name apart. */
  keyPrefix: string;
  limit: KeyLimitName;
  thresholdPercent: 80 | 100;
  limitMrp: bigint;
  spentMrp: bigint;
  resetsAt: Date | null;
  locale: 'id' | 'en';
}

export type NotifierMessage = TopupCreditedMessage | KeyLimitMessage | AccountLinkedMessage;

/**
 * Tells a person something happened, on their channel. The bots implement chat targets (Telegram,
 * Slack, Discord); email targets go through the Mailer. Called from queue processors, so it may be
 * retried: throw a CoreError with `retryable: false` when a retry cannot help (unknown platform,
 * chat gone), anything else to be retried.
 */
export interface Notifier {
  notify(target: NotifyTarget, message: NotifierMessage): Promise<void>;
}

/**
 * A chat target that reaches one person alone: a Telegram private chat (its id is the user's),
 * a Slack DM opened by posting to the user's id, a Discord DM. Money notices about an account go
 * only to such targets, never to a group.
 */
export function isPrivateChatTarget(target: ReplyTarget): boolean {
  if (!target.userId) return false;
  if (target.platform === 'telegram' || target.platform === 'slack') return target.chatId === target.userId;
  return target.platform === 'discord';
}

/** Where to reach the person behind a platform identity privately (see isPrivateChatTarget). */
export function privateChatTarget(
  platform: 'telegram' | 'slack' | 'discord',
  externalId: string,
): ReplyTarget {
  if (platform === 'slack') {
    // Slack identities are `team:user`; posting to the user id opens the app's DM with them.
    const userId = externalId.slice(externalId.indexOf(':') + 1);
    return { platform, chatId: userId, userId };
  }
  if (platform === 'telegram') return { platform, chatId: externalId, userId: externalId };
  return { platform, userId: externalId };
}

export function isEmailTarget(target: NotifyTarget): target is { email: string } {
  return 'email' in target && typeof target.email === 'string';
}
