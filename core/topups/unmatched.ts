import type { BankMutationRow, Database } from '../../db/index.js';
import { recordAudit } from '../audit/index.js';
import { CoreError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { TaskQueue } from '../ports/queue.js';
import { enqueueConfirmation } from './confirmations.js';
import { creditMutationWithin } from './mutation-credit.js';
import type { Tx } from './transaction.js';

/** Our Terms, section 4: money nobody claimed within 30 days is returned to the sender. */
export const RETURN_AFTER_DAYS = 30;
const DAY_MS = 86_400_000;

export interface BankMutationRecord {
  mutationId: string;
  bankId: string | null;
  accountNumber: string | null;
  type: 'CR' | 'DB';
  amountMrp: bigint;
  description: string | null;
  note: string | null;
  mutationDate: string | null;
  status: 'received' | 'matched' | 'unmatched' | 'ignored' | 'assigned' | 'returned';
  accountId: string | null;
  topupId: string | null;
  matchedBy: 'code' | 'amount' | 'admin' | null;
  /** Set once the mutation has waited 30 days unmatched: due for return to the sender. */
  returnFlaggedAt: Date | null;
  createdAt: Date;
  resolvedAt: Date | null;
}

function toRecord(row: BankMutationRow): BankMutationRecord {
  return {
    mutationId: row.mutation_id,
    bankId: row.bank_id,
    accountNumber: row.account_number,
    type: row.type,
    amountMrp: row.amount_mrp,
    description: row.description,
    note: row.note,
    mutationDate: row.mutation_date,
    status: row.status,
    accountId: row.account_id,
    topupId: row.topup_id,
    matchedBy: row.matched_by,
    returnFlaggedAt: row.return_flagged_at,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
  };
}

/** Money that arrived without a match: listed for the admin, assigned by hand, or returned. */
export function createUnmatchedMoney(db: Database, deps: { clock: Clock; queue?: TaskQueue | undefined }) {
  const { sql } = db;
  const { clock } = deps;

  async function lockUnmatched(tx: Tx, mutationId: string): Promise<BankMutationRecord> {
    const [row] = await tx<
      BankMutationRow[]
    >`SELECT * FROM bank_mutations WHERE mutation_id = ${mutationId} FOR UPDATE`;
    if (!row) throw new CoreError('not_found', 'Bank mutation not found');
    const record = toRecord(row);
    if (record.status !== 'unmatched') {
      throw new CoreError('conflict', `This mutation is ${record.status}, not unmatched`, {
        details: { status: record.status },
      });
    }
    return record;
  }

  return {
    /** Unmatched credit mutations, oldest first (the next to be returned lead); keyset by mutation id. */
    async listUnmatched(
      options: { limit?: number; flaggedOnly?: boolean } = {},
    ): Promise<BankMutationRecord[]> {
      const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
      const rows = await sql<BankMutationRow[]>`
        SELECT * FROM bank_mutations
        WHERE status = 'unmatched' AND (${options.flaggedOnly ?? false} = false OR return_flagged_at IS NOT NULL)
        ORDER BY created_at, mutation_id LIMIT ${limit}`;
      return rows.map(toRecord);
    },

    async getMutation(mutationId: string): Promise<BankMutationRecord> {
      const [row] = await sql<
        BankMutationRow[]
      >`SELECT * FROM bank_mutations WHERE mutation_id = ${mutationId}`;
      if (!row) throw new CoreError('not_found', 'Bank mutation not found');
      return toRecord(row);
    },

    /**
     * Credits an unmatched mutation to an account, once (the same ledger key as an automatic match),
     * audited in the same transaction; the person is told by email when they have one.
     */
    async assignMutation(
      mutationId: string,
      accountId: string,
      adminId: string,
      reason: string,
    ): Promise<{ mutation: BankMutationRecord; balanceMrp: bigint }> {
      if (!reason.trim()) throw new CoreError('invalid_request', 'A reason is required to assign money');
      const result = await sql.begin(async (tx) => {
        const before = await lockUnmatched(tx, mutationId);
        const [account] = await tx`SELECT id FROM accounts WHERE id = ${accountId}`;
        if (!account) throw new CoreError('not_found', 'Account not found');
        const credit = await creditMutationWithin(tx, clock, {
          mutationId,
          accountId,
          amountMrp: before.amountMrp,
          topupId: null,
          reason: `Bank transfer assigned by admin: ${reason.trim()}`,
          replyTo: null,
        });
        const [row] = await tx<BankMutationRow[]>`
          UPDATE bank_mutations SET status = 'assigned', account_id = ${accountId}, matched_by = 'admin',
            resolved_at = ${clock.now()}
          WHERE mutation_id = ${mutationId} RETURNING *`;
        const after = toRecord(row!);
        await recordAudit(tx, {
          actorType: 'admin',
          actorId: adminId,
          action: 'bank_mutation.assign',
          targetType: 'bank_mutation',
          targetId: mutationId,
          before: { status: before.status },
          after: { status: after.status, account_id: accountId, amount_mrp: before.amountMrp },
          reason: reason.trim(),
        });
        return { mutation: after, balanceMrp: credit.balanceMrp, confirmation: credit.confirmation };
      });
      if (result.confirmation && deps.queue) {
        await enqueueConfirmation(deps.queue, result.confirmation).catch(() => undefined);
      }
      return { mutation: result.mutation, balanceMrp: result.balanceMrp };
    },

    /** Records that an unmatched transfer was sent back to its sender (done at the bank, by a person). */
    async markReturned(mutationId: string, adminId: string, reason: string): Promise<BankMutationRecord> {
      return sql.begin(async (tx) => {
        const before = await lockUnmatched(tx, mutationId);
        const [row] = await tx<BankMutationRow[]>`
          UPDATE bank_mutations SET status = 'returned', resolved_at = ${clock.now()}
          WHERE mutation_id = ${mutationId} RETURNING *`;
        const after = toRecord(row!);
        await recordAudit(tx, {
          actorType: 'admin',
          actorId: adminId,
          action: 'bank_mutation.return',
          targetType: 'bank_mutation',
          targetId: mutationId,
          before: { status: before.status },
          after: { status: after.status, amount_mrp: before.amountMrp },
          ...(reason.trim() ? { reason: reason.trim() } : {}),
        });
        return after;
      });
    },

    /** Flags mutations unmatched for 30 days as due for return; returns the ids flagged by this call. */
    async flagStaleUnmatched(now: Date = clock.now()): Promise<string[]> {
      const cutoff = new Date(now.getTime() - RETURN_AFTER_DAYS * DAY_MS);
      const rows = await sql<{ mutation_id: string }[]>`
        UPDATE bank_mutations SET return_flagged_at = ${now}
        WHERE status = 'unmatched' AND return_flagged_at IS NULL AND created_at <= ${cutoff}
        RETURNING mutation_id`;
      return rows.map((r) => r.mutation_id);
    },
  };
}

export type UnmatchedMoney = ReturnType<typeof createUnmatchedMoney>;
