import type { Database } from '../../db/index.js';
import { type JobRow, type JobStatus, type Jobs, jsonbSafe } from '../jobs/index.js';

/**
 * The `jobs` and `media_files` rows of media jobs. The row, not the queue, is the source of truth:
 * every write here is conditional on the row not being finished yet, so a task that runs twice (a
 * crashed worker, a duplicate webhook) cannot move a finished job or record its files twice.
 *
 * Checkpoints a rerun resumes from: `provider_task_id` (submitted upstream: poll, never submit
 * again), `units` (files stored: only the money and the status are left), `error_code` with a
 * non-terminal status (failure decided: only the release and the status are left).
 */

export type MediaKind = 'image' | 'image_edit' | 'video';

export const TERMINAL: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'refused', 'cancelled']);

export interface StoredOutput {
  key: string;
  contentType: string;
  bytes: number;
  width?: number;
  height?: number;
}

export interface JobOutput {
  files: StoredOutput[];
  revisedPrompt?: string;
}

/** Request parameters kept on the row (not content). */
export interface MediaJobParams {
  n?: number;
  size?: string;
  seconds?: number;
  quality?: string;
  outputFormat?: 'png' | 'jpeg' | 'webp';
  background?: 'transparent' | 'opaque' | 'auto';
  style?: 'vivid' | 'natural';
  /** Storage keys of the sanitized uploads: input images in order, then the mask. */
  uploads?: string[];
  maskKey?: string;
  /** Where a bot wants the result delivered (opaque to this module). */
  replyTo?: Record<string, unknown>;
  /** Index into the model's active routes chosen at submit (task providers). */
  routeIndex?: number;
}

export type MediaJobRow = Omit<JobRow, 'params' | 'kind'> & {
  kind: MediaKind;
  params: MediaJobParams;
};

const MEDIA_KINDS: string[] = ['image', 'image_edit', 'video'];

function toMediaRow(row: JobRow): MediaJobRow {
  return { ...row, kind: row.kind as MediaKind, params: (row.params ?? {}) as MediaJobParams };
}

