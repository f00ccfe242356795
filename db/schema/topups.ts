import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts } from './accounts.js';

/** Where a confirmation goes back to: the chat a top-up was asked from. */
export interface ReplyTarget {
  platform: 'telegram' | 'slack' | 'discord' | 'api';
  chatId?: string;
  threadId?: string;
  userId?: string;
}

export const topupRequests = pgTable(
  'topup_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    /** The amount asked for, whole rupiah. */
    amountIdr: bigint('amount_idr', { mode: 'bigint' }).notNull(),
    uniqueSuffix: integer('unique_suffix').notNull(),
    /** amount + suffix: what the person transfers, whole rupiah. */
    transferAmountIdr: bigint('transfer_amount_idr', { mode: 'bigint' }).notNull(),
    code: text('code').notNull(),
    status: text('status', { enum: ['pending', 'paid', 'expired', 'cancelled'] })
      .notNull()
      .default('pending'),
    channel: text('channel', { enum: ['api', 'telegram', 'slack', 'discord'] }).notNull(),
    replyTo: jsonb('reply_to').$type<ReplyTarget>(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    mutationId: text('mutation_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('topup_requests_code_key').on(t.code),
    /**
     * No two pending requests with a suffix share a transfer amount: amount matching is unambiguous by
     * construction. Code-only requests (suffix 0) are left out: only their code matches them.
     */
    uniqueIndex('topup_requests_pending_amount_key')
      .on(t.transferAmountIdr)
      .where(sql`${t.status} = 'pending' AND ${t.uniqueSuffix} > 0`),
    index('topup_requests_account_idx').on(t.accountId, t.createdAt),
  ],
);

/** Every mutation the bank service reported, stored before matching. */
export const bankMutations = pgTable(
  'bank_mutations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    mutationId: text('mutation_id').notNull(),
    bankId: text('bank_id'),
    accountNumber: text('account_number'),
    type: text('type', { enum: ['CR', 'DB'] }).notNull(),
    amountMrp: bigint('amount_mrp', { mode: 'bigint' }).notNull(),
    description: text('description'),
    note: text('note'),
    mutationDate: text('mutation_date'),
    raw: jsonb('raw'),
    status: text('status', {
      enum: ['received', 'matched', 'unmatched', 'ignored', 'assigned', 'returned'],
    })
      .notNull()
      .default('received'),
    topupId: uuid('topup_id').references(() => topupRequests.id),
    accountId: uuid('account_id').references(() => accounts.id),
    matchedBy: text('matched_by', { enum: ['code', 'amount', 'admin'] }),
    returnFlaggedAt: timestamp('return_flagged_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('bank_mutations_mutation_id_key').on(t.mutationId),
    index('bank_mutations_status_idx').on(t.status),
  ],
);

export const vouchers = pgTable(
  'vouchers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    amountMrp: bigint('amount_mrp', { mode: 'bigint' }).notNull(),
    maxUses: integer('max_uses').notNull(),
    uses: integer('uses').notNull().default(0),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('vouchers_code_key').on(t.code)],
);

export const voucherRedemptions = pgTable(
  'voucher_redemptions',
  {
    voucherId: uuid('voucher_id')
      .notNull()
      .references(() => vouchers.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('voucher_redemptions_once_key').on(t.voucherId, t.accountId)],
);

/** Telegram Stars purchases, idempotent on Telegram's charge id. */
export const starPayments = pgTable('star_payments', {
  chargeId: text('charge_id').primaryKey(),
  accountId: uuid('account_id')
    .notNull()
    .references(() => accounts.id),
  telegramUserId: text('telegram_user_id').notNull(),
  stars: integer('stars').notNull(),
  amountMrp: bigint('amount_mrp', { mode: 'bigint' }).notNull(),
  refundedAt: timestamp('refunded_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
