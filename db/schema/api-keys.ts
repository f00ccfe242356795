import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts } from './accounts.js';

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    name: text('name').notNull(),
    /** SHA-256 of the whole secret, hex. The secret itself is never stored. */
    hash: text('hash').notNull(),
    /** First 12 characters of the secret, shown in listings so people can tell keys apart. */
    prefix: text('prefix').notNull(),
    scopes: text('scopes').array().notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Spend limit over the key's whole life, milli-rupiah; null = none. */
    totalLimitMrp: bigint('total_limit_mrp', { mode: 'bigint' }),
    /** Spend limit per calendar period (resetting at 00:00 WIB); both or neither are set. */
    limitPeriod: text('limit_period', { enum: ['day', 'week', 'month'] }),
    periodLimitMrp: bigint('period_limit_mrp', { mode: 'bigint' }),
    /** Everything this key was charged (settled holds), milli-rupiah. */
    spentMrp: bigint('spent_mrp', { mode: 'bigint' }).notNull().default(sql`0`),
    /** What this key was charged since `period_start` (the start of the period it was last charged in). */
    periodSpentMrp: bigint('period_spent_mrp', { mode: 'bigint' }).notNull().default(sql`0`),
    periodStart: timestamp('period_start', { withTimezone: true }),
    /** Active holds made with this key: reserved against its limits like against the balance. */
    heldMrp: bigint('held_mrp', { mode: 'bigint' }).notNull().default(sql`0`),
    /** Allowed catalog model ids and kinds; null = all. */
    models: text('models').array(),
    kinds: text('kinds').array(),
    /** The key's own rate limits (below the account's); null = the account's. */
    requestsPerMinute: integer('requests_per_minute'),
    tokensPerMinute: integer('tokens_per_minute'),
  },
  (t) => [
    uniqueIndex('api_keys_hash_key').on(t.hash),
    index('api_keys_account_idx').on(t.accountId),
    check('api_keys_held_nonnegative', sql`${t.heldMrp} >= 0`),
    check('api_keys_limits_nonnegative', sql`${t.totalLimitMrp} >= 0 AND ${t.periodLimitMrp} >= 0`),
    check('api_keys_period_pair', sql`(${t.limitPeriod} IS NULL) = (${t.periodLimitMrp} IS NULL)`),
  ],
);

/** Limit notices already sent: one row per key, limit, period and threshold, so each goes out once. */
export const apiKeyNotices = pgTable(
  'api_key_notices',
  {
    keyId: uuid('key_id')
      .notNull()
      .references(() => apiKeys.id, { onDelete: 'cascade' }),
    /** `total` or the period's name. */
    limitName: text('limit_name').notNull(),
    /** The period's start; the epoch for the total limit. */
    periodStart: timestamp('period_start', { withTimezone: true }).notNull(),
    thresholdPercent: integer('threshold_percent').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.limitName, t.periodStart, t.thresholdPercent] })],
);
