import { randomInt } from 'node:crypto';
import type { Database, VoucherRow } from '../../db/index.js';
import { recordAudit } from '../audit/index.js';
import { CoreError } from '../errors.js';
import { formatIdr } from '../ledger/index.js';
import type { Clock } from '../ports/clock.js';
import { ledgerWithin } from './transaction.js';
import { TRANSFER_CODE_ALPHABET } from './transfer-code.js';

export interface Voucher {
  id: string;
  code: string;
  amountMrp: bigint;
  maxUses: number;
  uses: number;
  expiresAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
}

export interface CreateVoucherInput {
  /** Chosen by the admin (letters, digits, dashes; 4-32), or generated when absent. */
  code?: string | undefined;
  amountMrp: bigint;
  maxUses: number;
  expiresAt: Date | null;
  adminId: string;
}

export interface Redemption {
  voucherCode: string;
  amountMrp: bigint;
  balanceMrp: bigint;
}

const VOUCHER_CODE = /^[A-Z0-9][A-Z0-9-]{2,30}[A-Z0-9]$/;

/** Upper-case, trimmed: people type voucher codes in any case. */
export function normalizeVoucherCode(input: string): string {
  return input.trim().toUpperCase();
}

function generateVoucherCode(): string {
  const pick = () => TRANSFER_CODE_ALPHABET[randomInt(TRANSFER_CODE_ALPHABET.length)]!;
  const group = () => Array.from({ length: 4 }, pick).join('');
  return `V-${group()}-${group()}`;
}

function toVoucher(row: VoucherRow): Voucher {
  return {
    id: row.id,
    code: row.code,
    amountMrp: row.amount_mrp,
    maxUses: row.max_uses,
    uses: row.uses,
    expiresAt: row.expires_at,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

/**
 * Vouchers: admin-created codes worth an amount, each redeemable once per account up to a number
 * of uses. A redemption claims the (voucher, account) row, takes a use with a compare-and-swap and
 * credits the ledger, all in one transaction: any refusal leaves no trace.
 */
export function createVouchers(db: Database, clock: Clock) {
  const { sql } = db;

  return {
    async createVoucher(input: CreateVoucherInput): Promise<Voucher> {
      if (input.amountMrp <= 0n) throw new CoreError('invalid_request', 'A voucher must be worth something');
      if (!Number.isSafeInteger(input.maxUses) || input.maxUses < 1) {
        throw new CoreError('invalid_request', 'Maximum uses must be a whole number of at least 1');
      }
      if (input.expiresAt && input.expiresAt.getTime() <= clock.now().getTime()) {
        throw new CoreError('invalid_request', 'The expiry must be in the future');
      }
      const code = input.code === undefined ? generateVoucherCode() : normalizeVoucherCode(input.code);
      if (!VOUCHER_CODE.test(code)) {
        throw new CoreError('invalid_request', 'A voucher code is 4-32 letters, digits or dashes');
      }
      return sql.begin(async (tx) => {
        const rows = await tx<VoucherRow[]>`
          INSERT INTO vouchers (code, amount_mrp, max_uses, expires_at, created_by, created_at)
          VALUES (${code}, ${input.amountMrp}, ${input.maxUses}, ${input.expiresAt}, ${input.adminId}, ${clock.now()})
          ON CONFLICT (code) DO NOTHING RETURNING *`;
        if (!rows[0]) throw new CoreError('conflict', 'A voucher with this code already exists');
        const voucher = toVoucher(rows[0]);
        await recordAudit(tx, {
          actorType: 'admin',
          actorId: input.adminId,
          action: 'voucher.create',
          targetType: 'voucher',
          targetId: voucher.id,
          after: {
            code,
            amount_mrp: voucher.amountMrp,
            max_uses: voucher.maxUses,
            expires_at: voucher.expiresAt,
          },
        });
        return voucher;
      });
    },

    async listVouchers(options: { limit?: number } = {}): Promise<Voucher[]> {
      const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
      const rows = await sql<
        VoucherRow[]
      >`SELECT * FROM vouchers ORDER BY created_at DESC, id LIMIT ${limit}`;
      return rows.map(toVoucher);
    },

    /** Redeems a code for an account: once per account, within its uses and expiry. */
    async redeemVoucher(accountId: string, rawCode: string): Promise<Redemption> {
      const code = normalizeVoucherCode(rawCode);
      if (!code) throw new CoreError('invalid_request', 'Send the voucher code to redeem');
      return sql.begin(async (tx) => {
        const [row] = await tx<VoucherRow[]>`SELECT * FROM vouchers WHERE code = ${code}`;
        if (!row) throw new CoreError('not_found', 'This voucher code does not exist');
        const voucher = toVoucher(row);
        // The unique (voucher, account) row: a concurrent second redemption waits here, then finds it taken.
        const claimed = await tx`
          INSERT INTO voucher_redemptions (voucher_id, account_id, created_at)
          VALUES (${voucher.id}, ${accountId}, ${clock.now()})
          ON CONFLICT (voucher_id, account_id) DO NOTHING RETURNING voucher_id`;
        if (claimed.length === 0) throw new CoreError('conflict', 'You have already redeemed this voucher');
        const taken = await tx`
          UPDATE vouchers SET uses = uses + 1
          WHERE id = ${voucher.id} AND uses < max_uses AND (expires_at IS NULL OR expires_at > ${clock.now()})
          RETURNING uses`;
        if (taken.length === 0) {
          const expired = voucher.expiresAt !== null && voucher.expiresAt.getTime() <= clock.now().getTime();
          throw new CoreError(
            'conflict',
            expired ? 'This voucher has expired' : 'This voucher has been used up',
          );
        }
        const entry = await ledgerWithin(tx, clock).credit('voucher', {
          accountId,
          amountMrp: voucher.amountMrp,
          idempotencyKey: `voucher:${voucher.id}:${accountId}`,
          reference: voucher.id,
          reason: `Voucher ${voucher.code} (${formatIdr(voucher.amountMrp)})`,
        });
        return { voucherCode: voucher.code, amountMrp: voucher.amountMrp, balanceMrp: entry.balanceMrp };
      });
    },
  };
}

export type Vouchers = ReturnType<typeof createVouchers>;
