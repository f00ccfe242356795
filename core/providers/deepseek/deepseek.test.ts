import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_DEEPSEEK_KEY, type FakeDeepSeek, startFakeDeepSeek } from '../../../test/fakes/deepseek.js';
import { drainParts, rejectionOf, TINY_PNG_BASE64 } from '../../../test/fakes/llm-test-kit.js';
import type { ChatProvider, ChatRequest, StreamPart } from '../contract.js';
import { mapUsage } from '../openai-compatible/map-usage.js';
import { collectStream } from '../shared/collect.js';
import { isProviderError, type ProviderError } from '../shared/errors.js';
import { createHttpClient } from '../shared/http.js';
import { createDeepSeekChatProvider, DEEPSEEK_VENDOR } from './provider.js';

let fake: FakeDeepSeek;
let provider: ChatProvider;
const http = createHttpClient({ headersTimeoutMs: 200, bodyTimeoutMs: 200 });

beforeAll(async () => {
  fake = await startFakeDeepSeek();
  provider = createDeepSeekChatProvider({ baseUrl: fake.url, apiKey: FAKE_DEEPSEEK_KEY, http });
});
afterAll(async () => {
  await fake.close();
  await http.close();
});
beforeEach(() => {
  fake.requests.length = 0;
});

const hello: ChatRequest = {
  model: 'deepseek-flash',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'halo apa kabar' }] }],
};
const plainUsage = { inputTokens: 3, outputTokens: 4, cachedInputTokens: 0, reasoningTokens: 0 };

describe('deepseek usage mapping', () => {
  it('reads cache hits from prompt_cache_hit_tokens (recorded example: 495 = 320 hit + 175 miss)', () => {
    const raw = {
      prompt_tokens: 495,
      completion_tokens: 12,
      total_tokens: 507,
      prompt_cache_hit_tokens: 320,
      prompt_cache_miss_tokens: 175,
    };
    expect(mapUsage(raw, DEEPSEEK_VENDOR)).toEqual({
      inputTokens: 495,
      outputTokens: 12,
      cachedInputTokens: 320,
      reasoningTokens: 0,
    });
  });
});

