import { randomUUID } from 'node:crypto';
import { type Executor, inTransaction, type Sql, type Tx } from '../../db/index.js';
import { CoreError, isCoreError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import { checkKeyNotices, claimKeyNotices, type KeyNotice, keyNoticesDue } from './key-notices.js';
import { type KeyRow, type KeyUse, keySettle, releaseKeySpend, reserveKeySpend } from './key-spend.js';
import { formatIdr } from './money.js';
import { type PlainSettleRow, plainHoldSteps, plainSettleStatement } from './plain-statements.js';

export type CreditKind = 'topup' | 'voucher' | 'adjustment' | 'refund' | 'welcome' | 'stars' | 'merge';

export interface MoneyMovement {
  accountId: string;
  /** Positive milli-rupiah. */
  amountMrp: bigint;
  /** Unique per operation: the same key never moves money twice; reused with other facts it is a conflict. */
  idempotencyKey: string;
  reference?: string;
  reason?: string;
}

export interface EntryResult {
  entryId: bigint;
  balanceMrp: bigint;
  /** False when the key had been used before and this call changed nothing. */
  created: boolean;
}

export interface Hold {
  id: string;
  accountId: string;
  amountMrp: bigint;
  expiresAt: Date;
}

export interface SettleResult {
  /** What this call charged; 0 when the hold was already settled or released. */
  chargedMrp: bigint;
  /** The part of the cost the account could not cover (its balance is then 0). */
  uncollectedMrp: bigint;
  outcome: 'settled' | 'already_settled' | 'already_released' | 'unknown_hold';
  /** The API key the hold was made with, when it had one. */
  apiKeyId?: string;
}

export interface Balance {
  balanceMrp: bigint;
  heldMrp: bigint;
  availableMrp: bigint;
}

export interface Mismatch {
  accountId: string;
  balanceMrp: bigint;
  entriesSumMrp: bigint;
  heldMrp: bigint;
  activeHoldsMrp: bigint;
}

const DEFAULT_HOLD_TTL_MS = 15 * 60_000;

/**
 * The milli-rupiah ledger. Every balance change is one `ledger_entries` row written in the same
 * statement or transaction as the conditional update of the cached balance; holds reserve balance
 * (`held_mrp`) without touching it, so the ledger lists only real money.
 */
/** Thrown inside a key hold's transaction to roll it back when the account cannot cover the hold. */
const NOT_RESERVED = Symbol('not reserved');

/** What a plain settle did (see plain-statements.ts); undefined when it settled nothing. */
export function plainSettled(row: PlainSettleRow | undefined, actualMrp: bigint): SettleResult | undefined {
  if (row?.charged == null) return undefined;
  return {
    chargedMrp: row.charged,
    uncollectedMrp: actualMrp - row.charged,
    outcome: 'settled',
    ...(row.api_key_id ? { apiKeyId: row.api_key_id } : {}),
  };
}

export interface LedgerHooks {
  /**
   * Told, after commit, the API-key limit notices a settle or a key-limit refusal has just claimed
   * (see key-notices.ts); it sends them. It must not throw: the money has already moved.
   */
  onKeyNotices?: (notices: KeyNotice[]) => Promise<void>;
}

/**
 * `db.sql` is the pool, or an open transaction (see topups' ledgerWithin): then each of the ledger's
 * own transactions becomes a savepoint of it.
 */
export function createLedger(db: { sql: Sql | Tx }, clock: Clock, hooks: LedgerHooks = {}) {
  const on = db.sql;
  const sql: Executor = on;
  const transaction = <T>(work: (tx: Tx) => Promise<T>) => inTransaction(on, work);

  async function announce(notices: KeyNotice[]): Promise<void> {
    if (notices.length === 0 || !hooks.onKeyNotices) return;
    await hooks.onKeyNotices(notices).catch(() => undefined);
  }

  /** A key refused for its limit may be at it without a settle having noticed (a lowered limit). */
  async function noticeRefusal(error: unknown, keyId: string, now: Date): Promise<void> {
    if (!isCoreError(error) || error.code !== 'key_limit_reached' || !hooks.onKeyNotices) return;
    await announce(await checkKeyNotices(sql, keyId, now).catch(() => []));
  }

  function positive(amount: bigint, what: string): void {
    if (amount <= 0n) throw new CoreError('invalid_request', `${what} must be a positive amount`);
  }

  async function insufficient(accountId: string, neededMrp: bigint): Promise<CoreError> {
    const current = await balance(accountId);
    return new CoreError(
      'insufficient_balance',
      `Insufficient balance: ${formatIdr(current.availableMrp)} available, ${formatIdr(neededMrp)} needed`,
      { details: { available_mrp: current.availableMrp, needed_mrp: neededMrp } },
    );
  }

  /**
   * Runs a reservation in a transaction: its rows, or undefined (rolled back) when it reserved
   * nothing. Refusals of the key (`forbidden`, `key_limit_reached`, ...) pass through.
   */
  async function reservedOrNothing(
    reserve: (tx: Tx) => Promise<{ id: string }[]>,
  ): Promise<{ id: string }[] | undefined> {
    return transaction(async (tx) => {
      const held = await reserve(tx);
      if (held.length === 0) throw NOT_RESERVED;
      return held;
    }).catch((error: unknown) => {
      if (error === NOT_RESERVED) return undefined;
      throw error;
    });
  }

  async function move(kind: string, signed: bigint, m: MoneyMovement): Promise<EntryResult> {
    return transaction(async (tx) => {
      const inserted = await tx<{ id: bigint }[]>`
        INSERT INTO ledger_entries (account_id, amount_mrp, kind, idempotency_key, reference, reason)
        VALUES (${m.accountId}, ${signed}, ${kind}, ${m.idempotencyKey}, ${m.reference ?? null}, ${m.reason ?? null})
        ON CONFLICT (idempotency_key) DO NOTHING
        RETURNING id`;
      if (inserted.length === 0) {
        const [existing] = await tx<{ id: bigint; account_id: string; amount_mrp: bigint; kind: string }[]>`
          SELECT id, account_id, amount_mrp, kind FROM ledger_entries WHERE idempotency_key = ${m.idempotencyKey}`;
        if (
          !existing ||
          existing.account_id !== m.accountId ||
          existing.amount_mrp !== signed ||
          existing.kind !== kind
        ) {
          throw new CoreError(
            'idempotency_conflict',
            'This idempotency key was already used for another operation',
          );
        }
        const [row] = await tx<
          { balance_mrp: bigint }[]
        >`SELECT balance_mrp FROM accounts WHERE id = ${m.accountId}`;
        return { entryId: existing.id, balanceMrp: row!.balance_mrp, created: false };
      }
      const updated = await tx<{ balance_mrp: bigint }[]>`
        UPDATE accounts SET balance_mrp = balance_mrp + ${signed}, updated_at = now()
        WHERE id = ${m.accountId} AND balance_mrp - held_mrp + ${signed} >= 0
        RETURNING balance_mrp`;
      if (updated.length === 0) {
        const [exists] = await tx`SELECT 1 FROM accounts WHERE id = ${m.accountId}`;
        if (!exists) throw new CoreError('not_found', 'Account not found');
        throw await insufficient(m.accountId, -signed);
      }
      return { entryId: inserted[0]!.id, balanceMrp: updated[0]!.balance_mrp, created: true };
    });
  }

  async function balance(accountId: string): Promise<Balance> {
    const [row] = await sql<{ balance_mrp: bigint; held_mrp: bigint }[]>`
      SELECT balance_mrp, held_mrp FROM accounts WHERE id = ${accountId}`;
    if (!row) throw new CoreError('not_found', 'Account not found');
    return {
      balanceMrp: row.balance_mrp,
      heldMrp: row.held_mrp,
      availableMrp: row.balance_mrp - row.held_mrp,
    };
  }

  return {
    balance,

    /**
     * A cheap pre-check before expensive work (decoding uploads): fails with `insufficient_balance`
     * when the available balance is below `neededMrp`. Not a reservation: the hold decides.
     */
    async ensureAvailable(accountId: string, neededMrp: bigint): Promise<void> {
      const current = await balance(accountId);
      if (current.availableMrp < neededMrp) throw await insufficient(accountId, neededMrp);
    },

    /** Adds money once per idempotency key. */
    async credit(kind: CreditKind, m: MoneyMovement): Promise<EntryResult> {
      positive(m.amountMrp, 'A credit');
      return move(kind, m.amountMrp, m);
    },

    /** Takes money once per idempotency key, only from the available (unheld) balance. */
    async debit(kind: 'adjustment' | 'merge' | 'charge' | 'refund', m: MoneyMovement): Promise<EntryResult> {
      positive(m.amountMrp, 'A debit');
      return move(kind, -m.amountMrp, m);
    },

    /**
     * Reserves the worst case before metered work, or fails with `insufficient_balance`. With a
     * `key`, the same transaction reserves it against the key's spend limits and checks its
     * allow-lists (`key_limit_reached`, `forbidden`; see key-spend.ts): both or neither.
     */
    async hold(
      accountId: string,
      amountMrp: bigint,
      options: { reference?: string; ttlMs?: number; key?: KeyUse } = {},
    ): Promise<Hold> {
      positive(amountMrp, 'A hold');
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + (options.ttlMs ?? DEFAULT_HOLD_TTL_MS));
      const key = options.key;
      const plain = (q: Executor) =>
        q<{ id: string }[]>`
          WITH ${plainHoldSteps(q, {
            holdId: randomUUID(),
            accountId,
            amountMrp,
            reference: options.reference ?? null,
            ...(key ? { key } : {}),
            expiresAt,
            now,
          })}
          SELECT id FROM hold`;
      // First the one statement of the common case (plain-statements.ts): no key, or a usable key
      // without spend limits whose lists allow the request. Anything else, or an account that
      // cannot cover it, changed nothing and takes the locked path (key-spend.ts), which names the
      // reason.
      let rows: { id: string }[] = await plain(sql);
      if (rows.length === 0 && key) {
        rows =
          (await reservedOrNothing(async (tx) => {
            await reserveKeySpend(tx, key, amountMrp, now);
            return tx<{ id: string }[]>`
              WITH reserved AS (
                UPDATE accounts SET held_mrp = held_mrp + ${amountMrp}
                WHERE id = ${accountId} AND balance_mrp - held_mrp >= ${amountMrp}
                RETURNING id)
              INSERT INTO holds (account_id, amount_mrp, reference, api_key_id, expires_at, created_at)
              SELECT id, ${amountMrp}::bigint, ${options.reference ?? null}::text, ${key.keyId}::uuid,
                     ${expiresAt}::timestamptz, ${now}::timestamptz
              FROM reserved
              RETURNING id`;
          }).catch(async (error: unknown) => {
            await noticeRefusal(error, key.keyId, now);
            throw error;
          })) ?? [];
      }
      if (rows.length === 0) throw await insufficient(accountId, amountMrp);
      return { id: rows[0]!.id, accountId, amountMrp, expiresAt };
    },

    /**
     * Charges the actual cost of held work, once. The cost is taken from the hold and, above it,
     * from the account's free balance; what even that cannot cover is reported as `uncollectedMrp`
     * (the balance never goes below zero). A hold made with an API key charges at most what the
     * key's limits have left, the same way. The first settle wins; later settles and settles of
     * released holds charge nothing. One transaction: the hold row, the key row, then the account
     * row, locked.
     */
    async settle(holdId: string, actualMrp: bigint, reason?: string): Promise<SettleResult> {
      if (actualMrp < 0n) throw new CoreError('invalid_request', 'A charge cannot be negative');
      // The common case in one statement (plain-statements.ts); a key with limits, or a hold
      // already resolved, changed nothing and takes the general path below.
      const [plain] = await sql<PlainSettleRow[]>`
        ${plainSettleStatement(sql, { holdId, actualMrp, reason: reason ?? null, now: clock.now() })}`;
      const done = plainSettled(plain, actualMrp);
      if (done) return done;
      const settled = await transaction(async (tx) => {
        const now = clock.now();
        // The hold row, then its key's row (locked, with its limits), in one statement.
        const [hold] = await tx<
          ({
            account_id: string;
            amount_mrp: bigint;
            reference: string | null;
            api_key_id: string | null;
          } & KeyRow)[]
        >`
          WITH hold AS (
            UPDATE holds SET status = 'settled', resolved_at = ${now}
            WHERE id = ${holdId} AND status = 'active'
            RETURNING account_id, amount_mrp, reference, api_key_id)
          SELECT hold.*, k.* FROM hold LEFT JOIN LATERAL (
            SELECT total_limit_mrp, limit_period, period_limit_mrp, spent_mrp, period_spent_mrp, period_start,
                   held_mrp, models, kinds
            FROM api_keys WHERE id = hold.api_key_id FOR NO KEY UPDATE) k ON true`;
        if (!hold) return undefined;
        const key = hold.api_key_id ? keySettle(tx, hold.api_key_id, hold, hold.amount_mrp, now) : undefined;
        // The hold itself plus whatever no other hold reserves, capped by the key's limits: never
        // below zero by construction. The account row is locked by this statement and every write
        // uses the amount it computed, so the hot row is held for one statement and the commit.
        const chargeOf = tx`(SELECT mrp FROM charge)`;
        const [row] = await tx<{ mrp: bigint }[]>`
          WITH account AS (
            SELECT balance_mrp - held_mrp + ${hold.amount_mrp} AS collectable
            FROM accounts WHERE id = ${hold.account_id} FOR UPDATE),
          charge AS (
            SELECT LEAST(${actualMrp}::bigint, collectable, ${key?.capMrp ?? null}::bigint) AS mrp FROM account),
          settled_hold AS (UPDATE holds SET settled_mrp = ${chargeOf} WHERE id = ${holdId}),
          debited AS (
            UPDATE accounts SET balance_mrp = balance_mrp - ${chargeOf}, held_mrp = held_mrp - ${hold.amount_mrp}
            WHERE id = ${hold.account_id}),
          entry AS (
            INSERT INTO ledger_entries (account_id, amount_mrp, kind, idempotency_key, reference, reason)
            SELECT ${hold.account_id}, -mrp, 'charge', ${`hold:${holdId}`}, ${hold.reference}, ${reason ?? null}
            FROM charge WHERE mrp > 0)
          ${key ? tx`, key_spend AS (${key.record(chargeOf)})` : tx``}
          SELECT mrp FROM charge`;
        const charged = row!.mrp;
        // Limits the charge brought to 80% or 100% are noticed once (key-notices.ts); a key without
        // limits has none.
        const notices =
          key && hold.api_key_id
            ? await claimKeyNotices(tx, keyNoticesDue(hold.api_key_id, key.spendAfter(charged), now))
            : [];
        return { charged, apiKeyId: hold.api_key_id, notices };
      });
      if (settled !== undefined) {
        await announce(settled.notices);
        return {
          chargedMrp: settled.charged,
          uncollectedMrp: actualMrp - settled.charged,
          outcome: 'settled',
          ...(settled.apiKeyId ? { apiKeyId: settled.apiKeyId } : {}),
        };
      }
      const [hold] = await sql<{ status: string }[]>`SELECT status FROM holds WHERE id = ${holdId}`;
      const none = { chargedMrp: 0n, uncollectedMrp: 0n };
      if (!hold) return { ...none, outcome: 'unknown_hold' };
      return { ...none, outcome: hold.status === 'settled' ? 'already_settled' : 'already_released' };
    },

    /** Frees a hold without charging (failed work, safety refusals). True when this call released it. */
    async release(holdId: string): Promise<boolean> {
      return transaction(async (tx) => {
        const [released] = await tx<{ account_id: string; amount_mrp: bigint; api_key_id: string | null }[]>`
          UPDATE holds SET status = 'released', resolved_at = ${clock.now()}
          WHERE id = ${holdId} AND status = 'active'
          RETURNING account_id, amount_mrp, api_key_id`;
        if (!released) return false;
        if (released.api_key_id) await releaseKeySpend(tx, released.api_key_id, released.amount_mrp);
        await tx`UPDATE accounts SET held_mrp = held_mrp - ${released.amount_mrp} WHERE id = ${released.account_id}`;
        return true;
      });
    },

    /** Accounts whose cached balance or held amount disagrees with the ledger and holds; empty when all is well. */
    async verify(accountId?: string): Promise<Mismatch[]> {
      const rows = await sql<
        { id: string; balance_mrp: bigint; held_mrp: bigint; entries: bigint; active_holds: bigint }[]
      >`
        SELECT a.id, a.balance_mrp, a.held_mrp,
          COALESCE((SELECT sum(amount_mrp) FROM ledger_entries e WHERE e.account_id = a.id), 0)::bigint AS entries,
          COALESCE((SELECT sum(amount_mrp) FROM holds h WHERE h.account_id = a.id AND h.status = 'active'), 0)::bigint
            AS active_holds
        FROM accounts a
        WHERE ${accountId ?? null}::uuid IS NULL OR a.id = ${accountId ?? null}::uuid`;
      return rows
        .filter((r) => r.balance_mrp !== r.entries || r.held_mrp !== r.active_holds)
        .map((r) => ({
          accountId: r.id,
          balanceMrp: r.balance_mrp,
          entriesSumMrp: r.entries,
          heldMrp: r.held_mrp,
          activeHoldsMrp: r.active_holds,
        }));
    },

    /** Newest first, keyset-paginated by entry id. */
    async entries(accountId: string, options: { beforeId?: bigint; limit?: number } = {}) {
      const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
      return sql<
        {
          id: bigint;
          amount_mrp: bigint;
          kind: string;
          reference: string | null;
          reason: string | null;
          created_at: Date;
        }[]
      >`
        SELECT id, amount_mrp, kind, reference, reason, created_at FROM ledger_entries
        WHERE account_id = ${accountId} AND (${options.beforeId ?? null}::bigint IS NULL OR id < ${options.beforeId ?? null}::bigint)
        ORDER BY id DESC LIMIT ${limit}`;
    },
  };
}

export type Ledger = ReturnType<typeof createLedger>;
