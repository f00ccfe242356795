import type postgres from 'postgres';
import type { ApiKeyRow, Tx } from '../../db/index.js';
import { type KeyLimitPeriod, periodEnd, periodStart } from '../accounts/key-periods.js';
import { CoreError } from '../errors.js';
import type { KeySpendState } from './key-notices.js';
import { formatIdr } from './money.js';

/**
 * An API key's spend limits, applied inside the ledger's own hold, settle and release transactions,
 * so the key is bounded exactly like the balance:
 * - a hold reserves its amount against the key (`held_mrp`) only if every limit still has room for
 *   it beside what the key already spent and holds; the key row is locked, so concurrent holds on
 *   one key can never together pass a limit;
 * - a settle charges at most what each limit has left (this hold's reservation included), even
 *   when the cost is above the hold: the rest is uncollected, as with an empty balance;
 * - a charge counts against the period it is made in (periods roll over at 00:00 WIB).
 * The key's allow-lists of models and kinds are checked in the same locked step, so a PATCH
 * racing with requests is seen entirely or not at all.
 * A key without spend limits (the common case) is only counted: its hold reserves it in the same
 * statement as the account (ledger.ts), and its settle needs no cap.
 * A hold is also where a key's revocation, expiry and account status are checked against the
 * database, so a key cache in front of authentication can never let a revoked key spend.
 * Lock order everywhere: hold row, key row, account row. The key row is locked FOR NO KEY UPDATE,
 * which lets rows that reference the key (jobs) be inserted meanwhile: a FOR UPDATE there would
 * deadlock with a job insert waiting on it while holding its share lock on the account.
 */

/** The kinds a key can be limited to; a job's kind maps onto them (an image edit is an image). */
export const KEY_MODEL_KINDS = ['chat', 'image', 'video', 'embedding'] as const;
export type KeyModelKind = (typeof KEY_MODEL_KINDS)[number];

/** Who pays with which key for what: the key's limits and allow-lists apply to the hold. */
export interface KeyUse {
  keyId: string;
  /** Catalog model id and job kind, checked against the key's allow-lists. */
  model?: string;
  kind?: string;
}

export type KeyRow = KeySpendState & Pick<ApiKeyRow, 'held_mrp' | 'models' | 'kinds'>;

/** The key row as a hold checks it: also whether it may be used at all. */
type UsableKeyRow = KeyRow & Pick<ApiKeyRow, 'revoked_at' | 'expires_at'> & { account_status: string };

export function keyKindOf(jobKind: string): string {
  return jobKind === 'image_edit' ? 'image' : jobKind;
}

/** What was spent in the current period: nothing when the last charge was in an earlier one. */
function currentPeriodSpent(row: KeyRow, now: Date): { start: Date | null; spent: bigint } {
  if (!row.limit_period) return { start: null, spent: 0n };
  const start = periodStart(row.limit_period, now);
  const same = row.period_start?.getTime() === start.getTime();
  return { start, spent: same ? row.period_spent_mrp : 0n };
}

/** Room left under each limit beside what is spent and held (held by others: `otherHeldMrp`). */
function roomLeft(row: KeyRow, now: Date, otherHeldMrp: bigint) {
  const rooms: Array<{ limit: 'total' | KeyLimitPeriod; room: bigint; limitMrp: bigint }> = [];
  if (row.total_limit_mrp !== null) {
    const room = row.total_limit_mrp - row.spent_mrp - otherHeldMrp;
    rooms.push({ limit: 'total', room: room > 0n ? room : 0n, limitMrp: row.total_limit_mrp });
  }
  if (row.limit_period && row.period_limit_mrp !== null) {
    const room = row.period_limit_mrp - currentPeriodSpent(row, now).spent - otherHeldMrp;
    rooms.push({ limit: row.limit_period, room: room > 0n ? room : 0n, limitMrp: row.period_limit_mrp });
  }
  return rooms;
}

async function lockKey(tx: Tx, keyId: string): Promise<UsableKeyRow> {
  const [row] = await tx<UsableKeyRow[]>`
    SELECT total_limit_mrp, limit_period, period_limit_mrp, spent_mrp, period_spent_mrp, period_start,
           held_mrp, models, kinds, revoked_at, expires_at,
           (SELECT status FROM accounts a WHERE a.id = api_keys.account_id) AS account_status
    FROM api_keys WHERE id = ${keyId} FOR NO KEY UPDATE`;
  if (!row) throw new CoreError('unauthorized', 'Invalid or revoked API key');
  return row;
}

/** A key that may not spend any more: revoked or expired since it was authenticated, or its account stopped. */
function checkUsable(row: UsableKeyRow, now: Date): void {
  if (row.revoked_at) throw new CoreError('unauthorized', 'Invalid or revoked API key');
  if (row.expires_at && row.expires_at.getTime() <= now.getTime())
    throw new CoreError('unauthorized', 'This API key has expired');
  if (row.account_status === 'suspended')
    throw new CoreError('account_suspended', 'This account is suspended. Contact support.');
  if (row.account_status !== 'active') throw new CoreError('unauthorized', 'This account is closed');
}

