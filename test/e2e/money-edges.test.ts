import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpAt } from '../../core/admin/index.js';
import { type GatewayHarness, startGatewayHarness } from './gateway-harness.js';

/**
 * Exact money at the edges, over HTTP against the real app, PostgreSQL and Redis: the charge is the
 * upstream's usage even above the hold, an account that cannot cover it stops at 0 with the rest
 * shown to operators, and no input can shrink the hold below what the upstream will count.
 */

// Rp 1 per input token, Rp 2 per output token: bills are easy to read.
const CATALOG = {
  defaults: { chat: 'meter-1', image: 'gpt-image-1' },
  models: [
    {
      id: 'gpt-image-1',
      kind: 'image',
      sizes: ['1024x1024'],
      max_n: 1,
      price: { per_image: 700 },
      routes: [{ provider: 'openai', model: 'gpt-image-1' }],
    },
    {
      id: 'meter-1',
      kind: 'chat',
      name: 'Meter',
      max_output_tokens: 1000,
      context_window: 200_000,
      vision: true,
      tools: true,
      price: { input_per_mtok: 1_000_000, output_per_mtok: 2_000_000 },
      routes: [{ provider: 'openai', model: 'gpt-4o-mini' }],
    },
    {
      id: 'meter-claude',
      kind: 'chat',
      name: 'Meter Claude',
      max_output_tokens: 1000,
      context_window: 200_000,
      vision: true,
      tools: true,
      price: { input_per_mtok: 1_000_000, output_per_mtok: 2_000_000 },
      routes: [{ provider: 'anthropic', model: 'claude-sonnet-4-5' }],
    },
    {
      id: 'meter-gemini',
      kind: 'chat',
      name: 'Meter Gemini',
      max_output_tokens: 1000,
      context_window: 200_000,
      price: { input_per_mtok: 1_000_000, output_per_mtok: 2_000_000 },
      routes: [{ provider: 'gemini', model: 'gemini-2.5-flash' }],
    },
    {
      id: 'meter-deepseek',
      kind: 'chat',
      name: 'Meter DeepSeek',
      max_output_tokens: 1000,
      context_window: 200_000,
      price: { input_per_mtok: 1_000_000, output_per_mtok: 2_000_000 },
      routes: [{ provider: 'deepseek', model: 'deepseek-chat' }],
    },
  ],
};

