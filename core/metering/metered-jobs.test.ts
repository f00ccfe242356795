import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../db/index.js';
import { type ByteCountingRelay, startByteCountingRelay } from '../../test/helpers/byte-counting-relay.js';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/test-database.js';
import { createJobs, type Jobs } from '../jobs/index.js';
import { createLedger, type Ledger } from '../ledger/index.js';
import { manualClock } from '../ports/clock.js';
import { createMeteredJobs, type MeteredJobs } from './metered-jobs.js';

let db: TestDatabase;
const clock = manualClock(new Date('2026-11-01T00:00:00Z'));
let ledger: Ledger;
let jobs: Jobs;
let metered: MeteredJobs;

async function funded(amountMrp: bigint): Promise<string> {
  const [row] = await db.sql<{ id: string }[]>`INSERT INTO accounts DEFAULT VALUES RETURNING id`;
  await ledger.credit('topup', { accountId: row!.id, amountMrp, idempotencyKey: `fund:${row!.id}` });
  return row!.id;
}

const MINUTE = 60_000;
const base = (accountId: string, kind: 'chat' | 'image' | 'video' = 'chat') => ({
  accountId,
  channel: 'api' as const,
  kind,
  model: 'm',
  prompt: { messages: ['a secret prompt'] },
  holdTtlMs: 15 * MINUTE,
});

beforeAll(async () => {
  db = await createTestDatabase();
  ledger = createLedger(db, clock);
  jobs = createJobs(db, clock);
  metered = createMeteredJobs({ db, ledger, jobs, clock }, { mediaDeadAfterMs: 24 * 60 * MINUTE });
});
afterAll(() => db.drop());

describe('metered jobs', () => {
  it('refuses an uncovered hold with 402 and stores nothing', async () => {
    const account = await funded(1_000n);
    await expect(metered.open({ ...base(account), holdMrp: 5_000n })).rejects.toMatchObject({
      code: 'insufficient_balance',
    });
    const rows = await db.sql`SELECT 1 FROM jobs WHERE account_id = ${account}`;
    expect(rows).toHaveLength(0);
    expect(await ledger.balance(account)).toEqual({ balanceMrp: 1_000n, heldMrp: 0n, availableMrp: 1_000n });
  });

  it('settles the real cost above the hold and records the uncollected rest on the job', async () => {
    const account = await funded(10_000n);
    const job = await metered.open({ ...base(account), holdMrp: 2_000n });
    const charge = await metered.settle(job, 25_000n, 'big');
    expect(charge).toEqual({ chargedMrp: 10_000n, uncollectedMrp: 15_000n });
    // A rerun charges nothing and reports what the first settle did.
    expect(await metered.settle(job, 25_000n)).toEqual({ chargedMrp: 10_000n, uncollectedMrp: 15_000n });
    const row = await jobs.get(job.jobId);
    expect(row).toMatchObject({ costMrp: 10_000n, uncollectedMrp: 15_000n, holdId: job.holdId });
    expect(await ledger.balance(account)).toEqual({ balanceMrp: 0n, heldMrp: 0n, availableMrp: 0n });
    expect(await ledger.verify(account)).toEqual([]);
  });

  it('keeps a queued or running media hold past its expiry, and charges a success the sweep finds', async () => {
    const account = await funded(100_000n);
    const queued = await metered.open({ ...base(account, 'video'), status: 'queued', holdMrp: 10_000n });
    const done = await metered.open({ ...base(account, 'image'), status: 'queued', holdMrp: 7_000n });
    // The worker recorded success and its cost, then died before settling.
    await db.sql`UPDATE jobs SET status = 'succeeded', cost_mrp = 7000 WHERE id = ${done.jobId}`;
    const failed = await metered.open({ ...base(account, 'image'), status: 'queued', holdMrp: 3_000n });
    await db.sql`UPDATE jobs SET status = 'failed' WHERE id = ${failed.jobId}`;
    const chat = await metered.open({ ...base(account), holdMrp: 1_000n });

    clock.advance(2 * 60 * MINUTE);
    expect(await metered.sweep()).toBe(3);
    expect((await jobs.get(queued.jobId))?.status).toBe('queued');
    const holds = await db.sql<{ id: string; status: string; settled_mrp: bigint | null }[]>`
      SELECT id, status, settled_mrp FROM holds WHERE account_id = ${account}`;
    const byId = new Map(holds.map((h) => [h.id, h]));
    expect(byId.get(queued.holdId)?.status).toBe('active');
    expect(byId.get(done.holdId)).toMatchObject({ status: 'settled', settled_mrp: 7_000n });
    expect(byId.get(failed.holdId)?.status).toBe('released');
    expect(byId.get(chat.holdId)?.status).toBe('released');
    expect((await jobs.get(chat.jobId))?.status).toBe('failed');

    // A media job that never ended a day later is dead: failed and released, never charged.
    clock.advance(24 * 60 * MINUTE);
    expect(await metered.sweep()).toBe(1);
    expect(await jobs.get(queued.jobId)).toMatchObject({ status: 'failed', costMrp: 0n });
    expect(await ledger.balance(account)).toEqual({
      balanceMrp: 93_000n,
      heldMrp: 0n,
      availableMrp: 93_000n,
    });
    expect(await ledger.verify(account)).toEqual([]);
  });
});

