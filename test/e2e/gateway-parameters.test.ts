import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tokenCostMrp } from '../../core/ledger/index.js';
import { manualClock } from '../../core/ports/clock.js';
import { type GatewayHarness, startGatewayHarness } from './gateway-harness.js';

/** gpt-4o-mini: Rp 2.500 / 10.000 / 1.250 per 1M tokens; claude-haiku-4.5: Rp 16.500 / 82.500 / 1.650. */
const GPT = { inputPerMTokMrp: 2_500_000n, outputPerMTokMrp: 10_000_000n, cachedInputPerMTokMrp: 1_250_000n };
const HAIKU = {
  inputPerMTokMrp: 16_500_000n,
  outputPerMTokMrp: 82_500_000n,
  cachedInputPerMTokMrp: 1_650_000n,
};

let h: GatewayHarness;
const clock = manualClock();
beforeAll(async () => {
  h = await startGatewayHarness({ clock });
});
afterAll(() => h.close());
afterEach(() => clock.advance(30 * 60_000));

const citySchema = {
  type: 'object',
  properties: { city: { type: 'string' } },
  required: ['city'],
  additionalProperties: false,
};

describe('chat completions: every parameter passed on or refused by name', () => {
  it('strict structured output with the openai client, the other parameters passed through, billed at usage', async () => {
    const { accountId, key } = await h.account(1000);
    h.openai.enqueue({ reply: { text: '{"city":"Bogor"}', inputTokens: 77, outputTokens: 6 } });
    const completion = await h.openaiClient(key).chat.completions.parse({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'developer', content: 'answer as JSON' },
        {
          role: 'user',
          content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'low' } }],
        },
        { role: 'user', content: 'kota hujan?' },
      ],
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'city', schema: citySchema, strict: true },
      },
      tools: [{ type: 'function', function: { name: 'lookup', parameters: citySchema, strict: true } }],
      parallel_tool_calls: false,
      seed: 7,
      frequency_penalty: 0.5,
      presence_penalty: -0.5,
      logit_bias: { '1234': -100 },
      reasoning_effort: 'low',
      user: 'user-42',
      prompt_cache_key: 'pk-1',
      service_tier: 'flex',
      metadata: { ticket: 'T-9' },
      verbosity: 'low',
    });
    expect(completion.choices[0]?.message.parsed).toEqual({ city: 'Bogor' });
    const sent = h.openai.requests.at(-1)!.body as Record<string, unknown>;
    expect(sent).toMatchObject({
      messages: [
        { role: 'developer', content: 'answer as JSON' },
        {
          role: 'user',
          content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'low' } }],
        },
        { role: 'user', content: 'kota hujan?' },
      ],
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'city', strict: true, schema: citySchema },
      },
      tools: [{ type: 'function', function: { name: 'lookup', strict: true } }],
      parallel_tool_calls: false,
      seed: 7,
      frequency_penalty: 0.5,
      presence_penalty: -0.5,
      logit_bias: { '1234': -100 },
      reasoning_effort: 'low',
      user: 'user-42',
      prompt_cache_key: 'pk-1',
      service_tier: 'flex',
      metadata: { ticket: 'T-9' },
      verbosity: 'low',
    });
    expect(await h.balanceMrp(accountId)).toBe(
      1_000_000n - tokenCostMrp({ inputTokens: 77, outputTokens: 6 }, GPT),
    );
  });

  it('refuses with a 400 naming the parameter when no route of the model honours it, billing nothing', async () => {
    const { accountId, key } = await h.account(1000);
    const client = h.openaiClient(key);
    const base = { messages: [{ role: 'user' as const, content: 'halo' }] };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ model: 'claude-haiku-4.5', seed: 1 }, 'seed'],
      [{ model: 'claude-haiku-4.5', frequency_penalty: 1 }, 'frequency_penalty'],
      [{ model: 'claude-haiku-4.5', logit_bias: { '1': 1 } }, 'logit_bias'],
      [{ model: 'claude-haiku-4.5', verbosity: 'high' }, 'verbosity'],
      [{ model: 'deepseek-v4-pro', prompt_cache_key: 'x' }, 'prompt_cache_key'],
      [{ model: 'local-llm', service_tier: 'flex' }, 'service_tier'],
      [{ model: 'claude-haiku-4.5', logprobs: true }, 'logprobs'],
    ];
    for (const [extra, param] of cases) {
      const error = await client.chat.completions
        .create({ ...base, ...extra } as never)
        .catch((e: unknown) => e as { status: number; param: string; message: string });
      expect(error, JSON.stringify(extra)).toMatchObject({ status: 400, param });
    }
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n);
  });

  it('skips a route that cannot honour a parameter: prompt_cache_key goes to OpenAI, never to the self-hosted route', async () => {
    const { key } = await h.account(1000);
    h.openai.enqueue({ status: 503 });
    const before = h.local.requests.length;
    const error = await h
      .openaiClient(key)
      .chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'x' }],
        prompt_cache_key: 'k',
      })
      .catch((e: unknown) => e as { status: number });
    expect(error).toMatchObject({ status: 503 });
    expect(h.local.requests.length).toBe(before);
  });
});

