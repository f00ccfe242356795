import type { ApiKeyRow, Executor } from '../../db/index.js';
import { type KeyLimitPeriod, periodEnd, periodStart } from '../accounts/key-periods.js';

/**
 * When an API key's owner is told about its spend: at 80% and at 100% of each of its limits, once
 * per limit, period and threshold. Which notices are due is pure (`keyNoticesDue`, from the key's
 * spend after a charge); which are still to send is decided by inserting them into
 * `api_key_notices`, whose primary key (key, limit, period start, threshold) lets exactly one of any
 * number of concurrent inserts win, in any process.
 * - Spend is what was charged (settled), not what is held: a hold may still be released.
 * - A limit of 0 (a key switched off on purpose) is never noticed.
 * - When one charge passes both thresholds, both notices are sent (each threshold is told once).
 */

export const KEY_NOTICE_THRESHOLDS = [80, 100] as const;
export type KeyNoticeThreshold = (typeof KEY_NOTICE_THRESHOLDS)[number];

/** The total limit's notices are recorded under this period start (it has no periods). */
const TOTAL_PERIOD_START = new Date(0);

/** The columns of an `api_keys` row that say what it spent against which limits. */
export type KeySpendState = Pick<
  ApiKeyRow,
  'total_limit_mrp' | 'limit_period' | 'period_limit_mrp' | 'spent_mrp' | 'period_spent_mrp' | 'period_start'
>;

export interface KeyNotice {
  keyId: string;
  limit: 'total' | KeyLimitPeriod;
  periodStart: Date;
  thresholdPercent: KeyNoticeThreshold;
  limitMrp: bigint;
  spentMrp: bigint;
  /** When the period limit starts over; null for the total limit. */
  resetsAt: Date | null;
}

/** Every threshold the key's spend has reached, per limit, in the period containing `now`. */
export function keyNoticesDue(keyId: string, state: KeySpendState, now: Date): KeyNotice[] {
  const due: KeyNotice[] = [];
  const add = (
    limit: KeyNotice['limit'],
    limitMrp: bigint,
    spentMrp: bigint,
    start: Date,
    resetsAt: Date | null,
  ) => {
    if (limitMrp <= 0n) return;
    for (const threshold of KEY_NOTICE_THRESHOLDS) {
      if (spentMrp * 100n >= limitMrp * BigInt(threshold)) {
        due.push({
          keyId,
          limit,
          periodStart: start,
          thresholdPercent: threshold,
          limitMrp,
          spentMrp,
          resetsAt,
        });
      }
    }
  };
  if (state.total_limit_mrp !== null) {
    add('total', state.total_limit_mrp, state.spent_mrp, TOTAL_PERIOD_START, null);
  }
  if (state.limit_period && state.period_limit_mrp !== null) {
    const start = periodStart(state.limit_period, now);
    // A spend recorded in an earlier period does not count in this one.
    const spent = state.period_start?.getTime() === start.getTime() ? state.period_spent_mrp : 0n;
    add(state.limit_period, state.period_limit_mrp, spent, start, periodEnd(state.limit_period, now));
  }
  return due;
}

/** Records the due notices not recorded before and returns them (to send). Safe to call concurrently. */
export async function claimKeyNotices(q: Executor, due: KeyNotice[]): Promise<KeyNotice[]> {
  if (due.length === 0) return [];
  const claimed: KeyNotice[] = [];
  for (const notice of due) {
    const rows = await q`
      INSERT INTO api_key_notices (key_id, limit_name, period_start, threshold_percent)
      VALUES (${notice.keyId}, ${notice.limit}, ${notice.periodStart}, ${notice.thresholdPercent})
      ON CONFLICT DO NOTHING
      RETURNING key_id`;
    if (rows.length > 0) claimed.push(notice);
  }
  return claimed;
}

/** Forgets sent notices (their delivery could not be queued), so the next check tries again. */
export async function unclaimKeyNotices(q: Executor, notices: KeyNotice[]): Promise<void> {
  for (const n of notices) {
    await q`
      DELETE FROM api_key_notices
      WHERE key_id = ${n.keyId} AND limit_name = ${n.limit} AND period_start = ${n.periodStart}
        AND threshold_percent = ${n.thresholdPercent}`;
  }
}

/** Reads the key's spend (no lock: the notices' primary key settles races) and claims what is due. */
export async function checkKeyNotices(q: Executor, keyId: string, now: Date): Promise<KeyNotice[]> {
  const [state] = await q<KeySpendState[]>`
    SELECT total_limit_mrp, limit_period, period_limit_mrp, spent_mrp, period_spent_mrp, period_start
    FROM api_keys WHERE id = ${keyId}`;
  if (!state) return [];
  return claimKeyNotices(q, keyNoticesDue(keyId, state, now));
}
