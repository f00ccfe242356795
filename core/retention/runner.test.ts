import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeS3, startFakeS3 } from '../../test/fakes/s3.js';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/test-database.js';
import { LocalStorage } from '../../workers/storage/local-storage.js';
import { S3Storage } from '../../workers/storage/s3-storage.js';
import { manualClock } from '../ports/clock.js';
import { outputKey, type Storage, uploadKey } from '../ports/storage.js';
import { createRetention } from './runner.js';

const DAY = 24 * 3600 * 1000;
const NOW = new Date('2026-06-01T03:00:00Z');

let db: TestDatabase;
let dataDir: string;
let fakeS3: FakeS3;
let s3: S3Storage;

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'aiport-retention-'));
  fakeS3 = await startFakeS3({ buckets: ['media'] });
  s3 = new S3Storage({
    endpoint: fakeS3.url,
    region: 'auto',
    bucket: 'media',
    accessKeyId: 'test-access',
    secretAccessKey: 'test-secret',
    forcePathStyle: true,
  });
});

afterAll(async () => {
  s3.close();
  await fakeS3.close();
  await rm(dataDir, { recursive: true, force: true });
  await db.drop();
});

beforeEach(async () => {
  await db.sql`TRUNCATE accounts, identities, api_keys, jobs, media_files, conversations, conversation_messages,
    audit_log, ledger_entries, topup_requests, star_payments CASCADE`;
});

const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

async function account(options: { legalHold?: boolean } = {}): Promise<string> {
  const [row] = await db.sql<{ id: string }[]>`
    INSERT INTO accounts (email, name, legal_hold) VALUES (${`p${Math.random()}@example.com`}, 'Budi', ${options.legalHold ?? false})
    RETURNING id`;
  return row!.id;
}

async function job(
  accountId: string,
  ageDays: number,
  options: { legalHold?: boolean; keyId?: string } = {},
) {
  const [row] = await db.sql<{ id: string }[]>`
    INSERT INTO jobs (account_id, api_key_id, channel, kind, model, status, prompt, output, input_tokens, cost_mrp, legal_hold, created_at)
    VALUES (${accountId}, ${options.keyId ?? null}, 'api', 'chat', 'gpt-4o-mini', 'succeeded',
            ${db.sql.json({ messages: [{ role: 'user', content: 'halo' }] })}, ${db.sql.json({ text: 'hai' })},
            12, 345, ${options.legalHold ?? false}, ${ago(ageDays)})
    RETURNING id`;
  return row!.id;
}

async function jobRow(id: string) {
  const [row] =
    await db.sql`SELECT prompt, output, content_purged_at, model, input_tokens, cost_mrp, api_key_id FROM jobs WHERE id = ${id}`;
  return row!;
}

function retention(storage?: Storage) {
  return createRetention({ db, clock: manualClock(NOW), ...(storage ? { storage } : {}) });
}

