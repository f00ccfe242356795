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

export type NotifierMessage = TopupCreditedMessage | AccountLinkedMessage;

/**
 * Tells a person something happened, on their channel. The bots implement chat targets (Telegram,
 * Slack, Discord); email targets go through the Mailer. Called from queue processors, so it may be
 * retried: throw a CoreError with `retryable: false` when a retry cannot help (unknown platform,
 * chat gone), anything else to be retried.
 */
export interface Notifier {
  notify(target: NotifyTarget, message: NotifierMessage): Promise<void>;
}

export function isEmailTarget(target: NotifyTarget): target is { email: string } {
  return 'email' in target && typeof target.email === 'string';
}
