import type { Sql } from '../../db/index.js';
import type { Clock } from '../ports/clock.js';
import type { Storage } from '../ports/storage.js';
import { cutoff, type RetentionPolicy } from './policy.js';
import type { RetentionReport } from './runner.js';

const FILE_BATCH = 500;
const FILE_DELETE_CONCURRENCY = 8;

/** Runs one statement, measures it, and returns how many rows it touched. */
export type Timed = <T extends { length: number } | { count: number }>(
  step: string,
  statement: () => Promise<T>,
) => Promise<number>;

/**
 * Files in storage: deleted through the Storage port (local disk or S3), then marked
 * `media_files.deleted_at`. A file storage refuses to delete stays unmarked and is tried again on
 * the next run.
 */
export function createFileRetention(deps: {
  sql: Sql;
  clock: Clock;
  storage?: Storage;
  policy: RetentionPolicy;
}) {
  const { sql, policy } = deps;

  async function deleteAged(before: Date, now: Date, report: RetentionReport, timed: Timed): Promise<void> {
    const storage = deps.storage;
    if (!storage) return;
    // Keyset cursor, so files storage refused this time are not fetched again in a loop.
    let cursor: { at: Date; id: string } = { at: new Date(0), id: '00000000-0000-0000-0000-000000000000' };
    for (;;) {
      let files: { id: string; storage_key: string; created_at: Date }[] = [];
      await timed('media_files.select', async () => {
        files = await sql<{ id: string; storage_key: string; created_at: Date }[]>`
          SELECT m.id, m.storage_key, m.created_at FROM media_files m
          WHERE m.deleted_at IS NULL AND m.created_at < ${before}
            AND (m.created_at, m.id) > (${cursor.at}, ${cursor.id}::uuid)
            AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = m.job_id AND j.legal_hold)
            AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = m.account_id AND a.legal_hold)
          ORDER BY m.created_at, m.id LIMIT ${FILE_BATCH}`;
        return files;
      });
      if (files.length === 0) return;
      const last = files.at(-1)!;
      cursor = { at: last.created_at, id: last.id };
      const deleted: string[] = [];
      await forEachLimited(files, FILE_DELETE_CONCURRENCY, async (file) => {
        try {
          await storage.delete(file.storage_key);
          deleted.push(file.id);
        } catch {
          report.mediaFileErrors += 1;
        }
      });
      if (deleted.length > 0) {
        report.mediaFiles += await timed(
          'media_files.mark',
          () => sql`
          UPDATE media_files SET deleted_at = ${now} WHERE id = ANY(${sql.array(deleted)}::uuid[]) AND deleted_at IS NULL`,
        );
      }
      if (files.length < FILE_BATCH) return;
    }
  }

  /**
   * Zero-retention accounts keep no uploads: the files a finished job received are deleted as soon as
   * a sweep sees the job ended (the worker runs this every few minutes). Outputs stay for delivery
   * and follow the normal 30-day rule; held jobs and accounts are skipped. Returns files deleted.
   */
  async function purgeZeroRetentionUploads(): Promise<number> {
    const storage = deps.storage;
    if (!storage) return 0;
    const now = deps.clock.now();
    let total = 0;
    for (;;) {
      const files = await sql<{ id: string; storage_key: string }[]>`
        SELECT m.id, m.storage_key FROM media_files m
        JOIN accounts a ON a.id = m.account_id AND a.zero_retention AND NOT a.legal_hold
        JOIN jobs j ON j.id = m.job_id
          AND j.status IN ('succeeded', 'failed', 'refused', 'cancelled') AND NOT j.legal_hold
        WHERE m.kind = 'upload' AND m.deleted_at IS NULL
          AND m.created_at > ${cutoff(now, policy.mediaFileDays + 1)}
        ORDER BY m.created_at LIMIT ${FILE_BATCH}`;
      if (files.length === 0) return total;
      const deleted: string[] = [];
      await forEachLimited(files, FILE_DELETE_CONCURRENCY, async (file) => {
        await storage.delete(file.storage_key).then(
          () => deleted.push(file.id),
          () => {},
        );
      });
      if (deleted.length > 0) {
        await sql`UPDATE media_files SET deleted_at = ${now} WHERE id = ANY(${sql.array(deleted)}::uuid[])`;
      }
      total += deleted.length;
      // Files storage refused stay for the next sweep rather than spinning here.
      if (files.length < FILE_BATCH || deleted.length < files.length) return total;
    }
  }

  return { deleteAged, purgeZeroRetentionUploads };
}

export type FileRetention = ReturnType<typeof createFileRetention>;

export async function forEachLimited<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  });
  await Promise.all(workers);
}
