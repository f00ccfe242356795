import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../db/index.js';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/test-database.js';
import { createApiKeys } from '../accounts/index.js';
import { createJobs } from '../jobs/index.js';
import { createLedger, type Ledger } from '../ledger/index.js';
import { systemClock } from '../ports/clock.js';
import { createMeteredJobs, type MeteredJob, type MeteredJobs } from './metered-jobs.js';

/**
 * Group commit of opens and settles (metered-jobs.ts, db/group-commit.ts): batches keep every money
 * guarantee of one request at a time, across processes (two pools, two metered cores, as two app
 * processes have), when some requests of a batch are refused, and when a batch dies midway.
 */
let db: TestDatabase;
let other: Database;
let ledger: Ledger;
let a: MeteredJobs;
let b: MeteredJobs;

const core = (database: Database) =>
  createMeteredJobs({
    db: database,
    ledger: createLedger(database, systemClock),
    jobs: createJobs(database, systemClock),
    clock: systemClock,
  });

beforeAll(async () => {
  db = await createTestDatabase();
  other = createDatabase(db.url);
  ledger = createLedger(db, systemClock);
  a = core(db);
  b = core(other);
});
afterAll(async () => {
  await other?.close();
  await db?.drop();
});

async function funded(amountMrp: bigint): Promise<string> {
  const [row] = await db.sql<{ id: string }[]>`INSERT INTO accounts DEFAULT VALUES RETURNING id`;
  await ledger.credit('topup', { accountId: row!.id, amountMrp, idempotencyKey: `fund:${row!.id}` });
  return row!.id;
}

const open = (metered: MeteredJobs, accountId: string, holdMrp: bigint, apiKeyId?: string) =>
  metered.open({
    accountId,
    ...(apiKeyId ? { apiKeyId } : {}),
    channel: 'api',
    kind: 'chat',
    model: 'gpt-4o-mini',
    holdMrp,
    holdTtlMs: 60_000,
  });

const finished = { status: 'succeeded' as const, provider: 'openai' };

