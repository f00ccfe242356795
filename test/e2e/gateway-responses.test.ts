import { createOpenAI } from '@ai-sdk/openai';
import { generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import { APIError } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tokenCostMrp } from '../../core/ledger/index.js';
import { manualClock } from '../../core/ports/clock.js';
import { type GatewayHarness, startGatewayHarness } from './gateway-harness.js';

/** gpt-4o-mini in the shipped catalog: Rp 2.500 / Rp 10.000 / Rp 1.250 per 1M tokens. */
const GPT = { inputPerMTokMrp: 2_500_000n, outputPerMTokMrp: 10_000_000n, cachedInputPerMTokMrp: 1_250_000n };
/** claude-haiku-4.5: Rp 16.500 / 82.500 / 1.650. */
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

const weatherTool = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Weather of a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
  strict: true,
};

describe('POST /v1/responses with the openai client', () => {
  it('answers non-stream, passes instructions, format and settings on, and bills the fake usage', async () => {
    const { accountId, key } = await h.account(1000);
    h.openai.enqueue({ reply: { inputTokens: 800, outputTokens: 90, cachedTokens: 100 } });
    const response = await h.openaiClient(key).responses.create({
      model: 'gpt-4o-mini',
      instructions: 'jawab singkat',
      input: 'halo dari medan',
      max_output_tokens: 500,
      temperature: 0.3,
      parallel_tool_calls: false,
      metadata: { ticket: 'T-1' },
      reasoning: { effort: 'low' },
      text: {
        format: {
          type: 'json_schema',
          name: 'answer',
          strict: true,
          schema: {
            type: 'object',
            properties: { a: { type: 'string' } },
            required: ['a'],
            additionalProperties: false,
          },
        },
      },
    });
    expect(response.object).toBe('response');
    expect(response.status).toBe('completed');
    expect(response.id).toMatch(/^resp_/);
    expect(response.output_text).toBe('Echo: halo dari medan');
    expect(response.output[0]).toMatchObject({ type: 'message', role: 'assistant', status: 'completed' });
    expect(response.usage).toMatchObject({
      input_tokens: 800,
      output_tokens: 90,
      input_tokens_details: { cached_tokens: 100 },
    });
    expect(response.metadata).toEqual({ ticket: 'T-1' });
    const sent = h.openai.requests.at(-1)?.body as Record<string, unknown>;
    expect(sent).toMatchObject({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'jawab singkat' },
        { role: 'user', content: 'halo dari medan' },
      ],
      max_completion_tokens: 500,
      temperature: 0.3,
      metadata: { ticket: 'T-1' },
      reasoning_effort: 'low',
      response_format: { type: 'json_schema', json_schema: { name: 'answer', strict: true } },
    });
    const cost = tokenCostMrp({ inputTokens: 800, outputTokens: 90, cachedInputTokens: 100 }, GPT);
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n - cost);
  });

  it('streams a forced tool call with the full event sequence, then continues from the stored response', async () => {
    const { accountId, key } = await h.account(1000);
    const client = h.openaiClient(key);
    h.openai.enqueue({ reply: { inputTokens: 50, outputTokens: 7 } });
    const stream = client.responses.stream({
      model: 'gpt-4o-mini',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'cuaca di bogor' }] }],
      tools: [weatherTool],
      tool_choice: 'required',
    });
    const types: string[] = [];
    const argumentDeltas: string[] = [];
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.function_call_arguments.delta') argumentDeltas.push(event.delta);
    }
    const final = await stream.finalResponse();
    expect(types[0]).toBe('response.created');
    expect(types[1]).toBe('response.in_progress');
    expect(types).toContain('response.output_item.added');
    expect(types).toContain('response.function_call_arguments.done');
    expect(types).toContain('response.output_item.done');
    expect(types.at(-1)).toBe('response.completed');
    expect(argumentDeltas.join('')).toBe('{"echo":"cuaca di bogor"}');
    const call = final.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({
      name: 'get_weather',
      call_id: 'call_fake_0',
      arguments: '{"echo":"cuaca di bogor"}',
    });
    expect(final.usage).toMatchObject({ input_tokens: 50, output_tokens: 7 });
    const sent = h.openai.requests.at(-1)?.body as { tools: Array<{ function: { strict?: boolean } }> };
    expect(sent.tools[0]?.function.strict).toBe(true);
    const first = tokenCostMrp({ inputTokens: 50, outputTokens: 7 }, GPT);
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n - first);

    // The next turn sends only the tool result: the gateway replays the stored conversation.
    h.openai.enqueue({ reply: { inputTokens: 70, outputTokens: 12 } });
    const next = await client.responses.create({
      model: 'gpt-4o-mini',
      previous_response_id: final.id,
      input: [{ type: 'function_call_output', call_id: 'call_fake_0', output: '{"temp":31}' }],
      tools: [weatherTool],
    });
    expect(next.previous_response_id).toBe(final.id);
    const replayed = (h.openai.requests.at(-1)!.body as { messages: unknown[] }).messages;
    expect(replayed).toEqual([
      { role: 'user', content: 'cuaca di bogor' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_fake_0',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"echo":"cuaca di bogor"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_fake_0', content: '{"temp":31}' },
    ]);
    const second = tokenCostMrp({ inputTokens: 70, outputTokens: 12 }, GPT);
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n - first - second);

    // Stored: readable by its owner, invisible to another account, deletable once.
    expect((await client.responses.retrieve(next.id)).output_text).toBe(next.output_text);
    const other = h.openaiClient((await h.account(10)).key);
    await expect(other.responses.retrieve(next.id)).rejects.toMatchObject({ status: 404 });
    const borrowed = await other.responses
      .create({ model: 'gpt-4o-mini', previous_response_id: next.id, input: 'lanjut' })
      .catch((error: unknown) => error);
    expect(borrowed).toBeInstanceOf(APIError);
    expect(borrowed).toMatchObject({
      status: 400,
      code: 'previous_response_not_found',
      param: 'previous_response_id',
    });
    await client.responses.delete(next.id);
    await expect(client.responses.retrieve(next.id)).rejects.toMatchObject({ status: 404 });
    await expect(client.responses.delete(next.id)).rejects.toMatchObject({ status: 404 });
  });

  it('keeps nothing for store: false or zero-retention accounts, and says so on previous_response_id', async () => {
    const { accountId, key } = await h.account(1000);
    const client = h.openaiClient(key);
    const unstored = await client.responses.create({ model: 'gpt-4o-mini', input: 'rahasia', store: false });
    expect((unstored as { store?: boolean }).store).toBe(false);
    await expect(client.responses.retrieve(unstored.id)).rejects.toMatchObject({ status: 404 });

    await h.t.container.core.db.sql`UPDATE accounts SET zero_retention = true WHERE id = ${accountId}`;
    const kept = await client.responses.create({ model: 'gpt-4o-mini', input: 'juga rahasia' });
    const rows = await h.t.container.core.db
      .sql`SELECT id FROM stored_responses WHERE account_id = ${accountId}`;
    expect(rows).toHaveLength(0);
    const error = await client.responses
      .create({ model: 'gpt-4o-mini', previous_response_id: kept.id, input: 'lanjut' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: 'previous_response_not_found' });
    expect((error as Error).message).toContain('zero-retention');
  });

  it('serves Anthropic models too, billed at their price', async () => {
    const { accountId, key } = await h.account(1000);
    h.anthropic.enqueue({ reply: { inputTokens: 30, outputTokens: 4 } });
    const response = await h.openaiClient(key).responses.create({
      model: 'claude-haiku-4.5',
      instructions: 'singkat',
      input: 'halo claude',
      max_output_tokens: 300,
    });
    expect(response.output_text).toBe('Echo: halo claude');
    expect(h.anthropic.requests.at(-1)?.body).toMatchObject({ system: 'singkat', max_tokens: 300 });
    expect(await h.balanceMrp(accountId)).toBe(
      1_000_000n - tokenCostMrp({ inputTokens: 30, outputTokens: 4 }, HAIKU),
    );
  });

  it('refuses malformed items, unknown tool types and unsupported settings with a 400, billing nothing', async () => {
    const { accountId, key } = await h.account(1000);
    const post = (body: unknown) =>
      fetch(`${h.url}/v1/responses`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const cases: Array<[unknown, string]> = [
      [{ model: 'gpt-4o-mini', input: [{ type: 'mystery' }] }, 'input.0.type'],
      [{ model: 'gpt-4o-mini', input: [{ type: 'function_call', name: 'x' }] }, 'input.0.call_id'],
      [{ model: 'gpt-4o-mini', input: 'x', tools: [{ type: 'web_search' }] }, 'tools.0.type'],
      [{ model: 'gpt-4o-mini', input: 'x', background: true }, 'background'],
      [{ model: 'gpt-4o-mini', input: [{ type: 'item_reference', id: 'msg_never' }] }, 'input.0'],
      [{ model: 'gpt-4o-mini', input: 'x', previous_response_id: 'resp_never' }, 'previous_response_id'],
      [{ model: 'gpt-4o-mini', input: 'x', include: ['file_search_call.results'] }, 'include'],
      [{ model: 'gpt-4o-mini', input: 'x', top_logprobs: 2 }, 'top_logprobs'],
      [{ model: 'claude-haiku-4.5', input: 'x', include: ['message.output_text.logprobs'] }, 'logprobs'],
    ];
    for (const [body, param] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const json = (await res.json()) as { error: { param: string; type: string; message: string } };
      expect(json.error).toMatchObject({ param, type: 'invalid_request_error' });
    }
    // A setting no route of the model honours is refused by name (Anthropic has no seed-like verbosity).
    const res = await post({ model: 'claude-haiku-4.5', input: 'x', text: { verbosity: 'low' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { param: string } }).error.param).toBe('verbosity');
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n);
  });
});

