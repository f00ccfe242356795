import { randomUUID } from 'node:crypto';
import { createGroupCommit, type Database, type Executor, type GroupCommitOptions } from '../../db/index.js';
import type { FinishJobInput, JobKind, Jobs, StartJobInput } from '../jobs/index.js';
import {
  type Fragment,
  type Ledger,
  type PlainSettleRow,
  plainHoldSteps,
  plainSettled,
  plainSettleStatement,
} from '../ledger/index.js';
import type { Clock } from '../ports/clock.js';
import { contentLargerThan } from './content-size.js';

/**
 * The metered-job core: the one place where money meets a job, for chat and media alike.
 *
 *   const job = await metered.open({ ...jobFields, holdMrp, holdTtlMs });   // hold, then the job row
 *   const { chargedMrp, uncollectedMrp } = await metered.settle(job, costMrp, reason, finish?);
 *   await metered.release(job);                                             // failures, refusals
 *   await metered.sweep();                                                  // the maintenance task
 *
 * Contract:
 * - `open` holds `holdMrp` first, then writes the job row naming the hold. The hold is the caller's
 *   true upper bound of the cost (see chat-metering, media-request). An `insufficient_balance`
 *   refusal is thrown before anything is written (nothing is stored for a request that never ran);
 *   if the row cannot be written the hold is released (compensation). Large content (a prompt of
 *   megabytes) is sent to the database only after its hold succeeded: a refused request never
 *   costs the serialization of content that will not be stored.
 *   A job with an API key is held against the key's spend limits in the same transaction, after its
 *   model and kind pass the key's allow-lists (`forbidden`, `key_limit_reached`: nothing written).
 * - `settle` charges the real cost once (the first settle wins; later calls charge nothing and
 *   report what the first one did). The cost is taken from the hold and, above it, from the
 *   account's free balance; what the account cannot cover is written on the job row as
 *   `uncollected_mrp` and the balance stops at 0, never below. The job row's `cost_mrp` is what
 *   was really charged.
 *   With `finish` (the job's outcome), the job row is finished with the charge in one statement.
 * - `release` frees the hold without charging (failed work, safety refusals, our own errors).
 * - A hold lives as long as its job: `sweep` resolves only expired holds whose job ended or is
 *   provably dead. A job that succeeded is settled at its recorded cost (a success always charges);
 *   any other ended job's hold is released. A queued or running media job keeps its hold however
 *   long it waits; it is dead only past `mediaDeadAfterMs` (beyond any queue wait plus the longest
 *   task the runner allows, which fails and releases on its own). A chat job runs inside one process
 *   for at most its hold's lifetime, so a running chat job with an expired hold is a crashed one.
 *   Dead jobs are ended `failed` and their holds released.
 *
 * Group commit (the hot path): `open` and `settle` (with `finish`) of concurrent requests are
 * written as batches, one transaction each (db/group-commit.ts), every request's work one statement
 * that does all of it or nothing (ledger/plain-statements.ts: the hold with its job row; the
 * settle with the job's finish). A request is answered only after its batch committed. A request
 * that statement could not serve (a key with limits or refused, a balance too small, a hold
 * already resolved), or every request of a batch whose transaction failed (nothing of it was
 * written), then takes the one-request path above, which decides and names the reason: one
 * request's refusal never fails another's. A batch first locks all its rows in the one order of
 * every money transaction (holds, keys, accounts; each by id), so no two wait on each other.
 */

export interface OpenMeteredJob extends Omit<StartJobInput, 'holdId'> {
  holdMrp: bigint;
  holdTtlMs: number;
}

export interface MeteredJob {
  jobId: string;
  holdId: string;
  accountId: string;
  /** False for zero-retention accounts: their content is not on the row. */
  storesContent: boolean;
}

export interface Charge {
  chargedMrp: bigint;
  uncollectedMrp: bigint;
}

export interface UncollectedJob {
  jobId: string;
  accountId: string;
  kind: JobKind;
  model: string;
  channel: string;
  chargedMrp: bigint | null;
  uncollectedMrp: bigint;
  createdAt: Date;
}

export interface UncollectedReport {
  /** Every job that left money uncollected, and the sum. */
  jobs: number;
  totalMrp: bigint;
  recent: UncollectedJob[];
}

export interface MeteredJobsOptions {
  /** When a queued or running media job whose hold expired is taken as dead. */
  mediaDeadAfterMs?: number;
  /** Group commit of opens and settles (db/group-commit.ts); off: one transaction per request. */
  groupCommit?: GroupCommitOptions | false;
}

type Finish = Omit<FinishJobInput, 'costMrp' | 'uncollectedMrp'>;

