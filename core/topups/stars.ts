import type { Database, StarPaymentRow } from '../../db/index.js';
import { recordAudit } from '../audit/index.js';
import { CoreError, isCoreError } from '../errors.js';
import { formatIdr, MRP_PER_IDR } from '../ledger/index.js';
import type { Clock } from '../ports/clock.js';
import { ledgerWithin } from './transaction.js';

/** Telegram's currency code for Stars; invoices in Stars have no provider token and one price. */
export const STARS_CURRENCY = 'XTR';
export const STAR_PACKAGE_SIZES = [50, 100, 250, 500] as const;

export interface StarPackage {
  stars: number;
  /** What the package credits. */
  amountMrp: bigint;
  /** The invoice payload (1-128 bytes) that comes back in pre_checkout_query and successful_payment. */
  payload: string;
  title: string;
  /** Indonesian and English, for the invoice description (1-255 characters). */
  description: string;
}

export interface StarPayment {
  chargeId: string;
  accountId: string;
  telegramUserId: string;
  stars: number;
  amountMrp: bigint;
  refundedAt: Date | null;
  createdAt: Date;
}

const PAYLOAD = /^stars:(\d{1,6})$/;

function starsToMrp(stars: number, idrPerStar: number): bigint {
  return BigInt(stars) * BigInt(idrPerStar) * MRP_PER_IDR;
}

/** The packages the bot offers, credited at the configured rupiah per Star. */
export function starPackages(options: { idrPerStar: number }): StarPackage[] {
  return STAR_PACKAGE_SIZES.map((stars) => {
    const amountMrp = starsToMrp(stars, options.idrPerStar);
    return {
      stars,
      amountMrp,
      payload: `stars:${stars}`,
      title: `AIport ${formatIdr(amountMrp)}`,
      description: `Saldo AIport ${formatIdr(amountMrp)} untuk ${stars} Stars / ${formatIdr(amountMrp)} AIport balance for ${stars} Stars`,
    };
  });
}

export type PreCheckoutVerdict = { ok: true; package: StarPackage } | { ok: false; errorMessage: string };

/**
 * Decides a pre_checkout_query: the payload must name a package we offer, in Stars, at its price.
 * The error message is shown to the person by Telegram.
 */
export function validatePreCheckout(
  query: { payload: string; currency: string; totalAmount: number },
  options: { idrPerStar: number },
): PreCheckoutVerdict {
  const offered = starPackages(options).find((p) => p.payload === query.payload);
  if (!offered || query.currency !== STARS_CURRENCY || query.totalAmount !== offered.stars) {
    return {
      ok: false,
      errorMessage:
        'Paket ini sudah tidak tersedia. Ketik /topup lagi. / This package is no longer offered. Send /topup again.',
    };
  }
  return { ok: true, package: offered };
}

function toStarPayment(row: StarPaymentRow): StarPayment {
  return {
    chargeId: row.charge_id,
    accountId: row.account_id,
    telegramUserId: row.telegram_user_id,
    stars: row.stars,
    amountMrp: row.amount_mrp,
    refundedAt: row.refunded_at,
    createdAt: row.created_at,
  };
}

