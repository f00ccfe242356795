import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/test-database.js';
import { systemClock } from '../ports/clock.js';
import { createJobs } from './jobs.js';

let db: TestDatabase;
let jobs: ReturnType<typeof createJobs>;

async function account(zeroRetention: boolean): Promise<string> {
  const [row] = await db.sql<{ id: string }[]>`
    INSERT INTO accounts (zero_retention) VALUES (${zeroRetention}) RETURNING id`;
  return row!.id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  jobs = createJobs(db, systemClock);
});
afterAll(async () => db.drop());

describe('jobs', () => {
  it('records a chat job from start to finish, content included', async () => {
    const accountId = await account(false);
    const job = await jobs.start({
      accountId,
      channel: 'api',
      kind: 'chat',
      model: 'gpt-4o-mini',
      price: { inputPerMTokMrp: '2500000', outputPerMTokMrp: '10000000' },
      params: { stream: true },
      prompt: { messages: [{ role: 'user', content: 'halo' }] },
    });
    expect(job.storesContent).toBe(true);
    await jobs.finish(job.id, {
      status: 'succeeded',
      provider: 'openai',
      attempts: [{ provider: 'openai', model: 'gpt-4o-mini', status: 'ok', latencyMs: 12 }],
      usage: { inputTokens: 10, outputTokens: 0, cachedTokens: 0, reasoningTokens: 0 },
      costMrp: 25n,
      latencyMs: 30,
      ttfbMs: 12,
      output: { text: 'hai' },
    });
    const row = await jobs.get(job.id);
    expect(row).toMatchObject({
      status: 'succeeded',
      provider: 'openai',
      inputTokens: 10,
      outputTokens: 0,
      costMrp: 25n,
      ttfbMs: 12,
      usageEstimated: false,
      params: { stream: true },
      output: { text: 'hai' },
    });
    expect(row?.prompt).toEqual({ messages: [{ role: 'user', content: 'halo' }] });
    expect(row?.attempts).toHaveLength(1);
    expect(row?.startedAt).toBeInstanceOf(Date);
    expect(row?.finishedAt).toBeInstanceOf(Date);
  });

  it('never stores content for a zero-retention account', async () => {
    const accountId = await account(true);
    const job = await jobs.start({
      accountId,
      channel: 'telegram',
      kind: 'chat',
      model: 'm',
      prompt: { secret: 'rahasia' },
    });
    expect(job.storesContent).toBe(false);
    await jobs.addAttempt(job.id, { provider: 'openai', model: 'x', status: 'error', latencyMs: 5 });
    await jobs.finish(job.id, {
      status: 'failed',
      output: { text: 'rahasia juga' },
      errorCode: 'upstream_unavailable',
      errorMessage: 'x'.repeat(2000),
      attempts: [{ provider: 'anthropic', model: 'y', status: 'error', latencyMs: 7 }],
    });
    const row = await jobs.get(job.id);
    expect(row?.prompt).toBeNull();
    expect(row?.output).toBeNull();
    expect(row?.attempts.map((a) => a.provider)).toEqual(['openai', 'anthropic']);
    expect(row?.errorMessage?.length).toBe(500);
  });

  it('drops output when the account turns zero-retention mid-request', async () => {
    const accountId = await account(false);
    const job = await jobs.start({ accountId, channel: 'api', kind: 'chat', model: 'm', prompt: 'p' });
    await db.sql`UPDATE accounts SET zero_retention = true WHERE id = ${accountId}`;
    await jobs.finish(job.id, { status: 'succeeded', output: 'o', usage: { estimated: true } });
    const row = await jobs.get(job.id);
    expect(row?.output).toBeNull();
    expect(row?.usageEstimated).toBe(true);
    expect(await jobs.listForAccount(accountId)).toHaveLength(1);
  });
});
