import { randomInt } from 'node:crypto';
import type { Database, Executor, ReplyTarget, TopupRequestRow } from '../../db/index.js';
import { CoreError } from '../errors.js';
import { formatIdr, MRP_PER_IDR } from '../ledger/index.js';
import type { Clock } from '../ports/clock.js';
import type { BankAccount, TopupOptions } from './options.js';
import type { Tx } from './transaction.js';
import { generateTransferCode } from './transfer-code.js';

export type TopupChannel = 'api' | 'telegram' | 'slack' | 'discord';
export type TopupStatus = 'pending' | 'paid' | 'expired' | 'cancelled';

export interface TopupRequest {
  id: string;
  accountId: string;
  /** What was asked for. */
  amountMrp: bigint;
  /** 1..999 rupiah added so the transfer amount is unique among pending requests; 0 = code only. */
  uniqueSuffixIdr: number;
  /** True when only the code in the transfer note can match the transfer (every suffix was taken). */
  codeRequired: boolean;
  /** What to transfer, exactly: amount + suffix. */
  transferAmountMrp: bigint;
  /** Put in the transfer note; matches even after the request expired. */
  code: string;
  status: TopupStatus;
  channel: TopupChannel;
  replyTo: ReplyTarget | null;
  expiresAt: Date;
  paidAt: Date | null;
  mutationId: string | null;
  createdAt: Date;
  /** Where to transfer to. */
  bankAccounts: BankAccount[];
}

export interface CreateTopupInput {
  accountId: string;
  /** Whole rupiah, in milli-rupiah (bots parse "50rb" to this). */
  amountMrp: bigint;
  channel: TopupChannel;
  /** The chat to confirm in; null for the REST API. */
  replyTo?: ReplyTarget | null;
}

const SUFFIX_MAX = 999;
/** A request whose transfer amount is not unique: only the code in the transfer note matches it. */
export const CODE_ONLY_SUFFIX = 0;
const ALLOCATION_ATTEMPTS = 8;
const DEFAULT_MAX_PENDING = 3;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function toTopupRequest(row: TopupRequestRow, bankAccounts: BankAccount[]): TopupRequest {
  return {
    id: row.id,
    accountId: row.account_id,
    amountMrp: row.amount_idr * MRP_PER_IDR,
    uniqueSuffixIdr: row.unique_suffix,
    codeRequired: row.unique_suffix === CODE_ONLY_SUFFIX,
    transferAmountMrp: row.transfer_amount_idr * MRP_PER_IDR,
    code: row.code,
    status: row.status,
    channel: row.channel,
    replyTo: row.reply_to,
    expiresAt: row.expires_at,
    paidAt: row.paid_at,
    mutationId: row.mutation_id,
    createdAt: row.created_at,
    bankAccounts,
  };
}

/**
 * Closing an account cancels its open requests (run it in the closing transaction). A transfer that
 * still arrives for one is never credited to the closed account: matching skips closed accounts and
 * cancelled requests, so the money waits in the unmatched queue for an admin.
 */
export async function cancelOpenTopups(sql: Executor, accountId: string): Promise<number> {
  const rows = await sql`
    UPDATE topup_requests SET status = 'cancelled' WHERE account_id = ${accountId} AND status = 'pending'
    RETURNING id`;
  return rows.length;
}

/**
 * Top-up requests. The unique transfer amount is guaranteed by construction: the partial unique index
 * on pending transfer amounts refuses a second holder, and allocation retries with another suffix.
 */