interface SettleItem {
  job: { jobId: string; holdId: string; accountId: string };
  costMrp: bigint;
  reason: string | undefined;
  finish: Finish;
}

const DEFAULT_MEDIA_DEAD_AFTER_MS = 24 * 60 * 60_000;
/**
 * Content above this (about its JSON size) takes the hold-first path instead of the batched
 * statement, which would send it along with a hold that may be refused (writing megabytes as a
 * statement parameter blocks this thread for tens of milliseconds).
 */
const BATCHED_CONTENT_LIMIT = 64 * 1024;
const SWEEP_BATCH = 500;

export function createMeteredJobs(
  deps: { db: Database; ledger: Ledger; jobs: Jobs; clock: Clock },
  options: MeteredJobsOptions = {},
) {
  const { ledger, jobs, clock } = deps;
  const { sql } = deps.db;
  const mediaDeadAfterMs = options.mediaDeadAfterMs ?? DEFAULT_MEDIA_DEAD_AFTER_MS;

  /**
   * Runs `locks` then one statement per item in one transaction; results in item order. `locks`
   * takes every row the statements will lock, up front, in one global order (hold rows, then key
   * rows, then account rows, each by id: the order of every other money transaction), so batches
   * in several processes and the one-request paths never wait on each other in a cycle.
   *
   * BEGIN, the statements and COMMIT are written to one connection at once (pipelined), so the
   * rows stay locked for PostgreSQL's own work only, never for a round trip to this process or
   * its event loop's delay (one account's hot row is locked by every batch of every process). A
   * failing statement aborts the transaction; the statements after it fail too and the COMMIT
   * ends it as a rollback, so a batch writes all of its statements or nothing.
   */
  async function inOneTransaction<T, R>(
    items: T[],
    flush: 'wait for the disk' | 'let the WAL writer flush',
    locks: (q: Executor) => Fragment[],
    statement: (q: Executor, item: T) => Promise<R[]>,
  ): Promise<(R | undefined)[]> {
    const conn = await sql.reserve().catch(() => undefined);
    let rows: R[][] | undefined;
    if (conn) {
      try {
        const statements = [
          ...(flush === 'wait for the disk' ? [] : [conn`SET LOCAL synchronous_commit TO off`]),
          ...locks(conn),
          ...items.map((item) => statement(conn, item)),
        ];
        // allSettled starts them in this order; every one is answered before the connection is reused.
        const results = await Promise.allSettled([conn`BEGIN`, ...statements, conn`COMMIT`]);
        if (results.every((r) => r.status === 'fulfilled')) {
          rows = results.slice(-1 - items.length, -1).map((r) => (r as PromiseFulfilledResult<R[]>).value);
        }
      } finally {
        conn.release();
      }
    }
    counts.batches += 1;
    if (!rows) counts.failedBatches += 1;
    return items.map((_, i) => rows?.[i]?.[0]);
  }

  /** The lock statements of a batch of holds: its keys, then its accounts. */
  const holdLocks = (tx: Executor, keyIds: string[], accountIds: string[]): Fragment[] => [
    ...(keyIds.length === 0
      ? []
      : [tx`SELECT 1 FROM api_keys WHERE id IN ${tx([...new Set(keyIds)])} ORDER BY id FOR NO KEY UPDATE`]),
    tx`SELECT 1 FROM accounts WHERE id IN ${tx([...new Set(accountIds)])} ORDER BY id FOR NO KEY UPDATE`,
  ];

  /** The lock statements of a batch of settles: its holds, their keys, then their accounts. */
  const settleLocks = (tx: Executor, holdIds: string[]): Fragment[] => {
    const holds = () => tx([...new Set(holdIds)]);
    return [
      tx`SELECT 1 FROM holds WHERE id IN ${holds()} ORDER BY id FOR UPDATE`,
      tx`SELECT 1 FROM api_keys WHERE id IN (SELECT api_key_id FROM holds WHERE id IN ${holds()})
         ORDER BY id FOR NO KEY UPDATE`,
      tx`SELECT 1 FROM accounts WHERE id IN (SELECT account_id FROM holds WHERE id IN ${holds()})
         ORDER BY id FOR NO KEY UPDATE`,
    ];
  };

  /** What group commit did so far in this process (tests, operators). */
  const counts = { batches: 0, failedBatches: 0, batched: 0, oneByOne: 0 };
  const batching = options.groupCommit !== false;
  const groupOptions = options.groupCommit || {};
  const opens = createGroupCommit<OpenMeteredJob & { jobId: string }, MeteredJob | undefined>(
    async (items) => {
      const now = clock.now();
      // A hold is committed without waiting for its WAL to reach the disk (the row lock is freed
      // sooner and the request goes upstream ~one disk flush earlier). Nothing acknowledged rests
      // on it: an app crash loses no committed transaction, and WAL is flushed in order, so the
      // durable commit of the request's settle also makes its hold and job row durable. Only a
      // crash of PostgreSQL itself within the WAL writer's delay can lose a hold, and then the
      // settle finds no hold and charges nothing (the answer of a request in flight goes unbilled).
      const rows = await inOneTransaction(
        items,
        'let the WAL writer flush',
        (tx) =>
          holdLocks(
            tx,
            items.flatMap((i) => (i.apiKeyId ? [i.apiKeyId] : [])),
            items.map((i) => i.accountId),
          ),
        (tx: Executor, item) => {
          const { holdMrp, holdTtlMs, jobId, ...fields } = item;
          const holdId = randomUUID();
          return tx<{ id: string; zero_retention: boolean; hold_id: string }[]>`
            WITH ${plainHoldSteps(tx, {
              holdId,
              accountId: fields.accountId,
              amountMrp: holdMrp,
              reference: `job:${jobId}`,
              ...(fields.apiKeyId
                ? { key: { keyId: fields.apiKeyId, model: fields.model, kind: fields.kind } }
                : {}),
              expiresAt: new Date(now.getTime() + holdTtlMs),
              now,
            })},
            job AS (${jobs.insertFrom(tx, { ...fields, id: jobId, holdId }, tx`FROM hold JOIN accounts a ON a.id = hold.account_id`)})
            SELECT id, zero_retention, ${holdId}::uuid AS hold_id FROM job`;
        },
      );
      return rows.map((row, i) =>
        row
          ? {
              jobId: items[i]!.jobId,
              holdId: row.hold_id,
              accountId: items[i]!.accountId,
              storesContent: !row.zero_retention,
            }
          : undefined,
      );
    },
    groupOptions,
  );
  const settles = createGroupCommit<SettleItem, ReturnType<typeof plainSettled>>(async (items) => {
    const now = clock.now();
    // A charge is acknowledged to its client only once it is on disk.
    const rows = await inOneTransaction(
      items,
      'wait for the disk',
      (tx) =>
        settleLocks(
          tx,
          items.map((i) => i.job.holdId),
        ),
      (tx, { job, costMrp, reason, finish }) =>
        tx<PlainSettleRow[]>`
            ${plainSettleStatement(
              tx,
              { holdId: job.holdId, actualMrp: costMrp, reason: reason ?? null, now },
              (charge: Fragment) => tx`
              job AS (
                UPDATE jobs SET ${jobs.finishAssignments(tx, finish, { costMrp: charge, uncollectedMrp: tx`${costMrp}::bigint - ${charge}` })}
                WHERE id = ${job.jobId} AND ${charge} IS NOT NULL)`,
            )}`,
    );
    return rows.map((row, i) => plainSettled(row, items[i]!.costMrp));
  }, groupOptions);

  async function settle(
    job: { jobId: string; holdId: string; accountId?: string },
    costMrp: bigint,
    reason?: string,
    finish?: Finish,
  ): Promise<Charge> {
    if (batching && finish && job.accountId !== undefined && costMrp >= 0n) {
      const done = await settles.submit({
        job: { jobId: job.jobId, holdId: job.holdId, accountId: job.accountId },
        costMrp,
        reason,
        finish,
      });
      if (done) {
        counts.batched += 1;
        return { chargedMrp: done.chargedMrp, uncollectedMrp: done.uncollectedMrp };
      }
    }
    counts.oneByOne += 1;
    return settleOne(job, costMrp, reason, finish);
  }

  /** The one-request settle (see the contract). */
  async function settleOne(
    job: { jobId: string; holdId: string },
    costMrp: bigint,
    reason?: string,
    finish?: Finish,
  ): Promise<Charge> {
    const result = await ledger.settle(job.holdId, costMrp, reason);
    if (result.outcome === 'settled') {
      const charge = { costMrp: result.chargedMrp, uncollectedMrp: result.uncollectedMrp };
      // With the job's outcome: one statement records both (the charge is already durable).
      if (finish) await jobs.finish(job.jobId, { ...finish, ...charge });
      else await jobs.recordCharge(job.jobId, result.chargedMrp, result.uncollectedMrp);
      return { chargedMrp: result.chargedMrp, uncollectedMrp: result.uncollectedMrp };
    }
    if (finish) await jobs.finish(job.jobId, finish);
    // Settled or released before (a rerun): report what actually happened to the hold.
    const [row] = await sql<{ settled_mrp: bigint | null; uncollected_mrp: bigint | null }[]>`
      SELECT h.settled_mrp, j.uncollected_mrp FROM holds h LEFT JOIN jobs j ON j.id = ${job.jobId}
      WHERE h.id = ${job.holdId}`;
    return { chargedMrp: row?.settled_mrp ?? 0n, uncollectedMrp: row?.uncollected_mrp ?? 0n };
  }

  return {
    async open(input: OpenMeteredJob): Promise<MeteredJob> {
      const { holdMrp, holdTtlMs, ...fields } = input;
      const jobId = fields.id ?? randomUUID();
      if (batching && holdMrp > 0n && !contentLargerThan(fields.prompt, BATCHED_CONTENT_LIMIT)) {
        const opened = await opens.submit({ ...input, jobId });
        if (opened) {
          counts.batched += 1;
          return opened;
        }
      }
      counts.oneByOne += 1;
      // A refused hold throws before anything is stored: a request that never ran leaves no row.
      // With a key, its allow-lists and spend limits are checked in the hold's own transaction.
      const hold = await ledger.hold(fields.accountId, holdMrp, {
        reference: `job:${jobId}`,
        ttlMs: holdTtlMs,
        ...(fields.apiKeyId
          ? { key: { keyId: fields.apiKeyId, model: fields.model, kind: fields.kind } }
          : {}),
      });
      const holdId = hold.id;
      try {
        const started = await jobs.start({ ...fields, id: jobId, holdId });
        return { jobId, holdId, accountId: fields.accountId, storesContent: started.storesContent };
      } catch (error) {
        await ledger.release(holdId);
        throw error;
      }
    },

    settle,

    /** Opens and settles written by a batch or one by one, and batches run (failed: rolled back). */
    groupCommitCounts: () => ({ ...counts }),

    /** The cheap balance pre-check of admission (see Ledger.ensureAvailable). */
    precheck: (accountId: string, holdMrp: bigint) => ledger.ensureAvailable(accountId, holdMrp),

    async release(job: { holdId: string }): Promise<boolean> {
      return ledger.release(job.holdId);
    },

    /** Jobs whose cost the account could not fully cover, newest first, with the totals (operators). */
    async uncollected(options: { limit?: number } = {}): Promise<UncollectedReport> {
      const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
      const [totals, rows] = await Promise.all([
        sql<{ jobs: number; total: bigint }[]>`
          SELECT count(*)::int AS jobs, COALESCE(sum(uncollected_mrp), 0)::bigint AS total
          FROM jobs WHERE uncollected_mrp > 0`,
        sql<UncollectedJob[]>`
          SELECT id AS "jobId", account_id AS "accountId", kind, model, channel, cost_mrp AS "chargedMrp",
                 uncollected_mrp AS "uncollectedMrp", created_at AS "createdAt"
          FROM jobs WHERE uncollected_mrp > 0 ORDER BY created_at DESC LIMIT ${limit}`,
      ]);
      return { jobs: totals[0]?.jobs ?? 0, totalMrp: totals[0]?.total ?? 0n, recent: rows };
    },

    /** Resolves expired holds of ended or dead jobs (see the contract). Returns how many it resolved. */
    async sweep(): Promise<number> {
      const now = clock.now();
      const deadBefore = new Date(now.getTime() - mediaDeadAfterMs);
      let total = 0;
      for (;;) {
        const rows = await sql<
          {
            hold_id: string;
            job_id: string | null;
            kind: JobKind | null;
            status: string | null;
            cost_mrp: bigint | null;
          }[]
        >`
          SELECT h.id AS hold_id, j.id AS job_id, j.kind, j.status, j.cost_mrp
          FROM holds h LEFT JOIN jobs j ON j.hold_id = h.id
          WHERE h.status = 'active' AND h.expires_at < ${now}
            AND (j.id IS NULL OR j.status NOT IN ('queued', 'running') OR j.kind = 'chat'
                 OR j.created_at < ${deadBefore})
          ORDER BY h.expires_at LIMIT ${SWEEP_BATCH}`;
        for (const row of rows) {
          if (row.job_id !== null && row.status === 'succeeded') {
            await settle(
              { jobId: row.job_id, holdId: row.hold_id },
              row.cost_mrp ?? 0n,
              'settled by the sweeper',
            );
            continue;
          }
          await ledger.release(row.hold_id);
          if (row.job_id !== null && (row.status === 'queued' || row.status === 'running')) {
            await sql`
              UPDATE jobs SET status = 'failed', cost_mrp = 0, finished_at = ${now},
                error_code = COALESCE(error_code, 'upstream_unavailable'),
                error_message = COALESCE(error_message, 'The job stopped without an answer; nothing was charged.')
              WHERE id = ${row.job_id} AND status IN ('queued', 'running')`;
          }
        }
        total += rows.length;
        if (rows.length < SWEEP_BATCH) return total;
      }
    },
  };
}

export type MeteredJobs = ReturnType<typeof createMeteredJobs>;
