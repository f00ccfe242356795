import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tokenCostMrp } from '../../core/ledger/index.js';
import { manualClock } from '../../core/ports/clock.js';
import { TINY_PNG_BASE64 } from '../fakes/llm-test-kit.js';
import { type GatewayHarness, startGatewayHarness } from './gateway-harness.js';

/** gpt-4o-mini in the shipped catalog: Rp 2.500 / Rp 10.000 / Rp 1.250 per 1M tokens. */
const PRICE = {
  inputPerMTokMrp: 2_500_000n,
  outputPerMTokMrp: 10_000_000n,
  cachedInputPerMTokMrp: 1_250_000n,
};
let h: GatewayHarness;
const clock = manualClock();

beforeAll(async () => {
  h = await startGatewayHarness({ clock });
});
afterAll(() => h.close());
// Routes' error rates decay with time: each test starts with healthy routes, in catalog order.
afterEach(() => clock.advance(30 * 60_000));

async function job(id: string) {
  return h.t.container.core.jobs.get(id);
}

describe('POST /v1/chat/completions with the openai client', () => {
  it('answers non-stream, bills exactly price x upstream usage, and records the job', async () => {
    const { accountId, key } = await h.account(1000);
    h.openai.enqueue({ reply: { inputTokens: 1200, outputTokens: 345, cachedTokens: 200 } });
    const { data, response } = await h
      .openaiClient(key)
      .chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'jawab singkat' },
          { role: 'user', content: 'halo apa kabar' },
        ],
        max_tokens: 1000,
      })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('Echo: halo apa kabar');
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(data.usage).toMatchObject({ prompt_tokens: 1200, completion_tokens: 345 });
    const cost = tokenCostMrp({ inputTokens: 1200, outputTokens: 345, cachedInputTokens: 200 }, PRICE);
    expect(cost).toBe(6200n);
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n - cost);
    expect(response.headers.get('x-aiport-cost-idr')).toBe('6.2');
    const jobId = response.headers.get('x-aiport-job-id')!;
    const row = await job(jobId);
    expect(row).toMatchObject({
      status: 'succeeded',
      channel: 'api',
      kind: 'chat',
      model: 'gpt-4o-mini',
      provider: 'openai',
      inputTokens: 1200,
      outputTokens: 345,
      cachedTokens: 200,
      costMrp: cost,
      usageEstimated: false,
    });
    expect(row?.attempts).toEqual([expect.objectContaining({ provider: 'openai', status: 'ok' })]);
    expect(row?.price).toMatchObject({ inputPerMTokMrp: '2500000', outputPerMTokMrp: '10000000' });
    expect(row?.output).toMatchObject({ text: 'Echo: halo apa kabar' });
    expect(row?.ttfbMs).toBeTypeOf('number');
    // The upstream was asked for at most the client's max.
    expect(h.openai.requests.at(-1)?.body).toMatchObject({
      model: 'gpt-4o-mini',
      max_completion_tokens: 1000,
    });
    expect(await h.t.container.core.ledger.verify()).toEqual([]);
  });

  it('streams chunk by chunk with the usage and its cost in the last chunk', async () => {
    const { accountId, key } = await h.account(1000);
    h.openai.enqueue({ reply: { text: 'satu dua tiga empat lima', inputTokens: 50, outputTokens: 5000 } });
    const { data: stream, response } = await h
      .openaiClient(key)
      .chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hitung' }],
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const jobId = response.headers.get('x-aiport-job-id')!;
    let text = '';
    let contentChunks = 0;
    let usage: (OpenAI.CompletionUsage & { cost_idr?: number }) | undefined;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta.content;
      if (delta) {
        text += delta;
        contentChunks += 1;
      }
      if (chunk.choices[0]?.finish_reason) finish = chunk.choices[0].finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('satu dua tiga empat lima');
    expect(contentChunks).toBe(5);
    expect(finish).toBe('stop');
    const cost = tokenCostMrp({ inputTokens: 50, outputTokens: 5000 }, PRICE);
    expect(usage).toMatchObject({
      prompt_tokens: 50,
      completion_tokens: 5000,
      cost_idr: Number(cost) / 1000,
    });
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n - cost);
    expect((await job(jobId))?.status).toBe('succeeded');
  });

  it('fails over to the next route when the primary answers 500, 529 or times out', async () => {
    const { accountId, key } = await h.account(1000);
    const client = h.openaiClient(key);
    // 401: our key for this route is refused; not the client's fault, so the next route answers.
    for (const fault of [{ status: 500 }, { status: 529 }, { latencyMs: 4000 }, { status: 401 }]) {
      const localBefore = h.local.requests.length;
      h.openai.enqueue(fault);
      const { data, response } = await client.chat.completions
        .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'tolong' }] })
        .withResponse();
      expect(data.choices[0]?.message.content).toBe('Echo: tolong');
      expect(h.local.requests.length).toBe(localBefore + 1);
      expect(h.local.requests.at(-1)?.body).toMatchObject({ model: 'qwen2.5-7b-instruct' });
      const row = await job(response.headers.get('x-aiport-job-id')!);
      expect(row?.provider).toBe('openai-compatible');
      expect(row?.attempts.map((a) => [a.provider, a.status])).toEqual([
        ['openai', 'error'],
        ['openai-compatible', 'ok'],
      ]);
      clock.advance(30 * 60_000); // let the primary's error rate decay, so it stays first
    }
    // Streams fail over too, as long as nothing was sent.
    h.openai.enqueue({ status: 503 });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'stream juga' }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Echo: stream juga');
    expect(await h.t.container.core.ledger.verify(accountId)).toEqual([]);
  });

  it('does not fail over after the first byte: the client sees an error and is not charged', async () => {
    const { accountId, key } = await h.account(1000);
    h.openai.enqueue({ reply: { text: 'satu dua tiga empat lima enam' }, cutAfter: 3 });
    const localBefore = h.local.requests.length;
    const stream = await h.openaiClient(key).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'panjang' }],
      stream: true,
    });
    let text = '';
    const failure = await (async () => {
      try {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(String((failure as Error).message)).toMatch(/cut off/);
    expect(text.length).toBeGreaterThan(0);
    expect(h.local.requests.length).toBe(localBefore);
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n);
    expect((await h.t.container.core.ledger.balance(accountId)).heldMrp).toBe(0n);
  });

  it('does not fail over on a 400 from upstream', async () => {
    const { accountId, key } = await h.account(1000);
    h.openai.enqueue({ status: 400, errorMessage: 'bad parameter' });
    const localBefore = h.local.requests.length;
    const error = await h
      .openaiClient(key)
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(h.local.requests.length).toBe(localBefore);
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n);
  });

  it('refuses for safety without charging, stream and non-stream', async () => {
    const { accountId, key } = await h.account(1000);
    const client = h.openaiClient(key);
    h.openai.enqueue({ safety: true });
    const error = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'bahaya' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('content_refused');
    h.openai.enqueue({ safety: true });
    const streamError = await (async () => {
      try {
        const stream = await client.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'bahaya' }],
          stream: true,
        });
        for await (const _ of stream) {
          // drain
        }
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect((streamError as InstanceType<typeof OpenAI.APIError>).code).toBe('content_refused');
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n);
    const [refused] = await h.t.container.core.jobs.listForAccount(accountId, { limit: 1 });
    expect(refused).toMatchObject({ status: 'refused', errorCode: 'content_refused', costMrp: 0n });
  });

  it('estimates and marks missing usage; an explicit zero usage is billed as zero', async () => {
    const { accountId, key } = await h.account(1000);
    const client = h.openaiClient(key);
    h.openai.enqueue({ usage: 'missing' });
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'berapa biayanya' }] })
      .withResponse();
    expect(data.usage).toMatchObject({ estimated: true });
    const estimated = await job(response.headers.get('x-aiport-job-id')!);
    expect(estimated?.usageEstimated).toBe(true);
    expect(estimated?.outputTokens).toBeGreaterThan(0);
    expect(estimated?.costMrp).toBeGreaterThan(0n);
    const afterEstimate = await h.balanceMrp(accountId);
    expect(afterEstimate).toBe(1_000_000n - estimated!.costMrp!);

    h.openai.enqueue({ usage: 'zero' });
    const zero = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'gratis?' }] })
      .withResponse();
    const zeroJob = await job(zero.response.headers.get('x-aiport-job-id')!);
    expect(zeroJob).toMatchObject({ usageEstimated: false, inputTokens: 0, outputTokens: 0, costMrp: 0n });
    expect(await h.balanceMrp(accountId)).toBe(afterEstimate);
  });

  it('passes images (data URLs checked, https URLs as URLs) and tools', async () => {
    const { key } = await h.account(1000);
    const client = h.openaiClient(key);
    const result = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'apa ini' },
            { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${TINY_PNG_BASE64}` } },
            { type: 'image_url', image_url: { url: 'https://example.com/kucing.png' } },
          ],
        },
      ],
    });
    expect(result.choices[0]?.message.content).toBe('Echo: apa ini');
    const sent = h.openai.requests.at(-1)?.body as { messages: Array<{ content: unknown }> };
    const parts = sent.messages.at(-1)?.content as Array<{ image_url?: { url: string } }>;
    expect(parts[1]?.image_url?.url).toBe(`data:image/png;base64,${TINY_PNG_BASE64}`);
    expect(parts[2]?.image_url?.url).toBe('https://example.com/kucing.png');

    const tools = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'cuaca jakarta' }],
      tools: [{ type: 'function', function: { name: 'cuaca', parameters: { type: 'object' } } }],
      tool_choice: 'required',
    });
    const call = tools.choices[0]?.message.tool_calls?.[0];
    expect(tools.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type === 'function' && call.function.name).toBe('cuaca');
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({
      echo: 'cuaca jakarta',
    });
  });

  it('answers 402 with the balance and the amount needed, and charges nothing', async () => {
    const { accountId, key } = await h.account('0.01');
    const error = (await h
      .openaiClient(key)
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'halo' }] })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(402);
    expect(error.code).toBe('insufficient_balance');
    expect(error.message).toMatch(/Rp 0,01 available, Rp [\d.,]+ needed/);
    expect(await h.balanceMrp(accountId)).toBe(10n);
  });
});

describe('content retention', () => {
  it('stores no prompt or output for a zero-retention account, but keeps the billing record', async () => {
    const { accountId, key } = await h.account(1000);
    await h.t.container.core.db.sql`UPDATE accounts SET zero_retention = true WHERE id = ${accountId}`;
    const { response } = await h
      .openaiClient(key)
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'rahasia' }] })
      .withResponse();
    const row = await job(response.headers.get('x-aiport-job-id')!);
    expect(row).toMatchObject({ status: 'succeeded', prompt: null, output: null });
    expect(row?.costMrp).toBeGreaterThan(0n);
  });
});

describe('bad input gets a clear 4xx and is never charged', () => {
  async function post(key: string, body: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${h.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { error: Record<string, string> } };
  }
  const user = [{ role: 'user', content: 'halo' }];

  it.each([
    ['missing model', { messages: user }, 400, /model/],
    ['unknown model', { model: 'gpt-99', messages: user }, 404, /gpt-99/],
    ['an image model', { model: 'gpt-image-2', messages: user }, 404, /gpt-image-2/],
    ['empty messages', { model: 'gpt-4o-mini', messages: [] }, 400, /at least one/],
    [
      'malformed messages',
      { model: 'gpt-4o-mini', messages: [{ role: 'robot', content: 'x' }] },
      400,
      /role/,
    ],
    ['messages not a list', { model: 'gpt-4o-mini', messages: 'halo' }, 400, /messages/],
    [
      'only a system message',
      { model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'x' }] },
      400,
      /user/,
    ],
    ['wrong types', { model: 'gpt-4o-mini', messages: user, temperature: 'hot' }, 400, /temperature/],
    ['n > 1 where no route honours it', { model: 'claude-haiku-4.5', messages: user, n: 3 }, 400, /"n"/],
    ['n above 128', { model: 'gpt-4o-mini', messages: user, n: 129 }, 400, /n/],
    [
      'an image that is not an image',
      {
        model: 'gpt-4o-mini',
        messages: [
          {
            role: 'user',
            content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,aGVsbG8gd29ybGQ=' } }],
          },
        ],
      },
      400,
      /not a PNG, JPEG, GIF or WebP/,
    ],
    [
      'an http image URL',
      {
        model: 'gpt-4o-mini',
        messages: [
          { role: 'user', content: [{ type: 'image_url', image_url: { url: 'http://example.com/a.png' } }] },
        ],
      },
      400,
      /https/,
    ],
    [
      'images to a model without vision',
      {
        model: 'deepseek-v4-pro',
        messages: [
          {
            role: 'user',
            content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${TINY_PNG_BASE64}` } }],
          },
        ],
      },
      400,
      /does not accept images/,
    ],
    ['invalid JSON', '{"model": "gpt-4o-mini", "messages": [', 400, /not valid JSON/],
  ])('%s', async (_name, body, status, message) => {
    const { accountId, key } = await h.account(1000);
    const before = h.openai.requests.length;
    const response = await post(key, body);
    expect(response.status).toBe(status);
    expect(response.body.error.message).toMatch(message);
    expect(response.body.error.type).toBeTypeOf('string');
    expect(h.openai.requests.length).toBe(before);
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n);
  });

  it('a body over the limit gets 413', async () => {
    const { key } = await h.account(10);
    const response = await post(key, {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'x'.repeat(11 * 1024 * 1024) }],
    });
    expect(response.status).toBe(413);
  });

  it('a key without the chat scope gets 403, a bad key 401', async () => {
    const { key } = await h.account(10, ['images']);
    const response = await post(key, { model: 'gpt-4o-mini', messages: user });
    expect(response.status).toBe(403);
    expect(response.body.error.message).toMatch(/chat/);
    expect((await post('aip_nope', { model: 'gpt-4o-mini', messages: user })).status).toBe(401);
  });
});

