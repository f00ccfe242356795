import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idrToMrp } from '../../core/ledger/index.js';
import { FAKE_OPENAI_KEY, type FakeOpenAI, startFakeOpenAI } from '../fakes/openai.js';
import { type ByteCountingRelay, startByteCountingRelay } from '../helpers/byte-counting-relay.js';
import { TEST_DATABASE_URL } from '../helpers/env.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * A prompt of megabytes, over HTTP against the real app, PostgreSQL and Redis: refused for its
 * balance, it costs the server almost nothing (no tokenizer estimate, no rate-limit tokens, nothing
 * of it written to or even sent to the database, no upstream call); admitted, it goes upstream and
 * into the job record exactly as sent.
 */
let fake: FakeOpenAI;
let relay: ByteCountingRelay;
let t: TestApp;
let url: string;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  const db = new URL(TEST_DATABASE_URL);
  relay = await startByteCountingRelay({ host: db.hostname, port: Number(db.port || 5432) });
  t = await createTestApp({
    env: { OPENAI_API_KEY: FAKE_OPENAI_KEY, OPENAI_BASE_URL: `${fake.url}/v1` },
    databaseUrl: (direct) => relay.urlThrough(direct),
  });
  url = await t.listen();
});
afterAll(async () => {
  await t.close();
  await relay.close();
  await fake.close();
});

async function account(balanceIdr: number, limits?: Record<string, number>) {
  const { core } = t.container;
  const [row] = await core.db.sql<{ id: string }[]>`INSERT INTO accounts DEFAULT VALUES RETURNING id`;
  const accountId = row!.id;
  await core.ledger.credit('topup', {
    accountId,
    amountMrp: idrToMrp(balanceIdr),
    idempotencyKey: `test-topup:${accountId}`,
  });
  if (limits)
    await core.db.sql`UPDATE accounts SET limits = ${core.db.sql.json(limits)} WHERE id = ${accountId}`;
  const { secret } = await core.apiKeys.create(accountId, { name: 'test' });
  return { accountId, key: secret };
}

const chat = (key: string, content: string) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 16, messages: [{ role: 'user', content }] }),
  });

describe('a prompt of megabytes', () => {
  it('refused for its balance: 402 before its estimate and rate limit, nothing sent to the database', async () => {
    // A token budget the prompt's estimate (millions) would exceed: the 402 shows the balance
    // was checked first, before any tokenizer or rate-limit work.
    const { accountId, key } = await account(1, { tokensPerMinute: 100_000 });
    const calls = fake.requests.length;
    const before = relay.sentBytes();
    const answers = await Promise.all(Array.from({ length: 3 }, () => chat(key, 'x'.repeat(8_000_000))));
    const sent = relay.sentBytes() - before;
    expect(answers.map((a) => a.status)).toEqual([402, 402, 402]);
    const { error } = (await answers[0]!.json()) as { error: { code: string } };
    expect(error.code).toBe('insufficient_balance');
    // 24 MB of prompts; what reached PostgreSQL is the key, balance and hold statements.
    expect(sent).toBeLessThan(128 * 1024);
    expect(fake.requests.length).toBe(calls);
    const rows = await t.container.core.db.sql`SELECT 1 FROM jobs WHERE account_id = ${accountId}`;
    expect(rows).toHaveLength(0);
    // Its small request right after is admitted: the refused ones used none of the token budget.
    expect((await chat(key, 'halo')).status).not.toBe(429);
  });

  it('admitted: sent upstream and recorded exactly as it came (built from pieces)', async () => {
    const { accountId, key } = await account(100_000);
    const content = `${'halo dunia '.repeat(250_000)}ダミー😀${'é ô, '.repeat(100_000)}`;
    fake.enqueue({ reply: { text: 'ok', inputTokens: 900_000, outputTokens: 1 } });
    const response = await chat(key, content);
    expect(response.status).toBe(200);
    const sent = fake.requests.at(-1)!.body as { messages: { content: unknown }[] };
    expect(sent.messages.at(-1)!.content === content).toBe(true);
    const [row] = await t.container.core.db.sql<
      { prompt: { messages: { content: { text: string }[] }[] } }[]
    >`
      SELECT prompt FROM jobs WHERE account_id = ${accountId}`;
    expect(row!.prompt.messages[0]!.content[0]!.text === content).toBe(true);
  });
});
