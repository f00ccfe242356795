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
  model: 'deepseek-v4-flash',
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
      toolCalls: [],
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: plainUsage,
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
      { type: 'text-delta', text: 'Echo: ' },
      { type: 'text-delta', text: 'halo ' },
      { type: 'text-delta', text: 'apa ' },
      { type: 'text-delta', text: 'kabar' },
      {
        type: 'usage',
        usage: { inputTokens: 100, outputTokens: 4, cachedInputTokens: 64, reasoningTokens: 0 },
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

  it('sends json_schema as json_object, which is all DeepSeek knows, and converts images', async () => {
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
      responseFormat: { type: 'json_schema', schema: { type: 'object' } },
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
