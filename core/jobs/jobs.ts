import type postgres from 'postgres';
import type { Database, Executor } from '../../db/index.js';
import type { PriceSnapshot, ProviderAttempt } from '../../db/schema/jobs.js';
import type { Clock } from '../ports/clock.js';
import { jsonbSafe } from './jsonb-safe.js';

/** A part of a statement (postgres.js fragment), placed into another one. */
type Fragment = postgres.PendingQuery<postgres.Row[]>;

export type JobChannel = 'api' | 'telegram' | 'slack' | 'discord';
export type JobKind = 'chat' | 'embedding' | 'image' | 'image_edit' | 'video' | 'transcription';
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'refused' | 'cancelled';

export interface StartJobInput {
  /** A caller-chosen id (e.g. to name a hold before the row exists); generated when absent. */
  id?: string;
  accountId: string;
  apiKeyId?: string;
  channel: JobChannel;
  kind: JobKind;
  /** Our catalog model id. */
  model: string;
  price?: PriceSnapshot;
  holdId?: string;
  /** Non-content request parameters (stream, max tokens, size, n...). */
  params?: Record<string, unknown>;
  /** Content: stored for the retention window, never for zero-retention accounts. */
  prompt?: unknown;
  /** 'running' (default) for work that starts now, 'queued' for queued work. */
  status?: 'queued' | 'running';
}

export interface JobUsage {
  inputTokens?: number;
  outputTokens?: number;
  cachedTokens?: number;
  reasoningTokens?: number;
  /** Images produced or video seconds. */
  units?: number;
  estimated?: boolean;
}

export interface FinishJobInput {
  status: Exclude<JobStatus, 'queued' | 'running'>;
  /** The provider that produced the answer (or the last one tried). */
  provider?: string;
  attempts?: ProviderAttempt[];
  usage?: JobUsage;
  costMrp?: bigint;
  /** What the account could not cover at settle (see the metered-job core). */
  uncollectedMrp?: bigint;
  holdId?: string;
  latencyMs?: number;
  ttfbMs?: number;
  errorCode?: string;
  errorMessage?: string;
  /** Content: written only when the account is not zero-retention (checked in the same statement). */
  output?: unknown;
  params?: Record<string, unknown>;
}

