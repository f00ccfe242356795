import { z } from 'zod';
import { CoreError } from '../errors.js';
import type { NotifierMessage, NotifyTarget } from '../ports/notifier.js';
import type { TaskQueue } from '../ports/queue.js';

/**
 * The delivery-queue task that tells a person something (a top-up credited, an API key near its
 * limit). It carries everything it sends, so a retry sends the same words; its job id is the
 * notice's reference, so enqueuing one notice twice sends it once. The processor calls the Notifier.
 */
export const NOTIFY_TASK = 'notify';

const targetSchema = z.union([
  z.object({ email: z.string().min(3) }),
  z.object({
    platform: z.enum(['telegram', 'slack', 'discord', 'api']),
    chatId: z.string().optional(),
    threadId: z.string().optional(),
    userId: z.string().optional(),
  }),
]);

const mrp = z.string().regex(/^\d+$/);
const locale = z.enum(['id', 'en']);

/** Queue data is JSON: money travels as decimal strings of milli-rupiah, times as ISO strings. */
const messageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('topup_credited'), amount_mrp: mrp, balance_mrp: mrp, locale }),
  z.object({
    kind: z.literal('key_limit'),
    key_name: z.string().max(200),
    key_prefix: z.string().max(40),
    limit: z.enum(['total', 'day', 'week', 'month']),
    threshold_percent: z.union([z.literal(80), z.literal(100)]),
    limit_mrp: mrp,
    spent_mrp: mrp,
    resets_at: z.string().datetime().nullable(),
    locale,
  }),
  z.object({ kind: z.literal('account_linked'), via: z.literal('web'), locale }),
]);

const notifyTaskSchema = z.object({ target: targetSchema, message: messageSchema });

type MessageData = z.infer<typeof messageSchema>;

function toData(message: NotifierMessage): MessageData {
  if (message.kind === 'account_linked') return message;
  if (message.kind === 'topup_credited') {
    return {
      kind: message.kind,
      amount_mrp: message.amountMrp.toString(),
      balance_mrp: message.balanceMrp.toString(),
      locale: message.locale,
    };
  }
  return {
    kind: message.kind,
    key_name: message.keyName,
    key_prefix: message.keyPrefix,
    limit: message.limit,
    threshold_percent: message.thresholdPercent,
    limit_mrp: message.limitMrp.toString(),
    spent_mrp: message.spentMrp.toString(),
    resets_at: message.resetsAt ? message.resetsAt.toISOString() : null,
    locale: message.locale,
  };
}

function fromData(data: MessageData): NotifierMessage {
  if (data.kind === 'account_linked') return data;
  if (data.kind === 'topup_credited') {
    return {
      kind: data.kind,
      amountMrp: BigInt(data.amount_mrp),
      balanceMrp: BigInt(data.balance_mrp),
      locale: data.locale,
    };
  }
  return {
    kind: data.kind,
    keyName: data.key_name,
    keyPrefix: data.key_prefix,
    limit: data.limit,
    thresholdPercent: data.threshold_percent,
    limitMrp: BigInt(data.limit_mrp),
    spentMrp: BigInt(data.spent_mrp),
    resetsAt: data.resets_at ? new Date(data.resets_at) : null,
    locale: data.locale,
  };
}

/** BullMQ job ids may not contain ':'; keep ids to a safe alphabet. */
function jobIdPart(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** Puts a notice on the delivery queue, once per `reference`; the processor retries failed sends. */
export async function enqueueNotice(
  queue: TaskQueue,
  notice: { reference: string; target: NotifyTarget; message: NotifierMessage },
): Promise<void> {
  await queue.enqueue(
    'delivery',
    NOTIFY_TASK,
    { target: notice.target, message: toData(notice.message) },
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
  return { target: parsed.data.target as NotifyTarget, message: fromData(parsed.data.message) };
}