const METRICS = 'metrics-token-money-0123456789';
let h: GatewayHarness;
let adminToken: string;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'aiport-money-'));
  const catalogFile = join(dir, 'catalog.json');
  await writeFile(catalogFile, JSON.stringify(CATALOG));
  h = await startGatewayHarness({ env: { CATALOG_FILE: catalogFile, METRICS_TOKEN: METRICS } });
  const admin = await h.t.container.core.adminUsers.create({
    email: 'ops@aiport.id',
    password: 'an operator passphrase',
  });
  const login = await fetch(`${h.url}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: 'ops@aiport.id',
      password: 'an operator passphrase',
      code: totpAt(admin.totpSecret, Date.now()),
    }),
  });
  adminToken = ((await login.json()) as { token: string }).token;
});
afterAll(() => h.close());

/** A short chat the upstream bills as 5,000 input + 5 output tokens: Rp 5,010, far above its hold. */
async function sayHiBilledAt5010(key: string): Promise<Response> {
  h.openai.enqueue({ reply: { text: 'ok', inputTokens: 5_000, outputTokens: 5 } });
  const { response } = await h
    .openaiClient(key)
    .chat.completions.create({
      model: 'meter-1',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    })
    .withResponse();
  return response;
}

async function jobOf(jobId: string) {
  return (await h.t.container.core.jobs.get(jobId))!;
}

describe('the charge is the upstream usage', () => {
  it('bills 5,000 reported input tokens for a short prompt exactly, far above the hold', async () => {
    const { accountId, key } = await h.account(100_000);
    h.openai.enqueue({ reply: { text: 'ok', inputTokens: 5_000, outputTokens: 5 } });
    const { data, response } = await h
      .openaiClient(key)
      .chat.completions.create({
        model: 'meter-1',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      })
      .withResponse();
    expect(data.usage).toMatchObject({ prompt_tokens: 5_000, completion_tokens: 5 });
    expect(response.headers.get('x-aiport-cost-idr')).toBe('5010');
    expect(await h.balanceMrp(accountId)).toBe((100_000n - 5_010n) * 1000n);
    const job = await jobOf(response.headers.get('x-aiport-job-id')!);
    expect(job).toMatchObject({ costMrp: 5_010_000n, uncollectedMrp: 0n, inputTokens: 5_000 });
    expect(await h.t.container.core.ledger.verify(accountId)).toEqual([]);
  });

  it('takes what an account has, never below 0, and shows the rest to operators and in metrics', async () => {
    const { accountId, key } = await h.account(300);
    const response = await sayHiBilledAt5010(key);
    const jobId = response.headers.get('x-aiport-job-id')!;
    expect(response.headers.get('x-aiport-cost-idr')).toBe('300');
    expect(await h.t.container.core.ledger.balance(accountId)).toEqual({
      balanceMrp: 0n,
      heldMrp: 0n,
      availableMrp: 0n,
    });
    expect(await jobOf(jobId)).toMatchObject({ costMrp: 300_000n, uncollectedMrp: 4_710_000n });

    const view = await fetch(`${h.url}/admin/uncollected`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(view.status).toBe(200);
    const report = (await view.json()) as { total_idr: number; data: Array<Record<string, unknown>> };
    expect(report.data).toContainEqual(
      expect.objectContaining({
        job_id: jobId,
        account_id: accountId,
        charged_idr: 300,
        uncollected_idr: 4710,
      }),
    );
    const detail = await fetch(`${h.url}/admin/accounts/${accountId}`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    const account = (await detail.json()) as { jobs: Array<Record<string, unknown>> };
    expect(account.jobs).toContainEqual(expect.objectContaining({ id: jobId, uncollected_idr: 4710 }));
    const metrics = await h.t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${METRICS}` },
    });
    expect(metrics.body).toMatch(/aiport_uncollected_idr 4710\b/);
    expect(metrics.body).toMatch(/aiport_uncollected_jobs 1\b/);
    // Nothing can be spent from a balance of 0 afterwards.
    const error = await h
      .openaiClient(key)
      .chat.completions.create({ model: 'meter-1', messages: [{ role: 'user', content: 'lagi' }] })
      .catch((e: unknown) => e);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(402);
  });

  it("stops a charge at the key's spend limit and shows the rest as uncollected, like an empty balance", async () => {
    const scrape = async () => {
      const metrics = await h.t.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: `Bearer ${METRICS}` },
      });
      return {
        idr: Number(/aiport_uncollected_idr (\S+)/.exec(metrics.body)![1]),
        jobs: Number(/aiport_uncollected_jobs (\S+)/.exec(metrics.body)![1]),
      };
    };
    const before = await scrape();
    const { accountId } = await h.account(100_000);
    // A key with a budget of Rp 1,000 on an account of Rp 100,000; the upstream bills Rp 5,010.
    const { key, secret } = await h.t.container.core.apiKeys.create(accountId, {
      name: 'budget',
      totalLimitMrp: 1_000_000n,
    });
    const response = await sayHiBilledAt5010(secret);
    const jobId = response.headers.get('x-aiport-job-id')!;
    expect(response.headers.get('x-aiport-cost-idr')).toBe('1000');
    expect(await jobOf(jobId)).toMatchObject({
      costMrp: 1_000_000n,
      uncollectedMrp: 4_010_000n,
      apiKeyId: key.id,
    });
    // The account had room: only the key's limit stopped the charge.
    expect(await h.balanceMrp(accountId)).toBe(99_000_000n);
    const [spent] = await h.t.container.core.db.sql<{ spent_mrp: bigint }[]>`
      SELECT spent_mrp FROM api_keys WHERE id = ${key.id}`;
    expect(spent!.spent_mrp).toBe(1_000_000n);

    const view = await fetch(`${h.url}/admin/uncollected`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    const report = (await view.json()) as { data: Array<Record<string, unknown>> };
    expect(report.data).toContainEqual(
      expect.objectContaining({
        job_id: jobId,
        account_id: accountId,
        charged_idr: 1000,
        uncollected_idr: 4010,
      }),
    );
    expect(await scrape()).toEqual({ idr: before.idr + 4010, jobs: before.jobs + 1 });
    // The spent key is refused before any upstream call; the account's balance still serves others.
    const refused = await h
      .openaiClient(secret)
      .chat.completions.create({
        model: 'meter-1',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'lagi' }],
      })
      .catch((e: unknown) => e);
    expect((refused as InstanceType<typeof OpenAI.APIError>).status).toBe(402);
    expect(await h.t.container.core.ledger.verify(accountId)).toEqual([]);
  });
});