export function createTopupRequests(db: Database, clock: Clock, options: TopupOptions) {
  const { sql } = db;
  const minMrp = BigInt(options.minIdr) * MRP_PER_IDR;
  const maxMrp = BigInt(options.maxIdr) * MRP_PER_IDR;
  const expiryMs = Math.round(options.expiryHours * 3_600_000);
  const maxPending = options.maxPendingPerAccount ?? DEFAULT_MAX_PENDING;

  function assertAmount(amountMrp: bigint): void {
    const bounds = { min_mrp: minMrp, max_mrp: maxMrp };
    if (amountMrp % MRP_PER_IDR !== 0n) {
      throw new CoreError('invalid_request', 'A top-up amount must be a whole number of rupiah', {
        details: { param: 'amount_idr', ...bounds },
      });
    }
    if (amountMrp < minMrp || amountMrp > maxMrp) {
      throw new CoreError(
        'invalid_request',
        `A top-up must be between ${formatIdr(minMrp)} and ${formatIdr(maxMrp)}`,
        { details: { param: 'amount_idr', ...bounds } },
      );
    }
  }

  /** Pending requests past their expiry become `expired`, which frees their transfer amounts. */
  async function expireStale(): Promise<number> {
    const rows = await sql`
      UPDATE topup_requests SET status = 'expired'
      WHERE status = 'pending' AND expires_at <= ${clock.now()}
      RETURNING id`;
    return rows.length;
  }

  async function freeSuffixes(tx: Tx, amountIdr: bigint): Promise<number[]> {
    const taken = await tx<{ transfer_amount_idr: bigint }[]>`
      SELECT transfer_amount_idr FROM topup_requests
      WHERE status = 'pending' AND unique_suffix > 0 AND transfer_amount_idr BETWEEN ${amountIdr + 1n} AND ${amountIdr + BigInt(SUFFIX_MAX)}`;
    const used = new Set(taken.map((r) => Number(r.transfer_amount_idr - amountIdr)));
    const free: number[] = [];
    for (let suffix = 1; suffix <= SUFFIX_MAX; suffix += 1) if (!used.has(suffix)) free.push(suffix);
    return free;
  }

  return {
    expireStale,

    /**
     * The account's open request for this amount, or a new one. One account's asks are decided one
     * at a time (an advisory lock), so concurrent asks reuse one request and never pass the open
     * limit. A new request gets a random free suffix (a unique transfer amount); when every suffix
     * of the amount is held, it is matched by its code alone (suffix 0), so nobody can block an
     * amount for others by hoarding suffixes.
     */
    async create(input: CreateTopupInput): Promise<TopupRequest> {
      assertAmount(input.amountMrp);
      await expireStale();
      const amountIdr = input.amountMrp / MRP_PER_IDR;
      const row = await sql.begin(async (tx) => {
        await tx`SELECT pg_advisory_xact_lock(hashtextextended(${`topup:${input.accountId}`}, 0))`;
        const [account] = await tx<
          { status: string }[]
        >`SELECT status FROM accounts WHERE id = ${input.accountId}`;
        if (account?.status !== 'active') {
          throw new CoreError('account_suspended', 'This account is suspended or closed: it cannot top up.');
        }
        const now = clock.now();
        const [open] = await tx<TopupRequestRow[]>`
          SELECT * FROM topup_requests
          WHERE account_id = ${input.accountId} AND status = 'pending' AND amount_idr = ${amountIdr}
            AND expires_at > ${now}
          ORDER BY created_at DESC LIMIT 1`;
        if (open) {
          if (!input.replyTo) return open;
          // The person asked again, here: confirm where they asked last.
          const [moved] = await tx<TopupRequestRow[]>`
            UPDATE topup_requests SET reply_to = ${tx.json(input.replyTo as never)} WHERE id = ${open.id} RETURNING *`;
          return moved!;
        }
        const [pending] = await tx<{ n: number }[]>`
          SELECT count(*)::int AS n FROM topup_requests
          WHERE account_id = ${input.accountId} AND status = 'pending'`;
        if ((pending?.n ?? 0) >= maxPending) {
          throw new CoreError(
            'conflict',
            `You already have ${maxPending} unpaid top-up requests. Pay one of them, or wait until they expire.`,
          );
        }
        const insert = async (suffix: number) => {
          const [inserted] = await tx<TopupRequestRow[]>`
            INSERT INTO topup_requests
              (account_id, amount_idr, unique_suffix, transfer_amount_idr, code, channel, reply_to, expires_at, created_at)
            VALUES (${input.accountId}, ${amountIdr}, ${suffix}, ${amountIdr + BigInt(suffix)}, ${generateTransferCode()},
                    ${input.channel}, ${input.replyTo ? tx.json(input.replyTo as never) : null},
                    ${new Date(now.getTime() + expiryMs)}, ${now})
            ON CONFLICT DO NOTHING
            RETURNING *`;
          return inserted;
        };
        for (let attempt = 0; attempt < ALLOCATION_ATTEMPTS; attempt += 1) {
          const free = await freeSuffixes(tx, amountIdr);
          // A random free suffix: concurrent requests for the same amount rarely pick the same one,
          // and when they do the unique index refuses one of them and it tries again.
          const inserted = await insert(free.length > 0 ? free[randomInt(free.length)]! : CODE_ONLY_SUFFIX);
          if (inserted) return inserted;
        }
        throw new CoreError(
          'rate_limited',
          'Could not open a top-up request just now. Try again in a moment.',
          {
            retryable: true,
            details: { retry_after_s: 5 },
          },
        );
      });
      return toTopupRequest(row, options.bankAccounts);
    },

    /** The account's requests, newest first; expired ones show as expired. */
    async list(accountId: string, query: { limit?: number } = {}): Promise<TopupRequest[]> {
      const limit = Math.min(Math.max(query.limit ?? 20, 1), 100);
      await expireStale();
      const rows = await sql<TopupRequestRow[]>`
        SELECT * FROM topup_requests WHERE account_id = ${accountId}
        ORDER BY created_at DESC, id DESC LIMIT ${limit}`;
      return rows.map((row) => toTopupRequest(row, options.bankAccounts));
    },

    async get(accountId: string, id: string): Promise<TopupRequest> {
      if (!UUID.test(id)) throw new CoreError('not_found', 'Top-up request not found');
      const [row] = await sql<
        TopupRequestRow[]
      >`SELECT * FROM topup_requests WHERE id = ${id} AND account_id = ${accountId}`;
      if (!row) throw new CoreError('not_found', 'Top-up request not found');
      return toTopupRequest(row, options.bankAccounts);
    },
  };
}

export type TopupRequests = ReturnType<typeof createTopupRequests>;