describe('messages: Anthropic parameters, caching, count_tokens and request-id', () => {
  it('passes cache_control, top_k, metadata, service_tier and strict tools to Anthropic; bills the usage', async () => {
    const { accountId, key } = await h.account(1000);
    h.anthropic.enqueue({ reply: { inputTokens: 2000, cacheReadTokens: 1500, outputTokens: 20 } });
    const { data, response } = await h
      .anthropicClient(key)
      .messages.create({
        model: 'claude-haiku-4.5',
        max_tokens: 200,
        system: [
          { type: 'text', text: 'long shared context', cache_control: { type: 'ephemeral', ttl: '1h' } },
        ],
        tools: [
          {
            name: 'lookup',
            input_schema: { type: 'object', properties: {} },
            strict: true,
            cache_control: { type: 'ephemeral' },
          },
        ],
        tool_choice: { type: 'auto', disable_parallel_tool_use: true },
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'halo', cache_control: { type: 'ephemeral' } }] },
        ],
        top_k: 5,
        metadata: { user_id: 'u-1' },
        service_tier: 'standard_only',
      } as never)
      .withResponse();
    expect(data.usage).toMatchObject({ cache_read_input_tokens: 1500 });
    expect(response.headers.get('request-id')).toBeTruthy();
    expect(h.anthropic.requests.at(-1)?.body).toMatchObject({
      system: [
        { type: 'text', text: 'long shared context', cache_control: { type: 'ephemeral', ttl: '1h' } },
      ],
      tools: [{ name: 'lookup', strict: true, cache_control: { type: 'ephemeral' } }],
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'halo', cache_control: { type: 'ephemeral' } }] },
      ],
      top_k: 5,
      metadata: { user_id: 'u-1' },
      service_tier: 'standard_only',
    });
    expect(await h.balanceMrp(accountId)).toBe(
      1_000_000n - tokenCostMrp({ inputTokens: 2000, cachedInputTokens: 1500, outputTokens: 20 }, HAIKU),
    );
  });

  it('refuses cache_control, top_k and thinking on models whose providers cannot honour them', async () => {
    const { accountId, key } = await h.account(1000);
    const client = h.anthropicClient(key);
    const cached = await client.messages
      .create({
        model: 'gpt-4o-mini',
        max_tokens: 50,
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'x', cache_control: { type: 'ephemeral' } }] },
        ],
      })
      .catch((e: unknown) => e as { status: number; error: unknown });
    expect(cached).toMatchObject({
      status: 400,
      error: { type: 'error', error: { type: 'invalid_request_error' } },
    });
    const thinking = await client.messages
      .create({
        model: 'gpt-4o-mini',
        max_tokens: 2048,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        messages: [{ role: 'user', content: 'x' }],
      })
      .catch((e: unknown) => e);
    expect(thinking).toMatchObject({ status: 400 });
    expect((thinking as Error).message).toContain('thinking');
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n);
  });

  it('counts tokens free of charge with the Anthropic client', async () => {
    const { accountId, key } = await h.account(1000);
    const count = await h.anthropicClient(key).messages.countTokens({
      model: 'claude-haiku-4.5',
      system: 'jawab singkat',
      messages: [{ role: 'user', content: 'berapa token kalimat ini?' }],
    });
    expect(count.input_tokens).toBeGreaterThan(5);
    expect(count.input_tokens).toBeLessThan(60);
    const unknown = await h
      .anthropicClient(key)
      .messages.countTokens({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e as { status: number });
    expect(unknown).toMatchObject({ status: 404 });
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n);
    expect(h.anthropic.requests.some((r) => r.path.includes('count_tokens'))).toBe(false);
  });
});

describe('what clients read on the model list', () => {
  const offeredSince = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

  it("gives OpenAI clients each model's real created time", async () => {
    const { key } = await h.account(0);
    const models = [];
    for await (const model of h.openaiClient(key).models.list()) models.push(model);
    expect(models.find((m) => m.id === 'gpt-4o-mini')?.created).toBe(offeredSince('2026-11-22'));
    expect(models.find((m) => m.id === 'text-embedding-3-small')?.created).toBe(offeredSince('2026-12-03'));
    expect(models.every((m) => m.created > 0 && m.object === 'model')).toBe(true);
  });

  it("gives Anthropic clients Anthropic's shape, paged", async () => {
    const { key } = await h.account(0);
    const client = h.anthropicClient(key);
    const first = await client.models.list({ limit: 3 });
    expect(first.data).toHaveLength(3);
    expect(first.has_more).toBe(true);
    expect(first.first_id).toBe(first.data[0]?.id);
    expect(first.last_id).toBe(first.data[2]?.id);
    const all = [];
    for await (const model of client.models.list({ limit: 4 })) all.push(model);
    const served = h.t.container.core.catalog.served.map((m) => m.id);
    expect(all.map((m) => m.id)).toEqual(served);
    expect(all.find((m) => m.id === 'claude-sonnet-4.5')).toEqual({
      type: 'model',
      id: 'claude-sonnet-4.5',
      display_name: 'Claude Sonnet 4.5',
      created_at: '2026-11-22T00:00:00Z',
    });
    const one = await client.models.retrieve('claude-haiku-4.5');
    expect(one).toMatchObject({ type: 'model', id: 'claude-haiku-4.5', created_at: '2026-11-22T00:00:00Z' });
  });
});