/** Telegram Stars purchases: credited once per `telegram_payment_charge_id`, refundable by an admin. */
export function createStarPayments(db: Database, clock: Clock, options: { idrPerStar: number }) {
  const { sql } = db;

  return {
    /**
     * Credits a successful_payment. The Stars actually paid decide the amount (a package withdrawn
     * after the invoice was sent is still honoured). A repeated update changes nothing.
     */
    async creditStarPayment(input: {
      chargeId: string;
      telegramUserId: string;
      accountId: string;
      stars: number;
      payload: string;
      /** The payment's currency as Telegram reported it: only Stars (XTR) are credited as Stars. */
      currency: string;
    }): Promise<{ amountMrp: bigint; balanceMrp: bigint; created: boolean }> {
      if (!input.chargeId) throw new CoreError('invalid_request', 'A Stars payment needs its charge id');
      if (input.currency !== STARS_CURRENCY) {
        throw new CoreError(
          'invalid_request',
          `Only payments in Telegram Stars (${STARS_CURRENCY}) are credited here`,
        );
      }
      if (!Number.isSafeInteger(input.stars) || input.stars <= 0) {
        throw new CoreError('invalid_request', 'A Stars payment must be a positive whole number of Stars');
      }
      if (!PAYLOAD.test(input.payload)) {
        throw new CoreError('invalid_request', 'This payment was not for an AIport Stars package');
      }
      const amountMrp = starsToMrp(input.stars, options.idrPerStar);
      return sql.begin(async (tx) => {
        const inserted = await tx`
          INSERT INTO star_payments (charge_id, account_id, telegram_user_id, stars, amount_mrp, created_at)
          VALUES (${input.chargeId}, ${input.accountId}, ${input.telegramUserId}, ${input.stars}, ${amountMrp}, ${clock.now()})
          ON CONFLICT (charge_id) DO NOTHING RETURNING charge_id`;
        if (inserted.length === 0) {
          const [row] = await tx<
            StarPaymentRow[]
          >`SELECT * FROM star_payments WHERE charge_id = ${input.chargeId}`;
          const existing = toStarPayment(row!);
          if (existing.accountId !== input.accountId || existing.stars !== input.stars) {
            throw new CoreError(
              'idempotency_conflict',
              'This Stars charge was already credited to another payment',
            );
          }
          const [account] = await tx<{ balance_mrp: bigint }[]>`
            SELECT balance_mrp FROM accounts WHERE id = ${input.accountId}`;
          return { amountMrp: existing.amountMrp, balanceMrp: account!.balance_mrp, created: false };
        }
        const entry = await ledgerWithin(tx, clock).credit('stars', {
          accountId: input.accountId,
          amountMrp,
          idempotencyKey: `stars:${input.chargeId}`,
          reference: `stars:${input.chargeId}`,
          reason: `Telegram Stars: ${input.stars}`,
        });
        return { amountMrp, balanceMrp: entry.balanceMrp, created: true };
      });
    },

    /** Stars purchases, newest first, optionally of one account (for the operators' refund screen). */
    async listStarPayments(options: {
      limit: number;
      accountId?: string | undefined;
    }): Promise<StarPayment[]> {
      const rows = await sql<StarPaymentRow[]>`
        SELECT * FROM star_payments
        WHERE ${options.accountId === undefined ? sql`TRUE` : sql`account_id = ${options.accountId}`}
        ORDER BY created_at DESC, charge_id LIMIT ${options.limit}`;
      return rows.map(toStarPayment);
    },

    /**
     * Takes a Stars credit back before the bot refunds the Stars on Telegram. Refused while the
     * account has spent part of it. Safe to call again after a failed Bot API refund: a payment
     * already refunded here is returned with `alreadyRefunded` instead of debiting twice.
     */
    async refundStarPayment(
      chargeId: string,
      adminId: string,
    ): Promise<StarPayment & { alreadyRefunded: boolean }> {
      return sql.begin(async (tx) => {
        const [row] = await tx<
          StarPaymentRow[]
        >`SELECT * FROM star_payments WHERE charge_id = ${chargeId} FOR UPDATE`;
        if (!row) throw new CoreError('not_found', 'Stars payment not found');
        const payment = toStarPayment(row);
        if (payment.refundedAt) return { ...payment, alreadyRefunded: true };
        try {
          await ledgerWithin(tx, clock).debit('refund', {
            accountId: payment.accountId,
            amountMrp: payment.amountMrp,
            idempotencyKey: `stars-refund:${chargeId}`,
            reference: `stars:${chargeId}`,
            reason: `Telegram Stars refund: ${payment.stars}`,
          });
        } catch (error) {
          if (!isCoreError(error) || error.code !== 'insufficient_balance') throw error;
          throw new CoreError(
            'insufficient_balance',
            `Cannot refund: this payment credited ${formatIdr(payment.amountMrp)}, and the account no longer has that much available`,
            { details: { ...error.details, needed_mrp: payment.amountMrp } },
          );
        }
        const now = clock.now();
        await tx`UPDATE star_payments SET refunded_at = ${now} WHERE charge_id = ${chargeId}`;
        await recordAudit(tx, {
          actorType: 'admin',
          actorId: adminId,
          action: 'star_payment.refund',
          targetType: 'star_payment',
          targetId: chargeId,
          before: { refunded_at: null },
          after: { refunded_at: now, amount_mrp: payment.amountMrp, stars: payment.stars },
        });
        return { ...payment, refundedAt: now, alreadyRefunded: false };
      });
    },
  };
}

export type StarPayments = ReturnType<typeof createStarPayments>;