describe('group commit', () => {
  it('lets 100 concurrent opens from two processes hold exactly what the balance covers, and settles each once', async () => {
    const accountId = await funded(10_000n);
    const { key } = await createApiKeys(db, systemClock).create(accountId, { name: 'hot' });
    const before = { a: a.groupCommitCounts(), b: b.groupCommitCounts() };
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) => open(i % 2 === 0 ? a : b, accountId, 1_000n, key.id)),
    );
    const opened = results.filter((r) => r.status === 'fulfilled').map((r) => r.value as MeteredJob);
    const refused = results.filter((r) => r.status === 'rejected').map((r) => r.reason as { code: string });
    expect(opened).toHaveLength(10);
    expect(refused.every((r) => r.code === 'insufficient_balance')).toBe(true);
    // The holds were written by batches (fewer transactions than requests), none of them failed.
    const after = { a: a.groupCommitCounts(), b: b.groupCommitCounts() };
    const batches = after.a.batches - before.a.batches + after.b.batches - before.b.batches;
    expect(after.a.batched - before.a.batched + after.b.batched - before.b.batched).toBe(10);
    expect(batches).toBeLessThan(100);
    expect(after.a.failedBatches + after.b.failedBatches).toBe(
      before.a.failedBatches + before.b.failedBatches,
    );

    // Each settled twice at once (from both processes) and above its hold: charged once each.
    const charges = await Promise.all(
      opened.flatMap((job) => [a, b].map((m) => m.settle(job, 1_500n, 'test', finished))),
    );
    expect(charges.filter((c) => c.chargedMrp > 0n).length).toBeGreaterThanOrEqual(10);
    // The charges, too, were written by batches.
    const settled = { a: a.groupCommitCounts(), b: b.groupCommitCounts() };
    expect(settled.a.batched - after.a.batched + settled.b.batched - after.b.batched).toBe(10);
    const entries = await db.sql<{ amount_mrp: bigint }[]>`
      SELECT amount_mrp FROM ledger_entries WHERE account_id = ${accountId} AND kind = 'charge'`;
    expect(entries).toHaveLength(10);
    expect(await ledger.balance(accountId)).toEqual({ balanceMrp: 0n, heldMrp: 0n, availableMrp: 0n });
    expect(await ledger.verify(accountId)).toEqual([]);
    const [key2] = await db.sql<{ held_mrp: bigint; spent_mrp: bigint }[]>`
      SELECT held_mrp, spent_mrp FROM api_keys WHERE id = ${key.id}`;
    expect(key2).toEqual({ held_mrp: 0n, spent_mrp: 10_000n });
    const jobs = await db.sql<{ status: string; cost_mrp: bigint }[]>`
      SELECT status, cost_mrp FROM jobs WHERE account_id = ${accountId}`;
    expect(jobs).toHaveLength(10);
    expect(jobs.every((j) => j.status === 'succeeded')).toBe(true);
    expect(jobs.reduce((sum, j) => sum + j.cost_mrp, 0n)).toBe(10_000n);
  });

  it('serves the rest of a batch when some of its requests are refused', async () => {
    const rich = await Promise.all(Array.from({ length: 8 }, () => funded(5_000n)));
    const poor = await funded(10n);
    const keys = createApiKeys(db, systemClock);
    const revokedOwner = await funded(5_000n);
    const { key: revoked } = await keys.create(revokedOwner, { name: 'gone' });
    await keys.revoke(revokedOwner, revoked.id);
    const before = a.groupCommitCounts();
    const results = await Promise.allSettled([
      ...rich.map((id) => open(a, id, 1_000n)),
      open(a, poor, 1_000n),
      open(a, revokedOwner, 1_000n, revoked.id),
    ]);
    expect(results.slice(0, 8).every((r) => r.status === 'fulfilled')).toBe(true);
    expect(results[8]).toMatchObject({ status: 'rejected', reason: { code: 'insufficient_balance' } });
    expect(results[9]).toMatchObject({ status: 'rejected', reason: { code: 'unauthorized' } });
    const after = a.groupCommitCounts();
    expect(after.batched - before.batched).toBe(8);
    expect(after.failedBatches).toBe(before.failedBatches);
    for (const id of [...rich, poor, revokedOwner]) expect(await ledger.verify(id)).toEqual([]);
    expect((await ledger.balance(poor)).heldMrp).toBe(0n);
    expect((await ledger.balance(revokedOwner)).heldMrp).toBe(0n);
  });

  it('writes each batch as one transaction: its rows share one transaction id', async () => {
    const accounts = await Promise.all(Array.from({ length: 20 }, () => funded(5_000n)));
    const before = a.groupCommitCounts();
    const jobs = await Promise.all(accounts.map((id) => open(a, id, 1_000n)));
    const batches = a.groupCommitCounts().batches - before.batches;
    expect(batches).toBeLessThan(20);
    const holdIds = jobs.map((job) => job.holdId);
    const [holds] = await db.sql<{ n: number }[]>`
      SELECT count(DISTINCT xmin::text)::int AS n FROM holds WHERE id IN ${db.sql(holdIds)}`;
    expect(holds!.n).toBeLessThanOrEqual(batches);
    await Promise.all(jobs.map((job) => a.settle(job, 700n, 'test', finished)));
    const [settled] = await db.sql<{ n: number }[]>`
      SELECT count(DISTINCT xmin::text)::int AS n FROM holds WHERE id IN ${db.sql(holdIds)}`;
    expect(settled!.n).toBeLessThanOrEqual(a.groupCommitCounts().batches - before.batches - batches);
  });

  it('writes nothing of a batch that dies midway, then charges each of its requests once', async () => {
    const accounts = await Promise.all(Array.from({ length: 5 }, () => funded(5_000n)));
    const jobs = await Promise.all(accounts.map((id) => open(a, id, 1_000n)));
    const before = a.groupCommitCounts();
    // The last settle's job row cannot be written (an id that is not a uuid): its statement fails
    // after the others ran in the same transaction, which is rolled back as a crash would be.
    const broken = { ...jobs[4]!, jobId: 'not-a-job' };
    const results = await Promise.allSettled([
      ...jobs.slice(0, 4).map((job) => a.settle(job, 700n, 'test', finished)),
      a.settle(broken, 700n, 'test', finished),
    ]);
    expect(a.groupCommitCounts().failedBatches).toBe(before.failedBatches + 1);
    // Retried one by one: the four are charged once each; the broken one's charge is durable
    // before its job row fails (money first), and once.
    expect(results.slice(0, 4)).toEqual(
      Array.from({ length: 4 }, () => ({
        status: 'fulfilled',
        value: { chargedMrp: 700n, uncollectedMrp: 0n },
      })),
    );
    for (const [i, id] of accounts.entries()) {
      const entries = await db.sql`SELECT 1 FROM ledger_entries WHERE account_id = ${id} AND kind = 'charge'`;
      expect(entries).toHaveLength(1);
      expect(await ledger.balance(id)).toEqual({ balanceMrp: 4_300n, heldMrp: 0n, availableMrp: 4_300n });
      expect(await ledger.verify(id)).toEqual([]);
      if (i < 4) {
        const [row] = await db.sql<{ cost_mrp: bigint; status: string }[]>`
          SELECT cost_mrp, status FROM jobs WHERE id = ${jobs[i]!.jobId}`;
        expect(row).toEqual({ cost_mrp: 700n, status: 'succeeded' });
      }
    }
  });
});