describe('every dialect bills the reported usage, above the hold', () => {
  async function chargedJobs(accountId: string) {
    return h.t.container.core.db.sql<{ cost_mrp: bigint; input_tokens: number }[]>`
      SELECT cost_mrp, input_tokens FROM jobs WHERE account_id = ${accountId}`;
  }

  it.each([
    ['Anthropic', 'meter-claude', () => h.anthropic],
    ['Gemini', 'meter-gemini', () => h.gemini],
    ['DeepSeek', 'meter-deepseek', () => h.deepseek],
  ] as const)('an upstream speaking %s, streamed', async (_name, model, fake) => {
    const { accountId, key } = await h.account(100_000);
    fake().enqueue({ reply: { text: 'ok', inputTokens: 5_000, outputTokens: 5 } });
    const stream = await h.openaiClient(key).chat.completions.create({
      model,
      max_tokens: 10,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'hi' }],
    });
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) usage = chunk.usage ?? usage;
    expect(usage?.prompt_tokens).toBe(5_000);
    // Rp 1 per input and Rp 2 per output token, whatever the vendor counts as output (reasoning too).
    const bill = BigInt(5_000 + 2 * usage!.completion_tokens) * 1000n;
    expect(await chargedJobs(accountId)).toEqual([{ cost_mrp: bill, input_tokens: 5_000 }]);
    expect(await h.balanceMrp(accountId)).toBe(100_000_000n - bill);
  });

  it('the Anthropic Messages API in front of an OpenAI upstream', async () => {
    const { accountId, key } = await h.account(100_000);
    h.openai.enqueue({ reply: { text: 'ok', inputTokens: 5_000, outputTokens: 5 } });
    const message = await h.anthropicClient(key).messages.create({
      model: 'meter-1',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(message.usage).toMatchObject({ input_tokens: 5_000, output_tokens: 5 });
    expect(await chargedJobs(accountId)).toEqual([{ cost_mrp: 5_010_000n, input_tokens: 5_000 }]);
  });
});

