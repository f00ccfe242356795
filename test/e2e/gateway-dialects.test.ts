import type Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tokenCostMrp } from '../../core/ledger/index.js';
import { manualClock } from '../../core/ports/clock.js';
import { type GatewayHarness, startGatewayHarness } from './gateway-harness.js';

/** claude-haiku-4.5 in the shipped catalog: Rp 16.500 / 82.500 / 1.650 per 1M tokens. */
const HAIKU = {
  inputPerMTokMrp: 16_500_000n,
  outputPerMTokMrp: 82_500_000n,
  cachedInputPerMTokMrp: 1_650_000n,
};
/** deepseek-flash: Rp 4.600 / 18.400 / 92. */
const DEEPSEEK = {
  inputPerMTokMrp: 4_600_000n,
  outputPerMTokMrp: 18_400_000n,
  cachedInputPerMTokMrp: 92_000n,
};

let h: GatewayHarness;
const clock = manualClock();
beforeAll(async () => {
  h = await startGatewayHarness({ clock });
});
afterAll(() => h.close());
afterEach(() => clock.advance(30 * 60_000));

describe('POST /v1/messages with the Anthropic client', () => {
  it('answers non-stream and bills exactly price x usage (cache reads at the cached price)', async () => {
    const { accountId, key } = await h.account(1000);
    h.anthropic.enqueue({ reply: { inputTokens: 900, cacheReadTokens: 300, outputTokens: 120 } });
    const message = await h.anthropicClient(key).messages.create({
      model: 'claude-haiku-4.5',
      max_tokens: 1024,
      system: 'jawab singkat',
      messages: [{ role: 'user', content: 'halo dari bandung' }],
    });
    expect(message.content).toEqual([{ type: 'text', text: 'Echo: halo dari bandung' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({
      input_tokens: 600,
      cache_read_input_tokens: 300,
      output_tokens: 120,
    });
    const cost = tokenCostMrp({ inputTokens: 900, cachedInputTokens: 300, outputTokens: 120 }, HAIKU);
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n - cost);
    expect(h.anthropic.requests.at(-1)?.body).toMatchObject({ model: 'claude-haiku-4-5', max_tokens: 1024 });
  });

  it('streams named events and bills from the cumulative message_delta usage', async () => {
    const { accountId, key } = await h.account(1000);
    h.anthropic.enqueue({ reply: { text: 'satu dua tiga', inputTokens: 40, outputTokens: 700 } });
    const stream = h.anthropicClient(key).messages.stream({
      model: 'claude-haiku-4.5',
      max_tokens: 2048,
      messages: [{ role: 'user', content: 'hitung' }],
    });
    const deltas: string[] = [];
    stream.on('text', (text) => deltas.push(text));
    const final = await stream.finalMessage();
    expect(deltas.join('')).toBe('satu dua tiga');
    expect(deltas.length).toBeGreaterThan(1);
    expect(final.usage).toMatchObject({ input_tokens: 40, output_tokens: 700 });
    expect(await h.balanceMrp(accountId)).toBe(
      1_000_000n - tokenCostMrp({ inputTokens: 40, outputTokens: 700 }, HAIKU),
    );
  });

  it('serves any chat model of the catalog, tools included', async () => {
    const { key } = await h.account(1000);
    const client = h.anthropicClient(key);
    const message = await client.messages.create({
      model: 'gpt-4o-mini',
      max_tokens: 100,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'lewat openai' }] }],
    });
    expect(message.content[0]).toEqual({ type: 'text', text: 'Echo: lewat openai' });
    const tools = await client.messages.create({
      model: 'gpt-4o-mini',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'cuaca bogor' }],
      tools: [{ name: 'cuaca', input_schema: { type: 'object' } }],
      tool_choice: { type: 'any' },
    });
    expect(tools.stop_reason).toBe('tool_use');
    expect(tools.content[0]).toMatchObject({
      type: 'tool_use',
      name: 'cuaca',
      input: { echo: 'cuaca bogor' },
    });
    const streamed = await client.messages
      .stream({
        model: 'gpt-4o-mini',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'cuaca medan' }],
        tools: [{ name: 'cuaca', input_schema: { type: 'object' } }],
        tool_choice: { type: 'tool', name: 'cuaca' },
      })
      .finalMessage();
    expect(streamed.content[0]).toMatchObject({
      type: 'tool_use',
      name: 'cuaca',
      input: { echo: 'cuaca medan' },
    });
  });

  it("answers errors in Anthropic's shape", async () => {
    const { key } = await h.account('0.001');
    const client = h.anthropicClient(key);
    const poor = (await client.messages
      .create({ model: 'claude-haiku-4.5', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(poor.status).toBe(402);
    expect(poor.error).toMatchObject({ type: 'error', error: { type: 'billing_error' } });
    expect((poor.error as { error: { message: string } }).error.message).toMatch(/needed/);

    const raw = async (body: unknown, apiKey = key) => {
      const response = await fetch(`${h.url}/v1/messages`, {
        method: 'POST',
        headers: {
          'x-api-key': apiKey,
          'anthropic-version': '2023-06-01',
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      return {
        status: response.status,
        body: (await response.json()) as { type: string; error: { type: string; message: string } },
      };
    };
    const noMax = await raw({ model: 'claude-haiku-4.5', messages: [{ role: 'user', content: 'x' }] });
    expect(noMax).toMatchObject({
      status: 400,
      body: { type: 'error', error: { type: 'invalid_request_error' } },
    });
    expect(noMax.body.error.message).toMatch(/max_tokens/);
    const unknown = await raw({
      model: 'claude-9',
      max_tokens: 5,
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(unknown).toMatchObject({ status: 404, body: { error: { type: 'not_found_error' } } });
    const badKey = await raw({ model: 'claude-haiku-4.5', max_tokens: 5, messages: [] }, 'aip_wrong');
    expect(badKey).toMatchObject({
      status: 401,
      body: { type: 'error', error: { type: 'authentication_error' } },
    });
    const notImage = await raw({
      model: 'claude-haiku-4.5',
      max_tokens: 5,
      messages: [
        {
          role: 'user',
          content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'aGVsbG8=' } }],
        },
      ],
    });
    expect(notImage).toMatchObject({ status: 400, body: { error: { type: 'invalid_request_error' } } });
  });

  it('a cut stream ends with an error event, not message_stop, and is not charged', async () => {
    const { accountId, key } = await h.account(1000);
    h.anthropic.enqueue({ reply: { text: 'satu dua tiga empat lima' }, midStreamError: true });
    const stream = h.anthropicClient(key).messages.stream({
      model: 'claude-haiku-4.5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'x' }],
    });
    await expect(stream.finalMessage()).rejects.toThrow();
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n);
  });
});

describe('safety refusals in each dialect are not billed', () => {
  it('Anthropic refusal', async () => {
    // Without max_tokens the hold is the model's whole output cap (64k tokens: Rp 5.280).
    const { accountId, key } = await h.account(10_000);
    h.anthropic.enqueue({ safety: true });
    const error = (await h
      .anthropicClient(key)
      .messages.create({
        model: 'claude-haiku-4.5',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'x' }],
      })
      .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(error.status).toBe(400);
    expect((error.error as { error: { message: string } }).error.message).toMatch(/refused/);
    h.anthropic.enqueue({ safety: true });
    const viaOpenAi = (await h
      .openaiClient(key)
      .chat.completions.create({
        model: 'claude-haiku-4.5',
        messages: [{ role: 'user', content: 'x' }],
        stream: true,
      })
      .then(async (s) => {
        for await (const _ of s) {
          // drain
        }
      })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(viaOpenAi.code).toBe('content_refused');
    expect(await h.balanceMrp(accountId)).toBe(10_000_000n);
  });

  it('Gemini SAFETY finish and blocked prompt', async () => {
    const { accountId, key } = await h.account(10_000);
    const client = h.openaiClient(key);
    h.gemini.enqueue({ safety: true });
    h.gemini.enqueue({ promptBlocked: true });
    for (const stream of [false, true]) {
      const error = (await (stream
        ? client.chat.completions
            .create({ model: 'gemini-3.5-flash', messages: [{ role: 'user', content: 'x' }], stream: true })
            .then(async (s) => {
              for await (const _ of s) {
                // drain
              }
            })
        : client.chat.completions.create({
            model: 'gemini-3.5-flash',
            messages: [{ role: 'user', content: 'x' }],
          })
      ).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
      expect(error.code).toBe('content_refused');
    }
    expect(await h.balanceMrp(accountId)).toBe(10_000_000n);
    const jobs = await h.t.container.core.jobs.listForAccount(accountId);
    expect(jobs.map((j) => j.status)).toEqual(['refused', 'refused']);
  });

  it('OpenAI content_filter (see also the openai file) and a DeepSeek stream billed from its finish-chunk usage', async () => {
    const { accountId, key } = await h.account(2000);
    h.deepseek.enqueue({ reply: { inputTokens: 80, cachedTokens: 64, outputTokens: 30 } });
    const stream = await h.openaiClient(key).chat.completions.create({
      model: 'deepseek-flash',
      messages: [{ role: 'user', content: 'halo deepseek' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let reasoning = '';
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      reasoning +=
        (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? '';
    }
    expect(text).toBe('Echo: halo deepseek');
    expect(reasoning).toBe('Thinking about: halo deepseek');
    // Output is the 30 answer tokens plus the 4 reasoning tokens DeepSeek reports inside completion_tokens.
    expect(await h.balanceMrp(accountId)).toBe(
      2_000_000n - tokenCostMrp({ inputTokens: 80, cachedInputTokens: 64, outputTokens: 34 }, DEEPSEEK),
    );
  });

  it('DeepSeek and Gemini tool loops through the OpenAI SDK: reasoning_content and thought signatures go back upstream', async () => {
    const { key } = await h.account(5000);
    const client = h.openaiClient(key);
    const tools = [
      { type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object' } } },
    ];
    for (const [model, fake] of [
      ['deepseek-flash', h.deepseek],
      ['gemini-3.5-flash', h.gemini],
    ] as const) {
      const ask = [{ role: 'user' as const, content: 'cuaca Jakarta' }];
      const first = await client.chat.completions.create({
        model,
        messages: ask,
        tools,
        tool_choice: 'required',
      });
      const message = first.choices[0]!.message;
      const call = message.tool_calls![0]!;
      const second = await client.chat.completions.create({
        model,
        tools,
        messages: [...ask, message, { role: 'tool', tool_call_id: call.id, content: 'cerah' }],
      });
      expect(second.choices[0]!.message.content).toBe(
        model === 'deepseek-flash' ? 'Echo: cuaca Jakarta' : 'Echo: cerah',
      );
      const sent = fake.requests.at(-1)!.body as Record<string, unknown>;
      if (model === 'deepseek-flash') {
        expect(sent.thinking).toEqual({ type: 'enabled' });
        expect((sent.messages as unknown[])[1]).toMatchObject({
          reasoning_content: 'Thinking about: cuaca Jakarta',
        });
      } else {
        const signature = (call as unknown as { extra_content: { google: { thought_signature: string } } })
          .extra_content.google.thought_signature;
        expect((sent.contents as Array<{ parts: unknown[] }>)[1]!.parts[0]).toMatchObject({
          functionCall: { id: call.id, name: 'get_weather' },
          thoughtSignature: signature,
        });
      }
    }
  });
});
