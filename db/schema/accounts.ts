import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** Per-account overrides of the request and token limits (null fields fall back to the defaults). */
export interface AccountLimits {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
}

export const accounts = pgTable(
  'accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Normalized (trimmed, lower-case); null for accounts created from a chat platform. */
    email: text('email'),
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
    passwordHash: text('password_hash'),
    name: text('name'),
    status: text('status', { enum: ['active', 'suspended', 'closed'] })
      .notNull()
      .default('active'),
    locale: text('locale', { enum: ['id', 'en'] })
      .notNull()
      .default('id'),
    /** Cached copy of sum(ledger_entries.amount_mrp); changed only in the transaction that writes the entry. */
    balanceMrp: bigint('balance_mrp', { mode: 'bigint' }).notNull().default(sql`0`),
    /** Sum of active holds; available = balance - held. */
    heldMrp: bigint('held_mrp', { mode: 'bigint' }).notNull().default(sql`0`),
    zeroRetention: boolean('zero_retention').notNull().default(false),
    legalHold: boolean('legal_hold').notNull().default(false),
    limits: jsonb('limits').$type<AccountLimits>(),
    preferredModel: text('preferred_model'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    suspendedAt: timestamp('suspended_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    anonymizedAt: timestamp('anonymized_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('accounts_email_key').on(t.email),
    check('accounts_balance_nonnegative', sql`${t.balanceMrp} >= 0`),
    check('accounts_held_within_balance', sql`${t.heldMrp} >= 0 AND ${t.heldMrp} <= ${t.balanceMrp}`),
  ],
);

/** A chat-platform user (telegram:123, slack:T1:U2, discord:456) mapped to one account. */
export const identities = pgTable(
  'identities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    platform: text('platform', { enum: ['telegram', 'slack', 'discord'] }).notNull(),
    externalId: text('external_id').notNull(),
    displayName: text('display_name'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('identities_platform_external_key').on(t.platform, t.externalId),
    index('identities_account_idx').on(t.accountId),
  ],
);

/** One-time codes that connect an identity or an email account to another account. */
export const linkCodes = pgTable('link_codes', {
  codeHash: text('code_hash').primaryKey(),
  accountId: uuid('account_id')
    .notNull()
    .references(() => accounts.id),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
