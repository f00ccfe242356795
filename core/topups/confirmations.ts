import type { Executor, ReplyTarget } from '../../db/index.js';
import { enqueueNotice } from '../notices/index.js';
import type { NotifyTarget, TopupCreditedMessage } from '../ports/notifier.js';
import type { TaskQueue } from '../ports/queue.js';

const CHAT_PLATFORMS = new Set(['telegram', 'slack', 'discord']);

/**
 * Where the confirmation of a credit goes: the chat the request came from, else the account's email,
 * else nowhere (an API user sees the balance and the ledger).
 */
export async function confirmationTarget(
  sql: Executor,
  accountId: string,
  replyTo: ReplyTarget | null,
): Promise<{ target: NotifyTarget | null; locale: 'id' | 'en' }> {
  const [account] = await sql<{ email: string | null; locale: 'id' | 'en' }[]>`
    SELECT email, locale FROM accounts WHERE id = ${accountId}`;
  const locale = account?.locale ?? 'id';
  if (replyTo && CHAT_PLATFORMS.has(replyTo.platform) && replyTo.chatId) return { target: replyTo, locale };
  if (account?.email) return { target: { email: account.email }, locale };
  return { target: null, locale };
}

export interface PendingConfirmation {
  /** Deduplicates the task: one confirmation per credited mutation. */
  reference: string;
  target: NotifyTarget;
  message: TopupCreditedMessage;
}

/** Puts the confirmation on the delivery queue; the processor retries failed sends. */
export async function enqueueConfirmation(queue: TaskQueue, pending: PendingConfirmation): Promise<void> {
  await enqueueNotice(queue, pending);
}
