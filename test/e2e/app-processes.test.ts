import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeys } from '../../core/accounts/index.js';
import { loadCatalog } from '../../core/catalog/index.js';
import { createLedger, idrToMrp } from '../../core/ledger/index.js';
import { chatCostMrp, chatHold } from '../../core/metering/index.js';
import { systemClock } from '../../core/ports/clock.js';
import { FAKE_OPENAI_KEY, type FakeOpenAI, startFakeOpenAI } from '../fakes/openai.js';
import { type AppProcess, startAppProcess } from '../helpers/app-process.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/**
 * Two app processes (`npm start`, every role) on one PostgreSQL and one Redis, as two replicas
 * behind a load balancer: the money guarantees hold across them, a key revoked through one is
 * refused by the other at once, and a `kill -9` of one under load loses no charge a client was
 * told about and charges nothing twice.
 */
let database: TestDatabase;
let openai: FakeOpenAI;
let a: AppProcess;
let b: AppProcess;
const catalog = loadCatalog(undefined, new Set(['openai']));
const model = catalog.get('gpt-4o-mini', 'chat');
const ledger = () => createLedger(database, systemClock);

beforeAll(async () => {
  database = await createTestDatabase();
  openai = await startFakeOpenAI();
  const deployment = {
    databaseUrl: database.url,
    redisPrefix: `aiport-t-${randomBytes(4).toString('hex')}`,
    env: {
      OPENAI_API_KEY: FAKE_OPENAI_KEY,
      OPENAI_BASE_URL: `${openai.url}/v1`,
      // The inflated usage below would trip the default tokens-per-minute limit.
      RATE_LIMIT_TPM: '1000000000000',
      RATE_LIMIT_RPM: '100000',
      LOG_LEVEL: 'warn',
    },
  };
  [a, b] = await Promise.all([startAppProcess(deployment), startAppProcess(deployment)]);
}, 90_000);

afterAll(async () => {
  await Promise.all([a?.kill(), b?.kill()]);
  await openai?.close();
  await database?.drop();
});

async function account(balanceMrp: bigint): Promise<{ accountId: string; keyId: string; key: string }> {
  const [row] = await database.sql<{ id: string }[]>`INSERT INTO accounts DEFAULT VALUES RETURNING id`;
  const accountId = row!.id;
  await ledger().credit('topup', { accountId, amountMrp: balanceMrp, idempotencyKey: `t:${accountId}` });
  const created = await createApiKeys(database, systemClock).create(accountId, { name: 'replicas' });
  return { accountId, keyId: created.key.id, key: created.secret };
}

const body = JSON.stringify({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'halo' }],
  max_tokens: 50,
});

function chat(app: AppProcess, key: string): Promise<Response> {
  return fetch(`${app.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body,
  });
}

describe('two processes on one PostgreSQL and Redis', () => {
  it('serve 100 concurrent requests on a balance that covers 10: 10 answered, the rest 402, never negative', async () => {
    const hold = chatHold(model, {
      messages: [{ role: 'user', content: [{ type: 'text', text: 'halo' }] }],
      maxOutputTokens: 50,
    });
    const { accountId, key } = await account(hold.amountMrp * 10n);
    // Every answer reports exactly the usage its hold was made for, so each success charges its hold
    // and no more, whatever order the holds and settles interleave in (usage above a hold takes free
    // balance too, so a settle before the tenth hold would leave fewer than ten served).
    openai.enqueue(
      { reply: { inputTokens: hold.inputTokens, outputTokens: hold.maxOutputTokens }, latencyMs: 50 },
      10,
    );
    const statuses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => chat(i % 2 === 0 ? a : b, key).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 402)).toHaveLength(90);
    expect(await ledger().balance(accountId)).toEqual({ balanceMrp: 0n, heldMrp: 0n, availableMrp: 0n });
    expect(await ledger().verify(accountId)).toEqual([]);
  });

  it('refuse a key revoked through the other process at once, before any upstream call', async () => {
    const { accountId, keyId, key } = await account(idrToMrp(1_000));
    // Both processes have just authenticated (and may keep) the key.
    expect((await chat(a, key)).status).toBe(200);
    expect((await chat(b, key)).status).toBe(200);
    const revoked = await fetch(`${a.url}/account/keys/${keyId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(revoked.status).toBe(200);
    const before = await ledger().balance(accountId);
    const upstreamCalls = openai.requests.length;
    const refused = await chat(b, key);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { message: 'Invalid or revoked API key' } });
    expect(openai.requests.length).toBe(upstreamCalls);
    expect(await ledger().balance(accountId)).toEqual(before);
  });

  it('lose no acknowledged charge and charge nothing twice when one is killed (-9) under load', async () => {
    const { accountId, key } = await account(idrToMrp(100_000));
    openai.enqueue({ latencyMs: 30 }, 2_000);
    const acknowledged: Array<{ jobId: string; costMrp: bigint; prompt: number; completion: number }> = [];
    let killed = false;
    // 16 clients, each sending its next request when the last one ended, until the kill.
    const client = async () => {
      while (!killed) {
        const response = await chat(a, key).catch(() => undefined);
        if (response?.status !== 200) continue;
        const answer = (await response.json().catch(() => undefined)) as
          | { usage: { prompt_tokens: number; completion_tokens: number } }
          | undefined;
        if (!answer) continue;
        acknowledged.push({
          jobId: response.headers.get('x-aiport-job-id')!,
          costMrp: idrToMrp(response.headers.get('x-aiport-cost-idr')!),
          prompt: answer.usage.prompt_tokens,
          completion: answer.usage.completion_tokens,
        });
      }
    };
    const clients = Array.from({ length: 16 }, client);
    for (let i = 0; i < 400 && acknowledged.length < 40; i++) await new Promise((r) => setTimeout(r, 25));
    await a.kill();
    killed = true;
    await Promise.all(clients);
    expect(acknowledged.length).toBeGreaterThan(0);

    const charges = await database.sql<{ reference: string; amount_mrp: bigint }[]>`
      SELECT reference, amount_mrp FROM ledger_entries WHERE account_id = ${accountId} AND kind = 'charge'`;
    const byJob = new Map(charges.map((c) => [c.reference, c.amount_mrp]));
    // Nothing twice: one charge per hold (and so per job) at most.
    expect(byJob.size).toBe(charges.length);
    for (const ack of acknowledged) {
      // Every charge a client was told about is in the ledger, as told, at the upstream's usage.
      expect(byJob.get(`job:${ack.jobId}`)).toBe(-ack.costMrp);
      expect(ack.costMrp).toBe(
        chatCostMrp(model, {
          inputTokens: ack.prompt,
          outputTokens: ack.completion,
          cachedInputTokens: 0,
          reasoningTokens: 0,
        }),
      );
    }
    expect(await ledger().verify(accountId)).toEqual([]);
    // The other replica goes on serving the same account.
    expect((await chat(b, key)).status).toBe(200);
  });
});
