import type postgres from 'postgres';
import type { Executor } from '../../db/index.js';
import { type KeyUse, keyKindOf } from './key-spend.js';

/**
 * The hold and the settle of the common case, each as ONE statement that either does all of its
 * work or changes nothing, so a caller can put many of them in one transaction (group commit, see
 * db/group-commit.ts) or add its own rows to the same statement (the job row):
 * - the account pays without a key, or with a usable key that has no spend limits and whose
 *   allow-lists admit the request;
 * - a hold reserves only what the available balance covers (`balance - held >= amount`, checked on
 *   the locked row); a settle charges the cost up to what the account can pay, once.
 * Anything else (a key with limits, a refused key, a balance too small, a hold already resolved)
 * leaves no trace and is for the ledger's general path (ledger.ts), which names the reason.
 * Lock order as everywhere: hold row, key row, account row.
 */

/** A part of a statement (postgres.js fragment), placed into another one. */
export type Fragment = postgres.PendingQuery<postgres.Row[]>;

export interface PlainHold {
  holdId: string;
  accountId: string;
  amountMrp: bigint;
  reference: string | null;
  key?: KeyUse;
  expiresAt: Date;
  now: Date;
}

/**
 * The CTE list (without WITH) of a plain hold, ending in `hold`, the inserted hold's `id` and
 * `account_id`: no row when it reserved nothing.
 */
export function plainHoldSteps(q: Executor, h: PlainHold): Fragment {
  const { key, amountMrp } = h;
  const insertHold = q`
    hold AS (
      INSERT INTO holds (id, account_id, amount_mrp, reference, api_key_id, expires_at, created_at)
      SELECT ${h.holdId}::uuid, id, ${amountMrp}::bigint, ${h.reference}::text, ${key?.keyId ?? null}::uuid,
             ${h.expiresAt}::timestamptz, ${h.now}::timestamptz
      FROM reserved
      RETURNING id, account_id)`;
  if (!key) {
    return q`
      reserved AS (
        UPDATE accounts SET held_mrp = held_mrp + ${amountMrp}
        WHERE id = ${h.accountId} AND balance_mrp - held_mrp >= ${amountMrp}
        RETURNING id),
      ${insertHold}`;
  }
  const kind = key.kind === undefined ? null : keyKindOf(key.kind);
  const model = key.model ?? null;
  // The key is locked first (the reservation reads it), then the account; the key's own
  // reservation is written only when the account's was.
  return q`
    plain_key AS (
      SELECT account_id FROM api_keys
      WHERE id = ${key.keyId} AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ${h.now})
        AND total_limit_mrp IS NULL AND period_limit_mrp IS NULL AND limit_period IS NULL
        AND (models IS NULL OR ${model}::text IS NULL OR ${model}::text = ANY(models))
        AND (kinds IS NULL OR ${kind}::text IS NULL OR ${kind}::text = ANY(kinds))
      FOR NO KEY UPDATE),
    reserved AS (
      UPDATE accounts SET held_mrp = held_mrp + ${amountMrp}
      WHERE id = ${h.accountId} AND balance_mrp - held_mrp >= ${amountMrp} AND status = 'active'
        AND id IN (SELECT account_id FROM plain_key)
      RETURNING id),
    key_held AS (
      UPDATE api_keys SET held_mrp = held_mrp + ${amountMrp}
      WHERE id = ${key.keyId} AND EXISTS (SELECT 1 FROM reserved)),
    ${insertHold}`;
}

export interface PlainSettle {
  holdId: string;
  actualMrp: bigint;
  reason: string | null;
  now: Date;
}

export interface PlainSettleRow {
  /** 1 when the hold was active (whether or not this statement could settle it), else 0. */
  found: number;
  /** What was charged; null when this statement settled nothing. */
  charged: bigint | null;
  api_key_id: string | null;
}

/**
 * A plain settle as one statement returning one `PlainSettleRow`. `tail(charge)` may add CTEs
 * (e.g. finishing the job row); `charge` is the SQL expression of the amount charged, NULL when
 * the statement settled nothing, so a tail writes only `WHERE ... AND charge IS NOT NULL`.
 */
export function plainSettleStatement(
  q: Executor,
  s: PlainSettle,
  tail?: (charge: Fragment) => Fragment,
): Fragment {
  const charge = q`(SELECT mrp FROM charge)`;
  const extra: Fragment = tail ? q`, ${tail(charge)}` : q``;
  return q`
    WITH h AS (
      SELECT account_id, amount_mrp, reference, api_key_id FROM holds
      WHERE id = ${s.holdId} AND status = 'active' FOR UPDATE),
    k AS (
      SELECT id FROM api_keys
      WHERE id = (SELECT api_key_id FROM h)
        AND total_limit_mrp IS NULL AND period_limit_mrp IS NULL AND limit_period IS NULL
      FOR NO KEY UPDATE),
    ok AS (SELECT h.* FROM h WHERE h.api_key_id IS NULL OR h.api_key_id IN (SELECT id FROM k)),
    account AS (
      SELECT a.balance_mrp - a.held_mrp + ok.amount_mrp AS collectable
      FROM accounts a JOIN ok ON a.id = ok.account_id FOR NO KEY UPDATE OF a),
    charge AS (SELECT LEAST(${s.actualMrp}::bigint, collectable) AS mrp FROM account),
    settled AS (
      UPDATE holds SET status = 'settled', resolved_at = ${s.now}, settled_mrp = ${charge}
      WHERE id = ${s.holdId} AND EXISTS (SELECT 1 FROM charge)),
    debited AS (
      UPDATE accounts SET balance_mrp = balance_mrp - ${charge}, held_mrp = held_mrp - ok.amount_mrp
      FROM ok WHERE accounts.id = ok.account_id AND EXISTS (SELECT 1 FROM charge)),
    entry AS (
      INSERT INTO ledger_entries (account_id, amount_mrp, kind, idempotency_key, reference, reason)
      SELECT ok.account_id, -charge.mrp, 'charge', ${`hold:${s.holdId}`}, ok.reference, ${s.reason}::text
      FROM ok, charge WHERE charge.mrp > 0),
    key_spend AS (
      UPDATE api_keys SET held_mrp = api_keys.held_mrp - ok.amount_mrp, spent_mrp = api_keys.spent_mrp + charge.mrp
      FROM ok, charge WHERE api_keys.id = ok.api_key_id)
    ${extra}
    SELECT (SELECT count(*) FROM h)::int AS found, ${charge} AS charged, (SELECT api_key_id FROM ok) AS api_key_id`;
}