/** Row access media jobs need beyond core/jobs: conditional transitions and file records. */
export function createMediaJobs(db: Database, jobs: Jobs) {
  const { sql } = db;

  return {
    async get(id: string): Promise<MediaJobRow | undefined> {
      if (!isUuid(id)) return undefined;
      const row = await jobs.get(id);
      return row && MEDIA_KINDS.includes(row.kind) ? toMediaRow(row) : undefined;
    },

    async findByProviderTask(provider: string, taskId: string): Promise<MediaJobRow | undefined> {
      const [row] = await sql<{ id: string }[]>`
        SELECT id FROM jobs WHERE provider_task_id = ${taskId} AND provider = ${provider}
        AND kind IN ${sql(MEDIA_KINDS)} ORDER BY created_at DESC LIMIT 1`;
      return row ? this.get(row.id) : undefined;
    },

    /** Marks the job running (first start only); false when it has already finished. */
    async claim(id: string, now: Date): Promise<boolean> {
      const rows = await sql`
        UPDATE jobs SET status = 'running', started_at = COALESCE(started_at, ${now})
        WHERE id = ${id} AND status IN ('queued', 'running') RETURNING id`;
      return rows.length > 0;
    },

    /**
     * Records the upstream task once. Returns the task id the row holds afterwards: ours, or the one
     * a concurrent run stored first.
     */
    async recordTask(id: string, provider: string, taskId: string): Promise<string> {
      const [row] = await sql<{ provider_task_id: string }[]>`
        UPDATE jobs SET provider = ${provider}, provider_task_id = COALESCE(provider_task_id, ${taskId})
        WHERE id = ${id} RETURNING provider_task_id`;
      return row?.provider_task_id ?? taskId;
    },

    async recordProvider(id: string, provider: string): Promise<void> {
      await sql`UPDATE jobs SET provider = ${provider} WHERE id = ${id}`;
    },

    /** Progress only moves forward, and only while the job runs. */
    async progress(id: string, percent: number): Promise<void> {
      const value = Math.max(0, Math.min(99, Math.round(percent)));
      await sql`
        UPDATE jobs SET progress = GREATEST(progress, ${value})
        WHERE id = ${id} AND status IN ('queued', 'running')`;
    },

    /**
     * Records stored files once: the job row is locked, a media_files row is added only for keys not
     * recorded yet, and `units` (the checkpoint "outputs stored") is written in the same transaction.
     * The output summary is content, so it is not kept for zero-retention accounts.
     */
    async recordOutputs(
      job: { id: string; accountId: string },
      output: JobOutput,
      units: number,
    ): Promise<boolean> {
      return sql.begin(async (tx) => {
        const [locked] = await tx<{ status: JobStatus; units: number | null }[]>`
          SELECT status, units FROM jobs WHERE id = ${job.id} FOR UPDATE`;
        if (!locked || TERMINAL.has(locked.status) || locked.units !== null) return false;
        for (const file of output.files) {
          await tx`
            INSERT INTO media_files (account_id, job_id, kind, storage_key, content_type, bytes)
            SELECT ${job.accountId}, ${job.id}, 'output', ${file.key}, ${file.contentType}, ${file.bytes}
            WHERE NOT EXISTS (SELECT 1 FROM media_files WHERE job_id = ${job.id} AND storage_key = ${file.key})`;
        }
        await tx`
          UPDATE jobs SET units = ${units},
            output = CASE WHEN (SELECT zero_retention FROM accounts WHERE id = jobs.account_id) THEN NULL
                          ELSE ${tx.json(jsonbSafe(output) as never)}::jsonb END
          WHERE id = ${job.id}`;
        return true;
      });
    },

    async recordUploads(
      job: { id: string; accountId: string },
      files: Array<{ key: string; contentType: string; bytes: number }>,
    ): Promise<void> {
      for (const file of files) {
        await sql`
          INSERT INTO media_files (account_id, job_id, kind, storage_key, content_type, bytes)
          VALUES (${job.accountId}, ${job.id}, 'upload', ${file.key}, ${file.contentType}, ${file.bytes})`;
      }
    },

    /** Names the stored uploads on the row, for the worker to send upstream. */
    async recordUploadKeys(id: string, uploads: string[], maskKey: string | undefined): Promise<void> {
      const added = { uploads, ...(maskKey === undefined ? {} : { maskKey }) };
      await sql`UPDATE jobs SET params = COALESCE(params, '{}'::jsonb) || ${sql.json(added)}::jsonb WHERE id = ${id}`;
    },

    /** The failure checkpoint: the reason is kept before the hold is released. */
    async recordFailure(id: string, code: string, message: string): Promise<void> {
      await sql`
        UPDATE jobs SET error_code = COALESCE(error_code, ${code}), error_message = COALESCE(error_message, ${message})
        WHERE id = ${id} AND status IN ('queued', 'running')`;
    },

    async finishSucceeded(id: string, costMrp: bigint, now: Date): Promise<void> {
      await sql`
        UPDATE jobs SET status = 'succeeded', progress = 100, cost_mrp = ${costMrp}, finished_at = ${now},
          latency_ms = (EXTRACT(EPOCH FROM (${now}::timestamptz - created_at)) * 1000)::int
        WHERE id = ${id} AND status IN ('queued', 'running')`;
    },

    async finishFailed(id: string, status: 'failed' | 'refused', now: Date): Promise<void> {
      await sql`
        UPDATE jobs SET status = ${status}, cost_mrp = 0, finished_at = ${now},
          latency_ms = (EXTRACT(EPOCH FROM (${now}::timestamptz - created_at)) * 1000)::int
        WHERE id = ${id} AND status IN ('queued', 'running')`;
    },

    /** Output files of a job still in storage, in output order. */
    async outputFiles(id: string): Promise<StoredOutput[]> {
      const rows = await sql<{ storage_key: string; content_type: string; bytes: number }[]>`
        SELECT storage_key, content_type, bytes FROM media_files
        WHERE job_id = ${id} AND kind = 'output' AND deleted_at IS NULL
        ORDER BY length(storage_key), storage_key`;
      return rows.map((r) => ({ key: r.storage_key, contentType: r.content_type, bytes: r.bytes }));
    },

    /** Whether `key` is a live file of this account (files are served only when recorded here). */
    async fileOwner(key: string): Promise<{ accountId: string; contentType: string } | undefined> {
      const [row] = await sql<{ account_id: string; content_type: string }[]>`
        SELECT account_id, content_type FROM media_files WHERE storage_key = ${key} AND deleted_at IS NULL LIMIT 1`;
      return row ? { accountId: row.account_id, contentType: row.content_type } : undefined;
    },
  };
}

export type MediaJobs = ReturnType<typeof createMediaJobs>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