const LIMIT_WORDS: Record<'total' | KeyLimitPeriod, string> = {
  total: 'total',
  day: 'daily',
  week: 'weekly',
  month: 'monthly',
};

function checkAllowed(row: KeyRow, use: KeyUse): void {
  if (use.model !== undefined && row.models && !row.models.includes(use.model)) {
    throw new CoreError(
      'forbidden',
      `This API key may not use the model "${use.model}"; it is limited to: ${row.models.join(', ')}`,
      { details: { param: 'model' } },
    );
  }
  const kind = use.kind === undefined ? undefined : keyKindOf(use.kind);
  if (kind !== undefined && row.kinds && !row.kinds.includes(kind)) {
    throw new CoreError(
      'forbidden',
      `This API key may not make ${kind} requests; it is limited to: ${row.kinds.join(', ')}`,
      { details: { param: 'model' } },
    );
  }
}

/** Reserves `amountMrp` against the key, or throws `forbidden` / `key_limit_reached` (nothing changed). */
export async function reserveKeySpend(tx: Tx, use: KeyUse, amountMrp: bigint, now: Date): Promise<void> {
  const row = await lockKey(tx, use.keyId);
  checkUsable(row, now);
  checkAllowed(row, use);
  const short = roomLeft(row, now, row.held_mrp).find((r) => r.room < amountMrp);
  if (short) {
    const resets =
      short.limit === 'total' ? '' : ` It resets at ${periodEnd(short.limit, now).toISOString()}.`;
    throw new CoreError(
      'key_limit_reached',
      `This API key has reached its ${LIMIT_WORDS[short.limit]} spend limit of ${formatIdr(short.limitMrp)}: ` +
        `${formatIdr(short.room)} left, ${formatIdr(amountMrp)} needed for this request.${resets}`,
      {
        details: {
          limit: short.limit,
          limit_mrp: short.limitMrp,
          remaining_mrp: short.room,
          needed_mrp: amountMrp,
          key_id: use.keyId,
        },
      },
    );
  }
  await tx`UPDATE api_keys SET held_mrp = held_mrp + ${amountMrp} WHERE id = ${use.keyId}`;
}

/** Whether a key row (locked by the settle's first statement) has any spend limit. */
export function hasLimits(row: KeyRow): boolean {
  return row.total_limit_mrp !== null || row.period_limit_mrp !== null || row.limit_period !== null;
}

/**
 * A settle of one of the key's holds, from the key row it locked: `capMrp` is the most it may
 * charge under the key's limits (undefined: no limit); `record(charged)` is the statement part
 * that ends the hold's reservation and counts the charge (an SQL expression, computed in the same
 * statement) against the key's total and its current period; `spendAfter(charged)` is the key's
 * spend once that charge is counted (for the notices of key-notices.ts).
 */
export function keySettle(tx: Tx, keyId: string, row: KeyRow, holdMrp: bigint, now: Date) {
  const rooms = roomLeft(row, now, row.held_mrp - holdMrp);
  const capMrp =
    rooms.length === 0 ? undefined : rooms.reduce((min, r) => (r.room < min ? r.room : min), rooms[0]!.room);
  return {
    capMrp,
    record(charged: postgres.PendingQuery<postgres.Row[]>) {
      if (!hasLimits(row)) {
        return tx`
          UPDATE api_keys SET held_mrp = held_mrp - ${holdMrp}, spent_mrp = spent_mrp + ${charged}
          WHERE id = ${keyId}`;
      }
      const { start, spent } = currentPeriodSpent(row, now);
      return tx`
        UPDATE api_keys SET held_mrp = held_mrp - ${holdMrp}, spent_mrp = spent_mrp + ${charged},
          period_spent_mrp = ${spent} + ${charged}, period_start = ${start}
        WHERE id = ${keyId}`;
    },
    spendAfter(chargedMrp: bigint): KeySpendState {
      if (!hasLimits(row)) return { ...row, spent_mrp: row.spent_mrp + chargedMrp };
      const { start, spent } = currentPeriodSpent(row, now);
      return {
        ...row,
        spent_mrp: row.spent_mrp + chargedMrp,
        period_spent_mrp: spent + chargedMrp,
        period_start: start,
      };
    },
  };
}

/** Ends the key's reservation of a released hold. */
export async function releaseKeySpend(tx: Tx, keyId: string, holdMrp: bigint): Promise<void> {
  await tx`UPDATE api_keys SET held_mrp = held_mrp - ${holdMrp} WHERE id = ${keyId}`;
}