describe('retention runner', () => {
  it('purges job content older than 30 days only, keeping billing metadata and legal holds', async () => {
    const a = await account();
    const held = await account({ legalHold: true });
    const young = await job(a, 29);
    const old = await job(a, 31);
    const heldJob = await job(a, 45, { legalHold: true });
    const heldAccountJob = await job(held, 45);

    const report = await retention().run({ batchSize: 2 });
    expect(report.jobContents).toBe(1);

    expect((await jobRow(young)).prompt).not.toBeNull();
    const purged = await jobRow(old);
    expect(purged).toMatchObject({
      prompt: null,
      output: null,
      model: 'gpt-4o-mini',
      input_tokens: 12,
      cost_mrp: 345n,
    });
    expect(purged.content_purged_at).toEqual(NOW);
    expect((await jobRow(heldJob)).output).not.toBeNull();
    expect((await jobRow(heldAccountJob)).output).not.toBeNull();

    // Idempotent: a second run finds nothing more.
    expect((await retention().run()).jobContents).toBe(0);
  });

  it('purges in batches across many rows', async () => {
    const a = await account();
    await db.sql`
      INSERT INTO jobs (account_id, channel, kind, model, prompt, created_at)
      SELECT ${a}, 'api', 'chat', 'm', '{"x":1}'::jsonb, ${ago(40)}::timestamptz - g * interval '1 second'
      FROM generate_series(1, 250) g`;
    const steps: number[] = [];
    const report = await retention().run({
      batchSize: 100,
      onStatement: (step, rows) => step === 'jobs.content' && steps.push(rows),
    });
    expect(report.jobContents).toBe(250);
    expect(steps).toEqual([100, 100, 50]);
  });

  it.each([
    ['local disk', () => new LocalStorage(dataDir)],
    ['S3', () => s3],
  ])('deletes files older than 30 days from %s storage and marks them', async (_name, makeStorage) => {
    const storage = makeStorage();
    const a = await account();
    const oldJob = await job(a, 31);
    const youngJob = await job(a, 29);
    const heldJob = await job(a, 31, { legalHold: true });
    const files = [
      { job: oldJob, key: uploadKey(a, oldJob, 'foto.png'), age: 31 },
      { job: oldJob, key: outputKey(a, oldJob, 0), age: 31 },
      { job: youngJob, key: outputKey(a, youngJob, 0), age: 29 },
      { job: heldJob, key: outputKey(a, heldJob, 0), age: 31 },
    ];
    for (const f of files) {
      await storage.put(f.key, Buffer.from('png bytes'), 'image/png');
      await db.sql`
        INSERT INTO media_files (account_id, job_id, kind, storage_key, content_type, bytes, created_at)
        VALUES (${a}, ${f.job}, 'output', ${f.key}, 'image/png', 9, ${ago(f.age)})`;
    }
    const report = await retention(storage).run();
    expect(report).toMatchObject({ mediaFiles: 2, mediaFileErrors: 0, mediaFilesSkipped: false });
    expect(await storage.exists(files[0]!.key)).toBe(false);
    expect(await storage.exists(files[1]!.key)).toBe(false);
    expect(await storage.exists(files[2]!.key)).toBe(true);
    expect(await storage.exists(files[3]!.key)).toBe(true);
    const marked =
      await db.sql`SELECT storage_key FROM media_files WHERE deleted_at IS NOT NULL ORDER BY storage_key`;
    expect(marked.map((r) => r.storage_key)).toEqual([files[1]!.key, files[0]!.key].sort());
    expect((await retention(storage).run()).mediaFiles).toBe(0);
  });

  it('without storage leaves files alone and says so', async () => {
    const a = await account();
    const j = await job(a, 40);
    await db.sql`
      INSERT INTO media_files (account_id, job_id, kind, storage_key, content_type, bytes, created_at)
      VALUES (${a}, ${j}, 'output', ${outputKey(a, j, 0)}, 'image/png', 9, ${ago(40)})`;
    const report = await retention().run();
    expect(report).toMatchObject({ mediaFiles: 0, mediaFilesSkipped: true });
    const [row] = await db.sql`SELECT deleted_at FROM media_files`;
    expect(row!.deleted_at).toBeNull();
  });

  it('deletes conversation history older than 30 days, except under account legal hold', async () => {
    const a = await account();
    const held = await account({ legalHold: true });
    const [conversation] =
      await db.sql`INSERT INTO conversations (platform, chat_key) VALUES ('telegram', '42') RETURNING id`;
    for (const [owner, age] of [
      [a, 31],
      [a, 29],
      [held, 60],
    ] as const) {
      await db.sql`
        INSERT INTO conversation_messages (conversation_id, account_id, role, content, created_at)
        VALUES (${conversation!.id}, ${owner}, 'user', 'halo', ${ago(age)})`;
    }
    const report = await retention().run();
    expect(report.conversationMessages).toBe(1);
    const left = await db.sql`SELECT account_id FROM conversation_messages ORDER BY created_at`;
    expect(left.map((r) => r.account_id)).toEqual([held, a]);
  });

  it('removes API keys 90 days after revocation; jobs keep their metadata', async () => {
    const a = await account();
    const keys: Record<string, string> = {};
    for (const [name, revokedDaysAgo] of [
      ['active', null],
      ['recent', 89],
      ['old', 91],
    ] as const) {
      const [row] = await db.sql<{ id: string }[]>`
        INSERT INTO api_keys (account_id, name, hash, prefix, scopes, revoked_at)
        VALUES (${a}, ${name}, ${`hash-${name}`}, 'aip_x', ${db.sql.array(['chat'])},
                ${revokedDaysAgo === null ? null : ago(revokedDaysAgo)})
        RETURNING id`;
      keys[name] = row!.id;
    }
    const usedByJob = await job(a, 100, { keyId: keys.old! });
    const report = await retention().run();
    expect(report.revokedKeys).toBe(1);
    const left = await db.sql`SELECT name FROM api_keys ORDER BY name`;
    expect(left.map((r) => r.name)).toEqual(['active', 'recent']);
    expect(await jobRow(usedByJob)).toMatchObject({ api_key_id: null, cost_mrp: 345n });
  });

  it('keeps the audit log 365 days', async () => {
    for (const age of [364, 366, 400]) {
      await db.sql`INSERT INTO audit_log (actor_type, action, created_at) VALUES ('system', 'test', ${ago(age)})`;
    }
    expect((await retention().run()).auditRows).toBe(2);
    expect((await db.sql`SELECT count(*)::int AS n FROM audit_log`)[0]!.n).toBe(1);
  });

  it('anonymizes accounts closed more than 12 months ago and keeps their ledger', async () => {
    const closedLongAgo = await account();
    const closedRecently = await account();
    await db.sql`UPDATE accounts SET status = 'closed', closed_at = ${ago(370)} WHERE id = ${closedLongAgo}`;
    await db.sql`UPDATE accounts SET status = 'closed', closed_at = ${ago(300)} WHERE id = ${closedRecently}`;
    await db.sql`INSERT INTO identities (account_id, platform, external_id) VALUES (${closedLongAgo}, 'telegram', '777')`;
    await db.sql`
      INSERT INTO ledger_entries (account_id, amount_mrp, kind, idempotency_key, created_at)
      VALUES (${closedLongAgo}, 5000, 'topup', 'topup-1', ${ago(400)})`;

    const report = await retention().run();
    expect(report.anonymizedAccounts).toBe(1);
    const [gone] = await db.sql`SELECT email, name, anonymized_at FROM accounts WHERE id = ${closedLongAgo}`;
    expect(gone).toMatchObject({ email: null, name: null, anonymized_at: NOW });
    expect(await db.sql`SELECT 1 FROM identities WHERE account_id = ${closedLongAgo}`).toHaveLength(0);
    expect(await db.sql`SELECT 1 FROM ledger_entries WHERE account_id = ${closedLongAgo}`).toHaveLength(1);
    const [kept] = await db.sql`SELECT email, anonymized_at FROM accounts WHERE id = ${closedRecently}`;
    expect(kept!.email).not.toBeNull();
    expect(kept!.anonymized_at).toBeNull();
  });

  it('refuses a second run while one holds the lock, and runs again after', async () => {
    const other = await db.sql.reserve();
    try {
      await other`SELECT pg_advisory_lock(7310077)`;
      await expect(retention().run()).rejects.toMatchObject({ code: 'conflict' });
      await other`SELECT pg_advisory_unlock(7310077)`;
    } finally {
      other.release();
    }
    await expect(retention().run()).resolves.toMatchObject({ jobContents: 0 });
  });

  it('two concurrent runs: exactly one wins', async () => {
    const a = await account();
    await db.sql`
      INSERT INTO jobs (account_id, channel, kind, model, prompt, created_at)
      SELECT ${a}, 'api', 'chat', 'm', '{"x":1}'::jsonb, ${ago(40)} FROM generate_series(1, 2000)`;
    const results = await Promise.allSettled([
      retention().run({ batchSize: 100 }),
      retention().run({ batchSize: 100 }),
    ]);
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    // Either they overlapped (one refused) or the first finished before the second began.
    if (refused.length === 1)
      expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict' });
    const purged = fulfilled.reduce(
      (sum, r) => sum + (r as PromiseFulfilledResult<{ jobContents: number }>).value.jobContents,
      0,
    );
    expect(purged).toBe(2000);
  });
});

