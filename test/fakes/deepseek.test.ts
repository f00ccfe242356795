import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_DEEPSEEK_KEY, type FakeDeepSeek, startFakeDeepSeek } from './deepseek.js';

/** Raw wire checks of what makes the DeepSeek fake differ from the OpenAI one. */
let fake: FakeDeepSeek;

beforeAll(async () => {
  fake = await startFakeDeepSeek();
});
afterAll(() => fake.close());

const post = (payload: Record<string, unknown>) =>
  fetch(`${fake.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${FAKE_DEEPSEEK_KEY}` },
    body: JSON.stringify({
      model: 'deepseek-flash',
      messages: [{ role: 'user', content: 'halo' }],
      ...payload,
    }),
  });

describe('DeepSeek fake', () => {
  it('opens a JSON body with blank keep-alive lines and reports cache hits and misses', async () => {
    fake.enqueue({ reply: { inputTokens: 495, cachedTokens: 320 } });
    const text = await (await post({})).text();
    expect(text.startsWith('\n\n{')).toBe(true);
    expect(JSON.parse(text).usage).toMatchObject({
      prompt_tokens: 495,
      prompt_cache_hit_tokens: 320,
      prompt_cache_miss_tokens: 175,
      prompt_tokens_details: { cached_tokens: 320 },
    });
  });

  it('streams keep-alive comments first and usage on the finish chunk', async () => {
    const text = await (await post({ stream: true, stream_options: { include_usage: true } })).text();
    expect(text.startsWith(': keep-alive\n\n')).toBe(true);
    const chunks = text
      .split('\n\n')
      .filter((e) => e.startsWith('data: ') && e !== 'data: [DONE]')
      .map((e) => JSON.parse(e.slice('data: '.length)));
    const last = chunks.at(-1);
    expect(last.choices[0].finish_reason).toBe('stop');
    // "Thinking about: halo" (3 reasoning tokens) + "Echo: halo" (2).
    expect(last.usage).toMatchObject({
      prompt_tokens: 1,
      completion_tokens: 5,
      completion_tokens_details: { reasoning_tokens: 3 },
    });
    expect(chunks[1].choices[0].delta).toEqual({ content: null, reasoning_content: 'Thinking ' });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('answers 402 Insufficient Balance in the OpenAI error shape', async () => {
    fake.enqueue({ status: 402 });
    const res = await post({});
    expect(res.status).toBe(402);
    expect(await res.json()).toEqual({
      error: {
        message: 'Insufficient Balance',
        type: 'invalid_request_error',
        param: null,
        code: 'insufficient_balance',
      },
    });
  });

  it('thinks by default, not when told thinking is disabled', async () => {
    const on = await (await post({})).text();
    expect(JSON.parse(on).choices[0].message.reasoning_content).toBe('Thinking about: halo');
    const off = await (await post({ thinking: { type: 'disabled' } })).text();
    expect(JSON.parse(off).choices[0].message).not.toHaveProperty('reasoning_content');
  });

  it('refuses a tool-call turn without reasoning_content while thinking, accepts it with it or thinking off', async () => {
    const toolTurn = (extra: Record<string, unknown>) => [
      { role: 'user', content: 'cuaca?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'w', arguments: '{}' } }],
        ...extra,
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'cerah' },
    ];
    const refused = await post({ messages: toolTurn({}) });
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { error: { message: string } };
    expect(body.error.message).toContain('reasoning_content');
    expect((await post({ messages: toolTurn({ reasoning_content: 'hmm' }) })).status).toBe(200);
    expect((await post({ messages: toolTurn({}), thinking: { type: 'disabled' } })).status).toBe(200);
  });
});