describe('Vercel AI SDK', () => {
  const provider = (key: string) => createOpenAI({ apiKey: key, baseURL: `${h.url}/v1` });

  it('openai() (Responses) generates text and bills the fake usage', async () => {
    const { accountId, key } = await h.account(1000);
    h.openai.enqueue({ reply: { inputTokens: 64, outputTokens: 9 } });
    const result = await generateText({
      model: provider(key)('gpt-4o-mini'),
      system: 'singkat',
      prompt: 'halo vercel',
    });
    expect(result.text).toBe('Echo: halo vercel');
    expect(result.usage).toMatchObject({ inputTokens: 64, outputTokens: 9 });
    expect(await h.balanceMrp(accountId)).toBe(
      1_000_000n - tokenCostMrp({ inputTokens: 64, outputTokens: 9 }, GPT),
    );
  });

  it('openai() streams a tool loop across two turns (stored item references resolved)', async () => {
    const { accountId, key } = await h.account(1000);
    h.openai.enqueue({ reply: { inputTokens: 40, outputTokens: 5 } });
    h.openai.enqueue({ reply: { text: 'Hangat, 31 derajat', inputTokens: 60, outputTokens: 4 } });
    const result = streamText({
      model: provider(key)('gpt-4o-mini'),
      prompt: 'cuaca di bogor',
      tools: {
        get_weather: tool({
          description: 'Weather of a city',
          inputSchema: jsonSchema<{ echo: string }>({
            type: 'object',
            properties: { echo: { type: 'string' } },
            required: ['echo'],
          }),
          execute: async () => ({ temp: 31 }),
        }),
      },
      toolChoice: 'required',
      prepareStep: ({ stepNumber }) => (stepNumber > 0 ? { toolChoice: 'none' } : {}),
      stopWhen: stepCountIs(2),
    });
    expect(await result.text).toBe('Hangat, 31 derajat');
    const steps = await result.steps;
    expect(steps[0]?.toolCalls[0]).toMatchObject({
      toolName: 'get_weather',
      input: { echo: 'cuaca di bogor' },
    });
    expect((await result.totalUsage).inputTokens).toBe(100);
    const secondTurn = h.openai.requests.at(-1)?.body as { messages: Array<{ role: string }> };
    expect(secondTurn.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    const cost =
      tokenCostMrp({ inputTokens: 40, outputTokens: 5 }, GPT) +
      tokenCostMrp({ inputTokens: 60, outputTokens: 4 }, GPT);
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n - cost);
  });

  it('openai.chat() generates text over chat completions', async () => {
    const { accountId, key } = await h.account(1000);
    h.openai.enqueue({ reply: { inputTokens: 21, outputTokens: 3 } });
    const result = await generateText({ model: provider(key).chat('gpt-4o-mini'), prompt: 'halo chat' });
    expect(result.text).toBe('Echo: halo chat');
    expect(await h.balanceMrp(accountId)).toBe(
      1_000_000n - tokenCostMrp({ inputTokens: 21, outputTokens: 3 }, GPT),
    );
  });
});
