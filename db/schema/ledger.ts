import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  index,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts } from './accounts.js';

/**
 * Append-only: every balance change is one row. Positive amounts credit, negative amounts charge.
 * `idempotency_key` is claimed with INSERT ... ON CONFLICT, so a retried operation never moves money twice.
 */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    amountMrp: bigint('amount_mrp', { mode: 'bigint' }).notNull(),
    kind: text('kind', {
      enum: ['topup', 'voucher', 'adjustment', 'refund', 'charge', 'welcome', 'stars', 'merge'],
    }).notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /** What the entry is about: a job id, top-up id, mutation id, voucher id... */
    reference: text('reference'),
    reason: text('reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('ledger_entries_idempotency_key').on(t.idempotencyKey),
    index('ledger_entries_account_idx').on(t.accountId, t.id),
    check('ledger_entries_amount_nonzero', sql`${t.amountMrp} <> 0`),
  ],
);

/** A reservation of balance for metered work: held before calling upstream, then settled once or released. */
export const holds = pgTable(
  'holds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    amountMrp: bigint('amount_mrp', { mode: 'bigint' }).notNull(),
    status: text('status', { enum: ['active', 'settled', 'released'] })
      .notNull()
      .default('active'),
    settledMrp: bigint('settled_mrp', { mode: 'bigint' }),
    reference: text('reference'),
    /** The API key the work was requested with: its limits are reserved and charged with the hold. */
    apiKeyId: uuid('api_key_id'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [
    index('holds_active_expiry_idx').on(t.expiresAt).where(sql`${t.status} = 'active'`),
    index('holds_api_key_idx').on(t.apiKeyId, t.resolvedAt).where(sql`${t.apiKeyId} IS NOT NULL`),
    check('holds_amount_positive', sql`${t.amountMrp} > 0`),
  ],
);