describe('no input shrinks the hold', () => {
  it('refuses 70,000 spaces then dense text with 402 before any upstream call on Rp 10,000', async () => {
    const { accountId, key } = await h.account(10_000);
    const calls = h.openai.requests.length;
    const dense = Array.from({ length: 80_000 }, (_, i) => String.fromCharCode(0x4e00 + (i % 2000))).join('');
    const error = (await h
      .openaiClient(key)
      .chat.completions.create({
        model: 'meter-1',
        max_tokens: 10,
        messages: [{ role: 'user', content: `${' '.repeat(70_000)}${dense}` }],
      })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(402);
    expect(error.code).toBe('insufficient_balance');
    expect(h.openai.requests.length).toBe(calls);
    expect(await h.balanceMrp(accountId)).toBe(10_000_000n);
  });

  it('counts each image at the most tokens a provider documents for one', async () => {
    // Rp 4,000 covers this text and its output, but not an image's bound (5,000 tokens at Rp 1).
    const { accountId, key } = await h.account(4_000);
    const calls = h.openai.requests.length;
    const pixel =
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    const ask = (content: OpenAI.ChatCompletionContentPart[]) =>
      h
        .openaiClient(key)
        .chat.completions.create({ model: 'meter-1', max_tokens: 10, messages: [{ role: 'user', content }] })
        .catch((e: unknown) => e as InstanceType<typeof OpenAI.APIError>);
    const refused = await ask([
      { type: 'text', text: 'what is this?' },
      { type: 'image_url', image_url: { url: pixel } },
    ]);
    expect((refused as InstanceType<typeof OpenAI.APIError>).status).toBe(402);
    expect(h.openai.requests.length).toBe(calls);
    const served = await ask([{ type: 'text', text: 'what is this?' }]);
    expect((served as OpenAI.ChatCompletion).choices[0]!.message.content).toBeTypeOf('string');
    expect(await h.t.container.core.ledger.verify(accountId)).toEqual([]);
  });

  it('answers an account without balance 402 for long runs of one character, storing nothing', async () => {
    const { accountId, key } = await h.account(0);
    const calls = h.openai.requests.length;
    const results = await Promise.all(
      Array.from({ length: 3 }, () =>
        h
          .openaiClient(key)
          .chat.completions.create({
            model: 'meter-1',
            messages: [{ role: 'user', content: ' '.repeat(63_000) }],
          })
          .catch((e: unknown) => e as InstanceType<typeof OpenAI.APIError>),
      ),
    );
    expect(results.map((r) => (r as InstanceType<typeof OpenAI.APIError>).status)).toEqual([402, 402, 402]);
    expect(h.openai.requests.length).toBe(calls);
    const rows = await h.t.container.core.db.sql`SELECT 1 FROM jobs WHERE account_id = ${accountId}`;
    expect(rows).toHaveLength(0);
  });
});

describe('large and hostile bodies', () => {
  const post = (key: string, body: string) =>
    fetch(`${h.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body,
    });

  it('serves a large prompt (parsed off the event loop) exactly as sent', async () => {
    const { key } = await h.account(5_000_000);
    // Astral characters, a lone surrogate and a NUL too: the worker hands back exactly what JSON.parse
    // gives, and the job record (jsonb refuses the last two) is still written.
    const prompt = `${'halo dunia, apa kabar? '.repeat(4_000)}ダミー😀 \ud800 \u0000 ${'é'.repeat(5_000)}`;
    const response = await post(
      key,
      JSON.stringify({ model: 'meter-1', max_tokens: 5, messages: [{ role: 'user', content: prompt }] }),
    );
    expect(response.status).toBe(200);
    const sent = h.openai.requests.at(-1)!.body as { messages: { content: unknown }[] };
    expect(sent.messages.at(-1)!.content).toBe(prompt);
  });

  it('checks the key before reading the body: bad JSON with a bad key is 401, not 400', async () => {
    const response = await post('aip_nope', `{"model": "meter-1", "messages": [${' '.repeat(200_000)}`);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe('authentication_error');
  });

  it('refuses invalid, oversized and item-flooded bodies clearly in the OpenAI shape, storing nothing', async () => {
    const { accountId, key } = await h.account(1_000);
    const calls = h.openai.requests.length;
    const answers: [string, number][] = [];
    for (const body of [
      `{"model": "meter-1", "messages": [${'"x",'.repeat(50_000)}`,
      JSON.stringify({
        model: 'meter-1',
        messages: [{ role: 'user', content: 'x'.repeat(10.5 * 1024 * 1024) }],
      }),
      JSON.stringify({
        model: 'meter-1',
        messages: Array.from({ length: 60_000 }, () => ({ role: 'user', content: 'a' })),
      }),
    ]) {
      const response = await post(key, body);
      const { error } = (await response.json()) as { error: { message: string; type: string } };
      answers.push([error.type, response.status]);
      expect(error.message).toMatch(/not valid JSON|at most 10 MiB|at most 100,000 JSON values/);
    }
    expect(answers).toEqual([
      ['invalid_request_error', 400],
      ['invalid_request_error', 413],
      ['invalid_request_error', 413],
    ]);
    expect(h.openai.requests.length).toBe(calls);
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n);
    const rows = await h.t.container.core.db.sql`SELECT 1 FROM jobs WHERE account_id = ${accountId}`;
    expect(rows).toHaveLength(0);
  });
});

describe('media requests are admitted like chat', () => {
  it('counts image requests against the rate limit, which is checked before the balance', async () => {
    const { accountId, key } = await h.account(0);
    const limits = { requestsPerMinute: 1 };
    await h.t.container.core.db
      .sql`UPDATE accounts SET limits = ${h.t.container.core.db.sql.json(limits)} WHERE id = ${accountId}`;
    const generate = () =>
      h
        .openaiClient(key)
        .images.generate({ model: 'gpt-image-1', prompt: 'a kite' })
        .catch((e: unknown) => e as InstanceType<typeof OpenAI.APIError>);
    expect(((await generate()) as InstanceType<typeof OpenAI.APIError>).status).toBe(402);
    expect(((await generate()) as InstanceType<typeof OpenAI.APIError>).status).toBe(429);
    const rows = await h.t.container.core.db.sql`SELECT 1 FROM jobs WHERE account_id = ${accountId}`;
    expect(rows).toHaveLength(0);
  });

  it('keeps no prompt of a chat refused with 429', async () => {
    const { accountId, key } = await h.account(10_000);
    await h.t.container.core.db.sql`
      UPDATE accounts SET limits = ${h.t.container.core.db.sql.json({ requestsPerMinute: 1 })}
      WHERE id = ${accountId}`;
    const ask = (content: string) =>
      h
        .openaiClient(key)
        .chat.completions.create({ model: 'meter-1', max_tokens: 5, messages: [{ role: 'user', content }] })
        .catch((e: unknown) => e as InstanceType<typeof OpenAI.APIError>);
    expect((await ask('first')) as OpenAI.ChatCompletion).toHaveProperty('choices');
    expect(((await ask('a secret second prompt')) as InstanceType<typeof OpenAI.APIError>).status).toBe(429);
    const rows = await h.t.container.core.db.sql<{ prompt: unknown }[]>`
      SELECT prompt FROM jobs WHERE account_id = ${accountId}`;
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain('secret second');
  });
});

describe('Anthropic streams', () => {
  it('start with the real input token count in message_start', async () => {
    const { key } = await h.account(100_000);
    h.anthropic.enqueue({ reply: { text: 'halo', inputTokens: 1_234, outputTokens: 3 } });
    const stream = h.anthropicClient(key).messages.stream({
      model: 'meter-claude',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'hi' }],
    });
    let startInput: number | undefined;
    for await (const event of stream) {
      if (event.type === 'message_start') startInput = event.message.usage.input_tokens;
    }
    expect(startInput).toBe(1_234);
    expect((await stream.finalMessage()).usage.input_tokens).toBe(1_234);
  });

  it('start with our estimate, not 0, when the upstream reports usage only at the end', async () => {
    const { key } = await h.account(100_000);
    const stream = h.anthropicClient(key).messages.stream({
      model: 'meter-1',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'berapa jarak bumi ke bulan dalam kilometer?' }],
    });
    let startInput = 0;
    for await (const event of stream) {
      if (event.type === 'message_start') startInput = event.message.usage.input_tokens;
    }
    expect(startInput).toBeGreaterThan(5);
  });
});
