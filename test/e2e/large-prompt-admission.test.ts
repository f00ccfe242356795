import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idrToMrp } from '../../core/ledger/index.js';
import { STORED_PROMPT_CHARS } from '../../core/routing/prompt-record.js';
import { FAKE_ANTHROPIC_KEY, type FakeAnthropic, startFakeAnthropic } from '../fakes/anthropic.js';
import type { RecordedRequest } from '../fakes/llm-server.js';
import { FAKE_OPENAI_KEY, type FakeOpenAI, startFakeOpenAI } from '../fakes/openai.js';
import { type ByteCountingRelay, startByteCountingRelay } from '../helpers/byte-counting-relay.js';
import { TEST_DATABASE_URL } from '../helpers/env.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * A prompt of megabytes, over HTTP against the real app, PostgreSQL and Redis: refused for its
 * balance, it costs the server almost nothing (no tokenizer estimate, no rate-limit tokens, nothing
 * of it written to or even sent to the database, no upstream call); admitted, it goes upstream
 * exactly as sent and its job record keeps a bounded head of it.
 */
let fake: FakeOpenAI;
let anthropic: FakeAnthropic;
let relay: ByteCountingRelay;
let t: TestApp;
let url: string;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  anthropic = await startFakeAnthropic();
  const db = new URL(TEST_DATABASE_URL);
  relay = await startByteCountingRelay({ host: db.hostname, port: Number(db.port || 5432) });
  t = await createTestApp({
    env: {
      OPENAI_API_KEY: FAKE_OPENAI_KEY,
      OPENAI_BASE_URL: `${fake.url}/v1`,
      ANTHROPIC_API_KEY: FAKE_ANTHROPIC_KEY,
      ANTHROPIC_BASE_URL: anthropic.url,
    },
    databaseUrl: (direct) => relay.urlThrough(direct),
  });
  url = await t.listen();
});
afterAll(async () => {
  await t.close();
  await relay.close();
  await fake.close();
  await anthropic.close();
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

const chat = (key: string, content: string, model = 'gpt-4o-mini') =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, max_tokens: 16, messages: [{ role: 'user', content }] }),
  });

/** The upstream got one well-formed JSON text: exactly JSON.stringify of what it parsed, its length declared. */
function expectExactBody(request: RecordedRequest) {
  expect(request.rawBody === JSON.stringify(request.body)).toBe(true);
  expect(request.headers['content-length']).toBe(String(request.rawBytes.byteLength));
}

/** The job's stored prompt: the prompt's first STORED_PROMPT_CHARS characters and how many more there were. */
async function expectBoundedRecord(accountId: string, content: string) {
  const [row] = await t.container.core.db.sql<
    {
      prompt: { messages: { content: { text: string; omittedChars?: number }[] }[]; omittedChars?: number };
    }[]
  >`SELECT prompt FROM jobs WHERE account_id = ${accountId}`;
  const stored = row!.prompt.messages[0]!.content[0]!;
  expect(stored.text === content.slice(0, STORED_PROMPT_CHARS)).toBe(true);
  expect(stored.omittedChars).toBe(content.length - STORED_PROMPT_CHARS);
  expect(row!.prompt.omittedChars).toBe(content.length - STORED_PROMPT_CHARS);
}

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

  it('admitted: sent upstream exactly as it came (built from pieces), its stored prompt bounded', async () => {
    const { accountId, key } = await account(100_000);
    const content = `${'halo dunia '.repeat(250_000)}ダミー😀${'é ô, "\\\n\u0001'.repeat(100_000)}`;
    fake.enqueue({ reply: { text: 'ok', inputTokens: 900_000, outputTokens: 1 } });
    const response = await chat(key, content);
    expect(response.status).toBe(200);
    const request = fake.requests.at(-1)!;
    const sent = request.body as { messages: { content: unknown }[] };
    expect(sent.messages.at(-1)!.content === content).toBe(true);
    expectExactBody(request);
    await expectBoundedRecord(accountId, content);
  });

  it('admitted to an Anthropic route: the Messages body is exact too', async () => {
    const { accountId, key } = await account(1_000_000);
    const content = `${'😀 selamat pagi '.repeat(40_000)}\u2028${'x'.repeat(300_000)}`;
    const response = await chat(key, content, 'claude-haiku-4.5');
    expect(response.status).toBe(200);
    const request = anthropic.requests.at(-1)!;
    const sent = request.body as { messages: { content: unknown }[] };
    const last = sent.messages.at(-1)!.content;
    const text = typeof last === 'string' ? last : (last as { text: string }[])[0]!.text;
    expect(text === content).toBe(true);
    expectExactBody(request);
    await expectBoundedRecord(accountId, content);
  });
});