describe('large content', () => {
  // The same metered-job core, its database reached through a relay that counts what is sent.
  let relay: ByteCountingRelay;
  let counted: Database;
  let watched: MeteredJobs;
  const prompt = { messages: [{ role: 'user', content: 'x'.repeat(4_000_000) }] };

  beforeAll(async () => {
    const url = new URL(db.url);
    relay = await startByteCountingRelay({ host: url.hostname, port: Number(url.port || 5432) });
    counted = createDatabase(relay.urlThrough(db.url), { max: 2 });
    const countedJobs = createJobs(counted, clock);
    watched = createMeteredJobs({
      db: counted,
      ledger: createLedger(counted, clock),
      jobs: countedJobs,
      clock,
    });
  });
  afterAll(async () => {
    await counted.close();
    await relay.close();
  });

  it('is not sent to the database when the hold is refused', async () => {
    const account = await funded(1_000n);
    const before = relay.sentBytes();
    const opens = Array.from({ length: 3 }, () =>
      watched.open({ ...base(account), prompt, holdMrp: 5_000n }).then(
        () => 'opened',
        (error: { code?: string }) => error.code,
      ),
    );
    expect(await Promise.all(opens)).toEqual([
      'insufficient_balance',
      'insufficient_balance',
      'insufficient_balance',
    ]);
    // Three prompts of 4 MB would be 12 MB; the refusals themselves are a few kilobytes.
    expect(relay.sentBytes() - before).toBeLessThan(64 * 1024);
    const rows = await db.sql`SELECT 1 FROM jobs WHERE account_id = ${account}`;
    expect(rows).toHaveLength(0);
  });

  it('is stored whole once the hold succeeded, and small content still goes in one batched statement', async () => {
    const account = await funded(100_000n);
    const counts = watched.groupCommitCounts();
    const [large, small] = await Promise.all([
      watched.open({ ...base(account), prompt, holdMrp: 5_000n }),
      watched.open({ ...base(account), holdMrp: 5_000n }),
    ]);
    const after = watched.groupCommitCounts();
    expect(after.oneByOne - counts.oneByOne).toBe(1);
    expect(after.batched - counts.batched).toBe(1);
    expect((await jobs.get(large.jobId))?.prompt).toEqual(prompt);
    expect((await jobs.get(small.jobId))?.prompt).toEqual(base(account).prompt);
    expect(await ledger.balance(account)).toMatchObject({ heldMrp: 10_000n });
  });
});
