import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.js';
import { apiKeys } from './api-keys.js';

/** One upstream attempt of a job, in the order tried. */
export interface ProviderAttempt {
  provider: string;
  model: string;
  status: 'ok' | 'error';
  httpStatus?: number;
  latencyMs: number;
  error?: string;
}

/** The catalog price in force when the job started, in milli-rupiah per unit. */
export interface PriceSnapshot {
  inputPerMTokMrp?: string;
  outputPerMTokMrp?: string;
  cachedInputPerMTokMrp?: string;
  cacheWritePerMTokMrp?: string;
  cacheWrite1hPerMTokMrp?: string;
  perImageMrp?: string;
  perVideoSecondMrp?: string;
  perAudioSecondMrp?: string;
}

/**
 * The record of every request from every channel. Billing metadata is kept; `prompt` and `output`
 * are content, purged after the retention window and never written for zero-retention accounts.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    apiKeyId: uuid('api_key_id').references(() => apiKeys.id),
    channel: text('channel', { enum: ['api', 'telegram', 'slack', 'discord'] }).notNull(),
    kind: text('kind', {
      enum: ['chat', 'embedding', 'image', 'image_edit', 'video', 'transcription'],
    }).notNull(),
    model: text('model').notNull(),
    status: text('status', {
      enum: ['queued', 'running', 'succeeded', 'failed', 'refused', 'cancelled'],
    })
      .notNull()
      .default('queued'),
    progress: integer('progress').notNull().default(0),
    attempts: jsonb('attempts').$type<ProviderAttempt[]>().notNull().default([]),
    provider: text('provider'),
    providerTaskId: text('provider_task_id'),
    inputTokens: integer('input_tokens'),
    outputTokens: integer('output_tokens'),
    cachedTokens: integer('cached_tokens'),
    reasoningTokens: integer('reasoning_tokens'),
    /** Images produced, video seconds, or billed audio seconds (transcription). */
    units: integer('units'),
    usageEstimated: boolean('usage_estimated').notNull().default(false),
    price: jsonb('price').$type<PriceSnapshot>(),
    holdId: uuid('hold_id'),
    costMrp: bigint('cost_mrp', { mode: 'bigint' }),
    /**
     * The part of the real cost the account could not cover when the job settled (its balance went
     * to 0 instead of below): shown to operators in the admin view and in metrics, never negative.
     */
    uncollectedMrp: bigint('uncollected_mrp', { mode: 'bigint' }).notNull().default(sql`0`),
    latencyMs: integer('latency_ms'),
    ttfbMs: integer('ttfb_ms'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    /** Request parameters that are not content (size, n, seconds, stream...). */
    params: jsonb('params').$type<Record<string, unknown>>(),
    prompt: jsonb('prompt'),
    output: jsonb('output'),
    contentPurgedAt: timestamp('content_purged_at', { withTimezone: true }),
    legalHold: boolean('legal_hold').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('jobs_account_created_idx').on(t.accountId, t.createdAt),
    index('jobs_created_idx').on(t.createdAt),
    index('jobs_provider_task_idx').on(t.providerTaskId).where(sql`${t.providerTaskId} IS NOT NULL`),
    /** Removing a revoked key checks and clears the jobs that name it. */
    index('jobs_api_key_idx').on(t.apiKeyId).where(sql`${t.apiKeyId} IS NOT NULL`),
    /** Retention finds jobs whose content is still stored without rescanning purged history. */
    /** Operators list the jobs that left money uncollected. */
    index('jobs_uncollected_idx').on(t.createdAt).where(sql`${t.uncollectedMrp} > 0`),
    /** The hold sweeper finds a hold's job. */
    index('jobs_hold_idx').on(t.holdId).where(sql`${t.holdId} IS NOT NULL`),
    index('jobs_content_retained_idx').on(t.createdAt).where(sql`${t.contentPurgedAt} IS NULL`),
  ],
);

/** Files in storage (uploads and outputs), so retention can find and delete them. */
export const mediaFiles = pgTable(
  'media_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    jobId: uuid('job_id').references(() => jobs.id),
    kind: text('kind', { enum: ['upload', 'output'] }).notNull(),
    storageKey: text('storage_key').notNull(),
    contentType: text('content_type').notNull(),
    bytes: integer('bytes').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    index('media_files_created_idx').on(t.createdAt),
    index('media_files_job_idx').on(t.jobId),
    /** Retention finds files still in storage without rescanning deleted ones. */
    index('media_files_stored_idx').on(t.createdAt).where(sql`${t.deletedAt} IS NULL`),
  ],
);
