import type { BankMutationRow, Database, TopupRequestRow } from '../../db/index.js';
import { MRP_PER_IDR } from '../ledger/index.js';
import type { Clock } from '../ports/clock.js';
import type { TaskQueue } from '../ports/queue.js';
import { enqueueConfirmation, type PendingConfirmation } from './confirmations.js';
import type { BankMutation } from './moota/index.js';
import { creditMutationWithin } from './mutation-credit.js';
import { accountNumberKey, type TopupOptions } from './options.js';
import type { Tx } from './transaction.js';
import { findCodesInText } from './transfer-code.js';

export type MutationOutcome =
  | {
      mutationId: string;
      outcome: 'matched';
      matchedBy: 'code' | 'amount';
      accountId: string;
      topupId: string;
      amountMrp: bigint;
      balanceMrp: bigint;
    }
  | { mutationId: string; outcome: 'unmatched' }
  | { mutationId: string; outcome: 'ignored'; reason: 'debit' | 'foreign_account' | 'zero_amount' }
  /** Stored and decided before (a repeat delivery), or being decided right now by a concurrent one. */
  | { mutationId: string; outcome: 'already_processed' };

export interface IngestResult {
  received: number;
  /** Mutations seen for the first time. */
  stored: number;
  outcomes: MutationOutcome[];
  /** Confirmations that could not be queued (the credit stands; only the message is lost). */
  confirmationsFailed: number;
}

type StoredMutation = Pick<
  BankMutationRow,
  'mutation_id' | 'type' | 'amount_mrp' | 'account_number' | 'description' | 'note' | 'status'
>;

type RequestRow = Pick<TopupRequestRow, 'id' | 'account_id' | 'code' | 'status' | 'reply_to'>;

/**
 * The one path every bank mutation takes, from the webhook or from polling: store it (once per
 * mutation id), then decide it once under a row lock. Credit mutations are matched by the code in
 * the note or description first (any request, also expired ones), else by the unique transfer amount
 * among pending, unexpired requests. A match credits the transferred amount and marks the request
 * paid in one transaction.
 */
