import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_ANTHROPIC_KEY, type FakeAnthropic, startFakeAnthropic } from '../../../test/fakes/anthropic.js';
import { drainParts, rejectionOf, TINY_PNG_BASE64 } from '../../../test/fakes/llm-test-kit.js';
import type { ChatProvider, ChatRequest, StreamPart } from '../contract.js';
import { collectStream } from '../shared/collect.js';
import { isProviderError, type ProviderError } from '../shared/errors.js';
import { createHttpClient } from '../shared/http.js';
import { createAnthropicChatProvider } from './provider.js';

let fake: FakeAnthropic;
let provider: ChatProvider;
const http = createHttpClient({ headersTimeoutMs: 200, bodyTimeoutMs: 200 });

beforeAll(async () => {
  fake = await startFakeAnthropic();
  provider = createAnthropicChatProvider({ baseUrl: fake.url, apiKey: FAKE_ANTHROPIC_KEY, http });
});
afterAll(async () => {
  await fake.close();
  await http.close();
});
beforeEach(() => {
  fake.requests.length = 0;
});

const hello: ChatRequest = {
  model: 'claude-sonnet-4-5',
  system: 'be brief',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'halo apa kabar' }] }],
};
const plainUsage = { inputTokens: 5, outputTokens: 4, cachedInputTokens: 0, reasoningTokens: 0 };

describe('anthropic provider: generate', () => {
  it('sends a Messages request with the right headers and maps the reply', async () => {
    const result = await provider.generate({ ...hello, temperature: 0.5, stop: ['END'] });
    expect(result).toEqual({
      text: 'Echo: halo apa kabar',
      toolCalls: [],
      finishReason: 'stop',
      rawFinishReason: 'end_turn',
      usage: plainUsage,
      info: { serviceTier: 'standard' },
    });
    const sent = fake.requests[0]!;
    expect(sent.path).toBe('/v1/messages');
    expect(sent.headers['x-api-key']).toBe(FAKE_ANTHROPIC_KEY);
    expect(sent.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent.body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      system: 'be brief',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'halo apa kabar' }] }],
      temperature: 0.5,
      stop_sequences: ['END'],
    });
  });

  it('counts cache reads and writes inside input, cache reads as cached', async () => {
    fake.enqueue({
      reply: { inputTokens: 1000, cacheReadTokens: 700, cacheCreationTokens: 200, outputTokens: 9 },
    });
    expect((await provider.generate(hello)).usage).toEqual({
      inputTokens: 1000,
      outputTokens: 9,
      cachedInputTokens: 700,
      reasoningTokens: 0,
      cacheWriteInputTokens: 200,
    });
  });

  it('tells missing usage from zero usage', async () => {
    fake.enqueue({ usage: 'missing' });
    expect((await provider.generate(hello)).usage).toBeUndefined();
    fake.enqueue({ usage: 'zero' });
    expect((await provider.generate(hello)).usage).toEqual({
      inputTokens: 0,
      outputTokens: 0,
      cachedInputTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('reports a refusal as content_filter', async () => {
    fake.enqueue({ safety: true });
    const result = await provider.generate(hello);
    expect(result.finishReason).toBe('content_filter');
    expect(result.rawFinishReason).toBe('refusal');
  });

  it('converts images, tools and tool results (merged into one user turn)', async () => {
    const result = await provider.generate({
      model: 'claude-sonnet-4-5',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this' },
            { type: 'image', mediaType: 'image/png', data: TINY_PNG_BASE64 },
            { type: 'image', url: 'https://example.com/cat.jpg' },
          ],
        },
        {
          role: 'assistant',
          content: [],
          toolCalls: [{ id: 'toolu_1', name: 'lookup', arguments: '{"q":"cat"}' }],
        },
        { role: 'tool', toolCallId: 'toolu_1', content: [{ type: 'text', text: 'a cat' }] },
        { role: 'user', content: [{ type: 'text', text: 'and now?' }] },
      ],
      tools: [{ name: 'lookup', description: 'find things', parameters: { type: 'object' } }],
      toolChoice: 'required',
      maxOutputTokens: 100,
    });
    expect(result.finishReason).toBe('tool_calls');
    expect(result.toolCalls).toEqual([
      { id: 'toolu_fake_0', name: 'lookup', arguments: '{"echo":"a catand now?"}' },
    ]);
    const body = fake.requests[0]!.body as Record<string, unknown>;
    expect(body.max_tokens).toBe(100);
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'what is this' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: TINY_PNG_BASE64 } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
        ],
      },
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { q: 'cat' } }],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'a cat' }] },
          { type: 'text', text: 'and now?' },
        ],
      },
    ]);
    expect(body.tools).toEqual([
      { name: 'lookup', description: 'find things', input_schema: { type: 'object' } },
    ]);
    expect(body.tool_choice).toEqual({ type: 'any' });
  });

  it.each([
    [529, true, 'upstream_unavailable'],
    [500, true, 'upstream_unavailable'],
    [429, true, 'rate_limited'],
    [400, false, 'invalid_request'],
  ] as const)('maps HTTP %i to a ProviderError (retryable %s)', async (status, retryable, code) => {
    fake.enqueue({ status, ...(status === 429 ? { retryAfter: '7' } : {}) });
    const error = (await rejectionOf(provider.generate(hello))) as ProviderError;
    expect(isProviderError(error)).toBe(true);
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(retryable);
    expect(error.code).toBe(code);
    if (status === 429) expect(error.retryAfterMs).toBe(7000);
  });

  it('does not retry a spend-cap 429', async () => {
    fake.enqueue({ spendLimit: true });
    const error = (await rejectionOf(provider.generate(hello))) as ProviderError;
    expect(error.status).toBe(429);
    expect(error.retryable).toBe(false);
  });

  it('maps a wrong key to a non-retryable 401', async () => {
    const wrong = createAnthropicChatProvider({ baseUrl: fake.url, apiKey: 'nope', http });
    const error = (await rejectionOf(wrong.generate(hello))) as ProviderError;
    expect(error.status).toBe(401);
    expect(error.retryable).toBe(false);
  });

  it('turns latency beyond the first-byte timeout into a retryable error', async () => {
    fake.enqueue({ latencyMs: 5_000 });
    const error = await rejectionOf(provider.generate(hello));
    expect(isProviderError(error) && error.retryable).toBe(true);
  });
});