describe('deepseek provider', () => {
  it('posts to /chat/completions with max_tokens and skips the blank keep-alive lines of a JSON body', async () => {
    const result = await provider.generate({ ...hello, maxOutputTokens: 10 });
    expect(result).toEqual({
      text: 'Echo: halo apa kabar',
      reasoning: 'Thinking about: halo apa kabar',
      toolCalls: [],
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: { ...plainUsage, outputTokens: 9, reasoningTokens: 5 },
      info: { systemFingerprint: 'fp_fake' },
    });
    const sent = fake.requests[0]!;
    expect(sent.path).toBe('/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${FAKE_DEEPSEEK_KEY}`);
    expect(sent.body).toMatchObject({ max_tokens: 10 });
    expect(sent.body).not.toHaveProperty('max_completion_tokens');
  });

  it('maps cache hits and reasoning tokens', async () => {
    fake.enqueue({ reply: { inputTokens: 495, cachedTokens: 320, outputTokens: 10, reasoningTokens: 50 } });
    expect((await provider.generate(hello)).usage).toEqual({
      inputTokens: 495,
      outputTokens: 60,
      cachedInputTokens: 320,
      reasoningTokens: 50,
    });
  });

  it('streams past : keep-alive comments and takes usage from the finish chunk', async () => {
    fake.enqueue({ reply: { inputTokens: 100, cachedTokens: 64, outputTokens: 4 } });
    const parts = await drainParts(provider.stream(hello));
    expect(parts).toEqual<StreamPart[]>([
      { type: 'response-info', systemFingerprint: 'fp_fake' },
      { type: 'reasoning-delta', text: 'Thinking ' },
      { type: 'reasoning-delta', text: 'about: ' },
      { type: 'reasoning-delta', text: 'halo ' },
      { type: 'reasoning-delta', text: 'apa ' },
      { type: 'reasoning-delta', text: 'kabar' },
      { type: 'text-delta', text: 'Echo: ' },
      { type: 'text-delta', text: 'halo ' },
      { type: 'text-delta', text: 'apa ' },
      { type: 'text-delta', text: 'kabar' },
      {
        type: 'usage',
        usage: { inputTokens: 100, outputTokens: 9, cachedInputTokens: 64, reasoningTokens: 5 },
      },
      { type: 'finish', reason: 'stop', raw: 'stop' },
    ]);
  });

  it('tells missing usage from zero usage in a stream', async () => {
    fake.enqueue({ usage: 'missing' });
    expect((await collectStream(provider.stream(hello))).usage).toBeUndefined();
    fake.enqueue({ usage: 'zero' });
    expect((await collectStream(provider.stream(hello))).usage).toEqual({
      inputTokens: 0,
      outputTokens: 0,
      cachedInputTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('reports content_filter as a safety refusal', async () => {
    fake.enqueue({ safety: true });
    expect((await provider.generate(hello)).finishReason).toBe('content_filter');
    fake.enqueue({ safety: true });
    expect((await collectStream(provider.stream(hello))).finishReason).toBe('content_filter');
  });

  it('refuses json_schema before calling DeepSeek, which only knows json_object, and converts images', async () => {
    const refused = (await rejectionOf(
      provider.generate({ ...hello, responseFormat: { type: 'json_schema', schema: { type: 'object' } } }),
    )) as ProviderError;
    expect(refused.code).toBe('invalid_request');
    expect(refused.retryable).toBe(false);
    expect(fake.requests).toHaveLength(0);
    await provider.generate({
      ...hello,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'x' },
            { type: 'image', mediaType: 'image/jpeg', data: TINY_PNG_BASE64 },
          ],
        },
      ],
      responseFormat: { type: 'json_object' },
    });
    const body = fake.requests[0]!.body as Record<string, unknown>;
    expect(body.response_format).toEqual({ type: 'json_object' });
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'x' },
          { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${TINY_PNG_BASE64}` } },
        ],
      },
    ]);
  });

  it.each([
    [402, false, 'upstream_error'],
    [422, false, 'invalid_request'],
    [429, true, 'rate_limited'],
    [503, true, 'upstream_unavailable'],
  ] as const)('maps HTTP %i (retryable %s)', async (status, retryable, code) => {
    fake.enqueue({ status });
    const error = (await rejectionOf(provider.generate(hello))) as ProviderError;
    expect(isProviderError(error)).toBe(true);
    expect(error.retryable).toBe(retryable);
    expect(error.code).toBe(code);
  });

  it('throws on a stalled or cut stream', async () => {
    fake.enqueue({ stallAfter: 4 });
    const stalled = await rejectionOf(drainParts(provider.stream(hello)));
    expect(isProviderError(stalled) && stalled.retryable).toBe(true);
    fake.enqueue({ cutAfter: 6 });
    const cut = await rejectionOf(drainParts(provider.stream(hello)));
    expect(isProviderError(cut) && cut.retryable).toBe(true);
  });
});

describe('deepseek thinking mode in tool loops', () => {
  const weather = { name: 'get_weather', parameters: { type: 'object' } };
  const ask: ChatRequest = {
    model: 'deepseek-flash',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'cuaca Jakarta' }] }],
    tools: [weather],
    toolChoice: 'required',
  };

  it('sends thinking explicitly and carries reasoning_content back into the next request', async () => {
    const first = await collectStream(provider.stream(ask));
    expect(fake.requests[0]!.body).toMatchObject({ thinking: { type: 'enabled' } });
    expect(first.reasoning).toBe('Thinking about: cuaca Jakarta');
    expect(first.toolCalls).toHaveLength(1);
    const loop: ChatRequest = {
      ...ask,
      toolChoice: 'auto',
      messages: [
        ...ask.messages,
        { role: 'assistant', content: [], toolCalls: first.toolCalls, reasoning: first.reasoning! },
        { role: 'tool', toolCallId: first.toolCalls[0]!.id, content: [{ type: 'text', text: 'cerah' }] },
      ],
    };
    const second = await provider.generate(loop);
    expect(second.text).toBe('Echo: cuaca Jakarta');
    const sent = fake.requests[1]!.body as { thinking: unknown; messages: Array<Record<string, unknown>> };
    expect(sent.thinking).toEqual({ type: 'enabled' });
    expect(sent.messages[1]).toMatchObject({ role: 'assistant', reasoning_content: first.reasoning });
  });

  it('turns thinking off for a history whose tool call lost its reasoning, which DeepSeek would refuse', async () => {
    const history: ChatRequest = {
      ...ask,
      toolChoice: 'auto',
      messages: [
        ...ask.messages,
        {
          role: 'assistant',
          content: [],
          toolCalls: [{ id: 'call_x', name: 'get_weather', arguments: '{}' }],
        },
        { role: 'tool', toolCallId: 'call_x', content: [{ type: 'text', text: 'cerah' }] },
      ],
    };
    const result = await provider.generate(history);
    expect(result.text).toBe('Echo: cuaca Jakarta');
    expect(result.reasoning).toBeUndefined();
    expect(fake.requests[0]!.body).toMatchObject({ thinking: { type: 'disabled' } });
  });

  it('passes reasoning_effort on, and takes effort none as thinking off', async () => {
    await provider.generate({ ...hello, reasoningEffort: 'high' });
    expect(fake.requests[0]!.body).toMatchObject({ reasoning_effort: 'high', thinking: { type: 'enabled' } });
    const quiet = await provider.generate({ ...hello, reasoningEffort: 'none' });
    expect(quiet.reasoning).toBeUndefined();
    expect(fake.requests[1]!.body).toMatchObject({ thinking: { type: 'disabled' } });
    expect(fake.requests[1]!.body).not.toHaveProperty('reasoning_effort');
  });
});