export function createMutationIntake(
  db: Database,
  deps: { clock: Clock; queue?: TaskQueue | undefined },
  options: TopupOptions,
) {
  const { sql } = db;
  const { clock } = deps;
  const ourAccounts = new Set(options.bankAccounts.map((a) => accountNumberKey(a.number)));

  async function store(mutation: BankMutation): Promise<boolean> {
    const rows = await sql`
      INSERT INTO bank_mutations
        (mutation_id, bank_id, account_number, type, amount_mrp, description, note, mutation_date, raw, created_at)
      VALUES (${mutation.mutationId}, ${mutation.bankId}, ${mutation.accountNumber}, ${mutation.type},
              ${mutation.amountMrp}, ${mutation.description}, ${mutation.note}, ${mutation.date},
              ${sql.json(mutation.raw as never)}, ${clock.now()})
      ON CONFLICT (mutation_id) DO NOTHING
      RETURNING id`;
    return rows.length > 0;
  }

  function ignoreReason(m: StoredMutation): 'debit' | 'foreign_account' | 'zero_amount' | null {
    if (m.type !== 'CR') return 'debit';
    if (m.amount_mrp <= 0n) return 'zero_amount';
    const number = accountNumberKey(m.account_number ?? '');
    // An empty account number cannot prove the money is not ours: it goes on to matching.
    if (ourAccounts.size > 0 && number !== '' && !ourAccounts.has(number)) return 'foreign_account';
    return null;
  }

  async function findByCode(tx: Tx, m: StoredMutation): Promise<RequestRow | null> {
    const codes = findCodesInText(`${m.note ?? ''}\n${m.description ?? ''}`);
    if (codes.length === 0) return null;
    // Cancelled requests and closed accounts never take money: it waits for an admin instead.
    const rows = await tx<RequestRow[]>`
      SELECT r.id, r.account_id, r.code, r.status, r.reply_to FROM topup_requests r
      JOIN accounts a ON a.id = r.account_id
      WHERE r.code = ANY(${codes}) AND r.status <> 'cancelled' AND a.status <> 'closed'
      FOR UPDATE OF r`;
    for (const code of codes) {
      const row = rows.find((r) => r.code === code);
      if (row) return row;
    }
    return null;
  }

  async function findByAmount(tx: Tx, m: StoredMutation): Promise<RequestRow | null> {
    if (m.amount_mrp % MRP_PER_IDR !== 0n) return null;
    // Code-only requests (suffix 0) share their amount with others: only their code matches them.
    const [row] = await tx<RequestRow[]>`
      SELECT r.id, r.account_id, r.code, r.status, r.reply_to FROM topup_requests r
      JOIN accounts a ON a.id = r.account_id
      WHERE r.status = 'pending' AND r.unique_suffix > 0 AND r.transfer_amount_idr = ${m.amount_mrp / MRP_PER_IDR}
        AND r.expires_at > ${clock.now()} AND a.status <> 'closed'
      FOR UPDATE OF r`;
    return row ?? null;
  }

  async function decide(
    mutationId: string,
  ): Promise<{ outcome: MutationOutcome; confirmation: PendingConfirmation | null }> {
    return sql.begin(async (tx) => {
      const [m] = await tx<StoredMutation[]>`
        SELECT mutation_id, type, amount_mrp, account_number, description, note, status
        FROM bank_mutations WHERE mutation_id = ${mutationId}
        FOR UPDATE SKIP LOCKED`;
      if (m?.status !== 'received') {
        return { outcome: { mutationId, outcome: 'already_processed' as const }, confirmation: null };
      }
      const now = clock.now();
      const ignored = ignoreReason(m);
      if (ignored) {
        await tx`UPDATE bank_mutations SET status = 'ignored', resolved_at = ${now} WHERE mutation_id = ${mutationId}`;
        return { outcome: { mutationId, outcome: 'ignored' as const, reason: ignored }, confirmation: null };
      }
      const byCode = await findByCode(tx, m);
      const request = byCode ?? (await findByAmount(tx, m));
      if (!request) {
        await tx`UPDATE bank_mutations SET status = 'unmatched' WHERE mutation_id = ${mutationId}`;
        return { outcome: { mutationId, outcome: 'unmatched' as const }, confirmation: null };
      }
      const matchedBy = byCode ? ('code' as const) : ('amount' as const);
      const credit = await creditMutationWithin(tx, clock, {
        mutationId,
        accountId: request.account_id,
        amountMrp: m.amount_mrp,
        topupId: request.id,
        reason: `Bank transfer ${request.code}`,
        replyTo: request.reply_to,
      });
      // A second transfer with a paid request's code is still that person's money: credited, and
      // the request keeps the mutation that paid it first.
      await tx`
        UPDATE topup_requests SET status = 'paid', paid_at = ${now}, mutation_id = ${mutationId}
        WHERE id = ${request.id} AND status IN ('pending', 'expired')`;
      await tx`
        UPDATE bank_mutations SET status = 'matched', topup_id = ${request.id}, account_id = ${request.account_id},
          matched_by = ${matchedBy}, resolved_at = ${now}
        WHERE mutation_id = ${mutationId}`;
      return {
        outcome: {
          mutationId,
          outcome: 'matched' as const,
          matchedBy,
          accountId: request.account_id,
          topupId: request.id,
          amountMrp: m.amount_mrp,
          balanceMrp: credit.balanceMrp,
        },
        confirmation: credit.confirmation,
      };
    });
  }

  /**
   * Decides each mutation in order. One that fails does not hold up the others; the first failure is
   * thrown at the end (the webhook answers 5xx and Moota delivers again; the stored rows wait).
   */
  async function decideAll(
    mutationIds: readonly string[],
  ): Promise<{ outcomes: MutationOutcome[]; confirmationsFailed: number }> {
    const outcomes: MutationOutcome[] = [];
    const confirmations: PendingConfirmation[] = [];
    let failure: unknown;
    for (const mutationId of mutationIds) {
      try {
        const decided = await decide(mutationId);
        outcomes.push(decided.outcome);
        if (decided.confirmation) confirmations.push(decided.confirmation);
      } catch (error) {
        failure ??= error;
      }
    }
    let confirmationsFailed = 0;
    for (const confirmation of confirmations) {
      if (!deps.queue) {
        confirmationsFailed += 1;
        continue;
      }
      await enqueueConfirmation(deps.queue, confirmation).catch(() => {
        confirmationsFailed += 1;
      });
    }
    if (failure !== undefined) throw failure;
    return { outcomes, confirmationsFailed };
  }

  return {
    /** Stores, then decides, each mutation; repeats and concurrent duplicates change nothing. */
    async ingest(mutations: readonly BankMutation[]): Promise<IngestResult> {
      let stored = 0;
      for (const mutation of mutations) if (await store(mutation)) stored += 1;
      const decided = await decideAll(mutations.map((m) => m.mutationId));
      return { received: mutations.length, stored, ...decided };
    },

    /**
     * Decides mutations left `received` by a crash between storing and deciding (the webhook answered
     * 5xx, and Moota may not resend). Returns how many were decided now.
     */
    async decideStuck(olderThanMs = 60_000): Promise<number> {
      const cutoff = new Date(clock.now().getTime() - olderThanMs);
      const rows = await sql<{ mutation_id: string }[]>`
        SELECT mutation_id FROM bank_mutations WHERE status = 'received' AND created_at <= ${cutoff}
        ORDER BY created_at LIMIT 500`;
      const { outcomes } = await decideAll(rows.map((r) => r.mutation_id));
      return outcomes.filter((o) => o.outcome !== 'already_processed').length;
    },
  };
}

export type MutationIntake = ReturnType<typeof createMutationIntake>;