describe('anthropic provider: stream', () => {
  it('streams text, skips ping, and keeps cumulative usage (not summed)', async () => {
    const parts = await drainParts(provider.stream(hello));
    expect(parts).toEqual<StreamPart[]>([
      { type: 'usage', usage: { ...plainUsage, outputTokens: 1 } },
      { type: 'response-info', serviceTier: 'standard' },
      { type: 'text-delta', text: 'Echo: ' },
      { type: 'text-delta', text: 'halo ' },
      { type: 'text-delta', text: 'apa ' },
      { type: 'text-delta', text: 'kabar' },
      { type: 'usage', usage: plainUsage },
      { type: 'finish', reason: 'stop', raw: 'end_turn' },
    ]);
    expect(fake.requests[0]!.body).toMatchObject({ stream: true });
  });

  it('keeps input and cache counts from message_start when message_delta omits them, or takes them from it', async () => {
    const reply = { inputTokens: 500, cacheReadTokens: 100, cacheCreationTokens: 50, outputTokens: 12 };
    const expected = {
      inputTokens: 500,
      outputTokens: 12,
      cachedInputTokens: 100,
      reasoningTokens: 0,
      cacheWriteInputTokens: 50,
    };
    fake.enqueue({ reply });
    expect((await collectStream(provider.stream(hello))).usage).toEqual(expected);
    fake.enqueue({ reply, fullDeltaUsage: true });
    expect((await collectStream(provider.stream(hello))).usage).toEqual(expected);
  });

  it('tells missing usage from zero usage', async () => {
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

  it('streams a tool call', async () => {
    const result = await collectStream(
      provider.stream({
        ...hello,
        tools: [{ name: 'lookup', parameters: { type: 'object' } }],
        toolChoice: { name: 'lookup' },
      }),
    );
    expect(result.toolCalls).toEqual([
      { id: 'toolu_fake_0', name: 'lookup', arguments: '{"echo":"halo apa kabar"}' },
    ]);
    expect(result.finishReason).toBe('tool_calls');
    expect(fake.requests[0]!.body).toMatchObject({ tool_choice: { type: 'tool', name: 'lookup' } });
  });

  it('gives a tool call without arguments "{}", streamed or not, never an empty string', async () => {
    const noArgs = {
      ...hello,
      tools: [{ name: 'now', parameters: { type: 'object', properties: {} } }],
      toolChoice: { name: 'now' },
    };
    fake.enqueue({ emptyToolInput: true });
    const streamed = await collectStream(provider.stream(noArgs));
    expect(streamed.toolCalls).toEqual([{ id: 'toolu_fake_0', name: 'now', arguments: '{}' }]);
    fake.enqueue({ emptyToolInput: true });
    const whole = await provider.generate(noArgs);
    expect(whole.toolCalls).toEqual([{ id: 'toolu_fake_0', name: 'now', arguments: '{}' }]);
  });

  it('reports a refusal as content_filter', async () => {
    fake.enqueue({ safety: true });
    expect((await collectStream(provider.stream(hello))).finishReason).toBe('content_filter');
  });

  it('throws a retryable error on a mid-stream overloaded error event', async () => {
    fake.enqueue({ midStreamError: true });
    const error = (await rejectionOf(drainParts(provider.stream(hello)))) as ProviderError;
    expect(isProviderError(error)).toBe(true);
    expect(error.retryable).toBe(true);
    expect(error.details).toMatchObject({ upstream_type: 'overloaded_error' });
  });

  it('throws on an error status, a stall and a cut; never ends cleanly', async () => {
    fake.enqueue({ status: 529 });
    expect(((await rejectionOf(drainParts(provider.stream(hello)))) as ProviderError).status).toBe(529);
    fake.enqueue({ stallAfter: 4 });
    const stalled = await rejectionOf(drainParts(provider.stream(hello)));
    expect(isProviderError(stalled) && stalled.retryable).toBe(true);
    for (const cutAfter of [0, 1, 5, 8]) {
      fake.enqueue({ cutAfter });
      const cut = await rejectionOf(drainParts(provider.stream(hello)));
      expect(isProviderError(cut) && cut.retryable).toBe(true);
    }
  });
});