export interface JobRow {
  id: string;
  accountId: string;
  apiKeyId: string | null;
  channel: JobChannel;
  kind: JobKind;
  model: string;
  status: JobStatus;
  provider: string | null;
  attempts: ProviderAttempt[];
  inputTokens: number | null;
  outputTokens: number | null;
  cachedTokens: number | null;
  reasoningTokens: number | null;
  units: number | null;
  usageEstimated: boolean;
  price: PriceSnapshot | null;
  holdId: string | null;
  costMrp: bigint | null;
  /** What the account could not cover at settle (0 when fully charged). */
  uncollectedMrp: bigint;
  latencyMs: number | null;
  ttfbMs: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  params: Record<string, unknown> | null;
  prompt: unknown;
  output: unknown;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** Error texts on job rows are for support; keep them short so a huge upstream body never lands there. */
const MAX_ERROR_MESSAGE = 500;

function toRow(r: Record<string, unknown>): JobRow {
  return {
    id: r.id as string,
    accountId: r.account_id as string,
    apiKeyId: (r.api_key_id as string | null) ?? null,
    channel: r.channel as JobChannel,
    kind: r.kind as JobKind,
    model: r.model as string,
    status: r.status as JobStatus,
    provider: (r.provider as string | null) ?? null,
    attempts: (r.attempts as ProviderAttempt[]) ?? [],
    inputTokens: (r.input_tokens as number | null) ?? null,
    outputTokens: (r.output_tokens as number | null) ?? null,
    cachedTokens: (r.cached_tokens as number | null) ?? null,
    reasoningTokens: (r.reasoning_tokens as number | null) ?? null,
    units: (r.units as number | null) ?? null,
    usageEstimated: r.usage_estimated as boolean,
    price: (r.price as PriceSnapshot | null) ?? null,
    holdId: (r.hold_id as string | null) ?? null,
    costMrp: (r.cost_mrp as bigint | null) ?? null,
    uncollectedMrp: (r.uncollected_mrp as bigint | null) ?? 0n,
    latencyMs: (r.latency_ms as number | null) ?? null,
    ttfbMs: (r.ttfb_ms as number | null) ?? null,
    errorCode: (r.error_code as string | null) ?? null,
    errorMessage: (r.error_message as string | null) ?? null,
    params: (r.params as Record<string, unknown> | null) ?? null,
    prompt: r.prompt ?? null,
    output: r.output ?? null,
    createdAt: r.created_at as Date,
    startedAt: (r.started_at as Date | null) ?? null,
    finishedAt: (r.finished_at as Date | null) ?? null,
  };
}

/**
 * The record of every request (chat, image, edit, video) from every channel. Content (`prompt`,
 * `output`) is written by the same statement that reads the account's `zero_retention` flag, so a
 * zero-retention account never has content stored, even if the flag flips mid-request.
 */
export function createJobs(db: Database, clock: Clock) {
  const { sql } = db;
  // Every JSON column goes through jsonbSafe: a NUL or a lone surrogate in content must not fail the write.
  const json = (value: unknown) => sql.json(jsonbSafe(value) as never);

  function insertFrom(q: Executor, input: StartJobInput, from: Fragment) {
    const now = clock.now();
    const status = input.status ?? 'running';
    return q`
      INSERT INTO jobs (id, account_id, api_key_id, channel, kind, model, status, price, hold_id, params,
                        prompt, created_at, started_at)
      SELECT COALESCE(${input.id ?? null}::uuid, gen_random_uuid()), a.id, ${input.apiKeyId ?? null}::uuid, ${input.channel}, ${input.kind}, ${input.model},
             ${status}, ${input.price ? json(input.price) : null}::jsonb, ${input.holdId ?? null}::uuid,
             ${input.params ? json(input.params) : null}::jsonb,
             CASE WHEN a.zero_retention THEN NULL ELSE ${input.prompt === undefined ? null : json(input.prompt)}::jsonb END,
             ${now}, ${status === 'running' ? now : null}::timestamptz
      ${from}
      RETURNING id, (SELECT zero_retention FROM accounts WHERE id = ${input.accountId}) AS zero_retention`;
  }

  function finishAssignments(
    q: Executor,
    input: FinishJobInput,
    charge?: { costMrp: Fragment; uncollectedMrp: Fragment },
  ) {
    const usage = input.usage ?? {};
    const message = input.errorMessage === undefined ? null : input.errorMessage.slice(0, MAX_ERROR_MESSAGE);
    return q`
      status = ${input.status},
      provider = COALESCE(${input.provider ?? null}, provider),
      attempts = attempts || ${json(input.attempts ?? [])}::jsonb,
      input_tokens = COALESCE(${usage.inputTokens ?? null}::int, input_tokens),
      output_tokens = COALESCE(${usage.outputTokens ?? null}::int, output_tokens),
      cached_tokens = COALESCE(${usage.cachedTokens ?? null}::int, cached_tokens),
      reasoning_tokens = COALESCE(${usage.reasoningTokens ?? null}::int, reasoning_tokens),
      units = COALESCE(${usage.units ?? null}::int, units),
      usage_estimated = ${usage.estimated ?? false} OR usage_estimated,
      cost_mrp = ${charge ? charge.costMrp : q`COALESCE(${input.costMrp ?? null}::bigint, cost_mrp)`},
      uncollected_mrp = ${charge ? charge.uncollectedMrp : q`COALESCE(${input.uncollectedMrp ?? null}::bigint, uncollected_mrp)`},
      hold_id = COALESCE(${input.holdId ?? null}::uuid, hold_id),
      latency_ms = COALESCE(${input.latencyMs ?? null}::int, latency_ms),
      ttfb_ms = COALESCE(${input.ttfbMs ?? null}::int, ttfb_ms),
      error_code = ${input.errorCode ?? null},
      error_message = ${message},
      params = CASE WHEN ${input.params ? json(input.params) : null}::jsonb IS NULL THEN params
                    ELSE COALESCE(params, '{}'::jsonb) || ${input.params ? json(input.params) : null}::jsonb END,
      output = CASE WHEN (SELECT zero_retention FROM accounts WHERE id = jobs.account_id) THEN NULL
                    ELSE COALESCE(${input.output === undefined ? null : json(input.output)}::jsonb, output) END,
      finished_at = ${clock.now()}`;
  }

  return {
    /** Creates the job row; `storesContent` says whether content was (and will be) kept. */
    async start(input: StartJobInput): Promise<{ id: string; storesContent: boolean }> {
      const rows = await sql<{ id: string; zero_retention: boolean }[]>`
        ${insertFrom(sql, input, sql`FROM accounts a WHERE a.id = ${input.accountId}`)}`;
      if (rows.length === 0) throw new Error(`job for unknown account ${input.accountId}`);
      return { id: rows[0]!.id, storesContent: !rows[0]!.zero_retention };
    },

    /**
     * The job row's INSERT as a statement part, for a caller that writes it in the same statement
     * as its hold (metered-jobs): rows come from `from`, which names the account as `a`; it
     * returns `id` and `zero_retention`.
     */
    insertFrom,

    /** Appends one upstream attempt (for long jobs that want attempts visible while running). */
    async addAttempt(jobId: string, attempt: ProviderAttempt): Promise<void> {
      await sql`UPDATE jobs SET attempts = attempts || ${json([attempt])}::jsonb WHERE id = ${jobId}`;
    },

    async markRunning(jobId: string, fields: { provider?: string; providerTaskId?: string } = {}) {
      await sql`
        UPDATE jobs SET status = 'running', started_at = COALESCE(started_at, ${clock.now()}),
          provider = COALESCE(${fields.provider ?? null}, provider),
          provider_task_id = COALESCE(${fields.providerTaskId ?? null}, provider_task_id)
        WHERE id = ${jobId}`;
    },

    async setProgress(jobId: string, percent: number): Promise<void> {
      const clamped = Math.max(0, Math.min(100, Math.round(percent)));
      await sql`UPDATE jobs SET progress = ${clamped} WHERE id = ${jobId}`;
    },

    /**
     * Records the outcome. `attempts`, when given, are appended to any recorded before. Fields left
     * undefined keep their value. Output is dropped for zero-retention accounts.
     */
    async finish(jobId: string, input: FinishJobInput): Promise<void> {
      await sql`UPDATE jobs SET ${finishAssignments(sql, input)} WHERE id = ${jobId}`;
    },

    /**
     * The SET list of `finish`, as a statement part, for a caller that finishes the job in the
     * same statement as its settle (metered-jobs); `charge` gives cost and uncollected as SQL
     * expressions of that statement instead of `input.costMrp` and `input.uncollectedMrp`.
     */
    finishAssignments,

    /** Records what the ledger charged and what it could not collect. */
    async recordCharge(jobId: string, chargedMrp: bigint, uncollectedMrp: bigint): Promise<void> {
      await sql`UPDATE jobs SET cost_mrp = ${chargedMrp}, uncollected_mrp = ${uncollectedMrp} WHERE id = ${jobId}`;
    },

    async get(jobId: string): Promise<JobRow | undefined> {
      const [row] = await sql`SELECT * FROM jobs WHERE id = ${jobId}`;
      return row ? toRow(row) : undefined;
    },

    /** An account's jobs, newest first (support pages, usage views). */
    async listForAccount(accountId: string, options: { limit?: number; before?: Date } = {}) {
      const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
      const rows = await sql`
        SELECT * FROM jobs WHERE account_id = ${accountId}
          AND (${options.before ?? null}::timestamptz IS NULL OR created_at < ${options.before ?? null}::timestamptz)
        ORDER BY created_at DESC LIMIT ${limit}`;
      return rows.map(toRow);
    },
  };
}

export type Jobs = ReturnType<typeof createJobs>;