describe('zero-retention uploads', () => {
  it('are deleted once their job has ended; outputs, running jobs and other accounts are left', async () => {
    const storage = new LocalStorage(dataDir);
    const zero = await account();
    await db.sql`UPDATE accounts SET zero_retention = true WHERE id = ${zero}`;
    const normal = await account();
    const done = await job(zero, 0);
    const [running] = await db.sql<{ id: string }[]>`
      INSERT INTO jobs (account_id, channel, kind, model, status) VALUES (${zero}, 'api', 'image_edit', 'm', 'running') RETURNING id`;
    const normalJob = await job(normal, 0);
    const files = [
      { owner: zero, job: done, kind: 'upload', key: uploadKey(zero, done, 'in.png') },
      { owner: zero, job: done, kind: 'output', key: outputKey(zero, done, 0) },
      { owner: zero, job: running!.id, kind: 'upload', key: uploadKey(zero, running!.id, 'in.png') },
      { owner: normal, job: normalJob, kind: 'upload', key: uploadKey(normal, normalJob, 'in.png') },
    ];
    for (const f of files) {
      await storage.put(f.key, Buffer.from('x'), 'image/png');
      await db.sql`
        INSERT INTO media_files (account_id, job_id, kind, storage_key, content_type, bytes, created_at)
        VALUES (${f.owner}, ${f.job}, ${f.kind}, ${f.key}, 'image/png', 1, ${NOW})`;
    }
    expect(await retention(storage).purgeZeroRetentionUploads()).toBe(1);
    expect(await storage.exists(files[0]!.key)).toBe(false);
    for (const f of files.slice(1)) expect(await storage.exists(f.key)).toBe(true);
    expect(await retention(storage).purgeZeroRetentionUploads()).toBe(0);
  });
});