describe('models and pricing', () => {
  it('lists served models with kind and IDR prices', async () => {
    const { key } = await h.account(0, ['images']);
    const list = await h.openaiClient(key).models.list();
    const mini = list.data.find((m) => m.id === 'gpt-4o-mini') as unknown as Record<string, unknown>;
    expect(mini).toMatchObject({
      object: 'model',
      kind: 'chat',
      price: { input_per_mtok_idr: 2500, output_per_mtok_idr: 10000, cached_input_per_mtok_idr: 1250 },
      providers: ['openai', 'openai-compatible'],
    });
    expect(list.data.some((m) => (m as unknown as { kind: string }).kind === 'image')).toBe(true);
    const one = await h.openaiClient(key).models.retrieve('claude-haiku-4.5');
    expect(one).toMatchObject({ id: 'claude-haiku-4.5', kind: 'chat', providers: ['anthropic'] });
    const missing = await h
      .openaiClient(key)
      .models.retrieve('nope')
      .catch((e: unknown) => e);
    expect((missing as InstanceType<typeof OpenAI.APIError>).status).toBe(404);
  });

  it('serves /pricing as JSON to programs and as a safe HTML table to people', async () => {
    const json = await fetch(`${h.url}/pricing`, { headers: { accept: 'application/json' } });
    const body = (await json.json()) as { data: Array<{ id: string; providers: string[] }> };
    expect(body.data.find((m) => m.id === 'claude-haiku-4.5')?.providers).toEqual(['anthropic']);
    const html = await fetch(`${h.url}/pricing`, { headers: { accept: 'text/html' } });
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(html.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(html.headers.get('x-content-type-options')).toBe('nosniff');
    const page = await html.text();
    expect(page).toContain('<table>');
    expect(page).toContain('Rp 2.500');
    expect(page).toContain('Anthropic');
  });
});
