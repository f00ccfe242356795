import { z } from 'zod';
import type { ReplyTarget, Sql } from '../../db/index.js';
import { CoreError } from '../errors.js';
import { formatIdr } from '../ledger/index.js';
import type { Mailer } from '../ports/mailer.js';
import {
  type AccountLinkedMessage,
  isEmailTarget,
  type Notifier,
  type NotifierMessage,
  type NotifyTarget,
  type TopupCreditedMessage,
} from '../ports/notifier.js';
import type { TaskQueue } from '../ports/queue.js';
import type { Tx } from './transaction.js';

/** The delivery-queue task whose processor calls the Notifier. */
export const NOTIFY_TASK = 'notify';

const CHAT_PLATFORMS = new Set(['telegram', 'slack', 'discord']);

const targetSchema = z.union([
  z.object({ email: z.string().min(3) }),
  z.object({
    platform: z.enum(['telegram', 'slack', 'discord', 'api']),
    chatId: z.string().optional(),
    threadId: z.string().optional(),
    userId: z.string().optional(),
  }),
]);

/** Queue data is JSON: money travels as decimal strings of milli-rupiah. */
const notifyTaskSchema = z.object({
  target: targetSchema,
  message: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('topup_credited'),
      amount_mrp: z.string().regex(/^\d+$/),
      balance_mrp: z.string().regex(/^\d+$/),
      locale: z.enum(['id', 'en']),
    }),
    z.object({ kind: z.literal('account_linked'), via: z.literal('web'), locale: z.enum(['id', 'en']) }),
  ]),
});

/** BullMQ job ids may not contain ':'; keep ids to a safe alphabet. */
function jobIdPart(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '_');
}

/**
 * Where the confirmation of a credit goes: the chat the request came from, else the account's email,
 * else nowhere (an API user sees the balance and the ledger).
 */
export async function confirmationTarget(
  sql: Sql | Tx,
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
  await queue.enqueue(
    'delivery',
    NOTIFY_TASK,
    {
      target: pending.target,
      message: {
        kind: pending.message.kind,
        amount_mrp: pending.message.amountMrp.toString(),
        balance_mrp: pending.message.balanceMrp.toString(),
        locale: pending.message.locale,
      },
    },
    { jobId: `notify_${jobIdPart(pending.reference)}`, attempts: 8 },
  );
}

/** Tells a code's owner, on one of their chats, that the code linked their account (see AccountLinkedMessage). */
export async function enqueueLinkedNotice(
  queue: TaskQueue,
  notice: { reference: string; target: NotifyTarget; message: AccountLinkedMessage },
): Promise<void> {
  await queue.enqueue(
    'delivery',
    NOTIFY_TASK,
    { target: notice.target, message: notice.message },
    { jobId: `notify_${jobIdPart(notice.reference)}`, attempts: 8 },
  );
}

/** Reads a notify task back; malformed data is not worth retrying. */
export function parseNotifyTask(data: Record<string, unknown>): {
  target: NotifyTarget;
  message: NotifierMessage;
} {
  const parsed = notifyTaskSchema.safeParse(data);
  if (!parsed.success) {
    throw new CoreError('invalid_request', 'Malformed notify task', { retryable: false });
  }
  const { target, message } = parsed.data;
  if (message.kind === 'account_linked') return { target: target as NotifyTarget, message };
  return {
    target: target as NotifyTarget,
    message: {
      kind: message.kind,
      amountMrp: BigInt(message.amount_mrp),
      balanceMrp: BigInt(message.balance_mrp),
      locale: message.locale,
    },
  };
}

/** The words of a top-up confirmation, for email (the bots render their own chat messages). */
export function renderTopupCredited(message: TopupCreditedMessage): { subject: string; text: string } {
  const amount = formatIdr(message.amountMrp);
  const balance = formatIdr(message.balanceMrp);
  if (message.locale === 'en') {
    return {
      subject: `AIport: ${amount} added to your balance`,
      text: `We received your transfer. ${amount} was added to your AIport balance.\nNew balance: ${balance}\n`,
    };
  }
  return {
    subject: `AIport: saldo bertambah ${amount}`,
    text: `Transfer Anda sudah kami terima. ${amount} telah ditambahkan ke saldo AIport Anda.\nSaldo sekarang: ${balance}\n`,
  };
}

/**
 * One Notifier over the channels: email targets through the Mailer, chat targets through the bots'
 * notifier. A chat target with no chat notifier configured cannot succeed by retrying.
 */
export function routeNotifier(parts: { chat?: Notifier | undefined; mailer: Mailer }): Notifier {
  return {
    async notify(target, message) {
      if (isEmailTarget(target)) {
        if (message.kind !== 'topup_credited') {
          throw new CoreError('invalid_request', `No email for ${message.kind} notices`, {
            retryable: false,
          });
        }
        const { subject, text } = renderTopupCredited(message);
        await parts.mailer.send({ to: target.email, subject, text });
        return;
      }
      if (!parts.chat) {
        throw new CoreError('invalid_request', `No notifier for ${target.platform} is configured`, {
          retryable: false,
        });
      }
      await parts.chat.notify(target, message);
    },
  };
}
