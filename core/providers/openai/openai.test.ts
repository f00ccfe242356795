import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { drainParts, rejectionOf, TINY_PNG_BASE64 } from '../../../test/fakes/llm-test-kit.js';
import { FAKE_OPENAI_KEY, type FakeOpenAI, startFakeOpenAI } from '../../../test/fakes/openai.js';
import type { ChatProvider, ChatRequest, StreamPart } from '../contract.js';
import { collectStream } from '../shared/collect.js';
import { isProviderError, type ProviderError } from '../shared/errors.js';
import { createHttpClient } from '../shared/http.js';
import { createOpenAIChatProvider } from './provider.js';

let fake: FakeOpenAI;
let provider: ChatProvider;
const http = createHttpClient({ headersTimeoutMs: 200, bodyTimeoutMs: 200 });

beforeAll(async () => {
  fake = await startFakeOpenAI();
  provider = createOpenAIChatProvider({ baseUrl: `${fake.url}/v1`, apiKey: FAKE_OPENAI_KEY, http });
});
afterAll(async () => {
  await fake.close();
  await http.close();
});
beforeEach(() => {
  fake.requests.length = 0;
});

const hello: ChatRequest = {
  model: 'gpt-4o-mini',
  system: 'be brief',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'halo apa kabar' }] }],
};

describe('openai provider: generate', () => {
  it('sends the chat-completions request and maps text, finish and usage', async () => {
    const result = await provider.generate({ ...hello, maxOutputTokens: 50, temperature: 0.2, stop: ['x'] });
    expect(result).toEqual({
      text: 'Echo: halo apa kabar',
      toolCalls: [],
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: { inputTokens: 5, outputTokens: 4, cachedInputTokens: 0, reasoningTokens: 0 },
      info: { systemFingerprint: 'fp_fake', serviceTier: 'default' },
    });
    const sent = fake.requests[0]!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${FAKE_OPENAI_KEY}`);
    expect(sent.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'halo apa kabar' },
      ],
      max_completion_tokens: 50,
      temperature: 0.2,
      stop: ['x'],
    });
  });

  it('maps cached and reasoning tokens', async () => {
    fake.enqueue({
      reply: { text: 'ok', inputTokens: 1000, cachedTokens: 600, outputTokens: 10, reasoningTokens: 30 },
    });
    const result = await provider.generate(hello);
    expect(result.usage).toEqual({
      inputTokens: 1000,
      outputTokens: 40,
      cachedInputTokens: 600,
      reasoningTokens: 30,
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

  it('reports a safety stop as content_filter', async () => {
    fake.enqueue({ safety: true });
    const result = await provider.generate(hello);
    expect(result.finishReason).toBe('content_filter');
    expect(result.text).toBe('');
  });

  it('converts images, tools, tool results and response formats', async () => {
    const result = await provider.generate({
      model: 'gpt-4o',
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
          toolCalls: [{ id: 'call_1', name: 'lookup', arguments: '{"q":"cat"}' }],
        },
        { role: 'tool', toolCallId: 'call_1', content: [{ type: 'text', text: 'a cat' }] },
      ],
      tools: [{ name: 'lookup', description: 'find things', parameters: { type: 'object', properties: {} } }],
      toolChoice: 'required',
      responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object' } },
    });
    expect(result.finishReason).toBe('tool_calls');
    expect(result.toolCalls).toEqual([
      { id: 'call_fake_0', name: 'lookup', arguments: '{"echo":"what is this"}' },
    ]);
    const body = fake.requests[0]!.body as Record<string, unknown>;
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'what is this' },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${TINY_PNG_BASE64}` } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"cat"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'a cat' },
    ]);
    expect(body.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'lookup',
          description: 'find things',
          parameters: { type: 'object', properties: {} },
        },
      },
    ]);
    expect(body.tool_choice).toBe('required');
    expect(body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'answer', schema: { type: 'object' } },
    });
  });

  it.each([
    [500, true, 'upstream_unavailable'],
    [503, true, 'upstream_unavailable'],
    [429, true, 'rate_limited'],
    [400, false, 'invalid_request'],
  ] as const)('maps HTTP %i to a ProviderError (retryable %s)', async (status, retryable, code) => {
    fake.enqueue({ status, ...(status === 429 ? { retryAfter: '2' } : {}) });
    const error = (await rejectionOf(provider.generate(hello))) as ProviderError;
    expect(isProviderError(error)).toBe(true);
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(retryable);
    expect(error.code).toBe(code);
    if (status === 429) expect(error.retryAfterMs).toBe(2000);
  });

  it('does not retry an exhausted quota (429 insufficient_quota)', async () => {
    fake.enqueue({
      status: 429,
      errorType: 'insufficient_quota',
      errorMessage: 'You exceeded your current quota',
    });
    const error = (await rejectionOf(provider.generate(hello))) as ProviderError;
    expect(error.retryable).toBe(false);
    expect(error.code).toBe('upstream_error');
  });

  it('reports a moderation refusal (400 content_policy_violation) as content_refused', async () => {
    fake.enqueue({ status: 400, errorCode: 'content_policy_violation' });
    const error = (await rejectionOf(provider.generate(hello))) as ProviderError;
    expect(error.code).toBe('content_refused');
    expect(error.retryable).toBe(false);
  });

  it('maps a wrong key to a non-retryable error', async () => {
    const wrong = createOpenAIChatProvider({ baseUrl: `${fake.url}/v1`, apiKey: 'nope', http });
    const error = (await rejectionOf(wrong.generate(hello))) as ProviderError;
    expect(error.status).toBe(401);
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/Incorrect API key/);
  });

  it('turns latency beyond the first-byte timeout into a retryable error', async () => {
    fake.enqueue({ latencyMs: 5_000 });
    const error = (await rejectionOf(provider.generate(hello))) as ProviderError;
    expect(isProviderError(error) && error.retryable).toBe(true);
  });

  it('turns a stalled or cut JSON body into a retryable error', async () => {
    fake.enqueue({ stallAfter: 0 });
    expect(((await rejectionOf(provider.generate(hello))) as ProviderError).retryable).toBe(true);
    fake.enqueue({ cutAfter: 0 });
    expect(((await rejectionOf(provider.generate(hello))) as ProviderError).retryable).toBe(true);
  });
});

describe('openai provider: stream', () => {
  it('streams text deltas, usage from the last chunk, then finish', async () => {
    const parts = await drainParts(provider.stream(hello));
    expect(parts).toEqual<StreamPart[]>([
      { type: 'response-info', systemFingerprint: 'fp_fake', serviceTier: 'default' },
      { type: 'text-delta', text: 'Echo: ' },
      { type: 'text-delta', text: 'halo ' },
      { type: 'text-delta', text: 'apa ' },
      { type: 'text-delta', text: 'kabar' },
      { type: 'usage', usage: { inputTokens: 5, outputTokens: 4, cachedInputTokens: 0, reasoningTokens: 0 } },
      { type: 'finish', reason: 'stop', raw: 'stop' },
    ]);
    expect(fake.requests[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('accepts usage on the finish chunk too', async () => {
    fake.enqueue({
      usagePlacement: 'finish-chunk',
      reply: { inputTokens: 7, outputTokens: 3, cachedTokens: 2 },
    });
    const result = await collectStream(provider.stream(hello));
    expect(result.usage).toEqual({
      inputTokens: 7,
      outputTokens: 3,
      cachedInputTokens: 2,
      reasoningTokens: 0,
    });
  });

  it('tells missing usage from zero usage', async () => {
    fake.enqueue({ usage: 'missing' });
    const parts = await drainParts(provider.stream(hello));
    expect(parts.some((p) => p.type === 'usage')).toBe(false);
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop', raw: 'stop' });
    fake.enqueue({ usage: 'zero' });
    expect((await collectStream(provider.stream(hello))).usage).toEqual({
      inputTokens: 0,
      outputTokens: 0,
      cachedInputTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('streams tool-call deltas that assemble into the call', async () => {
    const request: ChatRequest = {
      ...hello,
      tools: [{ name: 'lookup', parameters: { type: 'object' } }],
      toolChoice: { name: 'lookup' },
    };
    const parts = await drainParts(provider.stream(request));
    expect(parts[1]).toEqual({
      type: 'tool-call-delta',
      index: 0,
      id: 'call_fake_0',
      name: 'lookup',
      argumentsDelta: '',
    });
    fake.requests.length = 0;
    const result = await collectStream(provider.stream(request));
    expect(result.toolCalls).toEqual([
      { id: 'call_fake_0', name: 'lookup', arguments: '{"echo":"halo apa kabar"}' },
    ]);
    expect(result.finishReason).toBe('tool_calls');
    expect(fake.requests[0]!.body).toMatchObject({
      tool_choice: { type: 'function', function: { name: 'lookup' } },
    });
  });

  it('reports a safety stop as content_filter', async () => {
    fake.enqueue({ safety: true });
    const result = await collectStream(provider.stream(hello));
    expect(result.finishReason).toBe('content_filter');
  });

  it('throws on an error status before the stream starts', async () => {
    fake.enqueue({ status: 503 });
    const error = (await rejectionOf(drainParts(provider.stream(hello)))) as ProviderError;
    expect(error.status).toBe(503);
    expect(error.retryable).toBe(true);
  });

  it('throws a retryable error when the stream stalls (idle timeout), after the parts already sent', async () => {
    fake.enqueue({ stallAfter: 3 });
    const seen: StreamPart[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const part of provider.stream(hello)) seen.push(part);
      })(),
    );
    expect(isProviderError(error) && error.retryable).toBe(true);
    expect(seen).toEqual([
      { type: 'response-info', systemFingerprint: 'fp_fake', serviceTier: 'default' },
      { type: 'text-delta', text: 'Echo: ' },
      { type: 'text-delta', text: 'halo ' },
    ]);
  });

  it('throws when the stream is cut, never ending cleanly', async () => {
    for (const cutAfter of [0, 2, 5, 6]) {
      fake.enqueue({ cutAfter });
      const error = await rejectionOf(drainParts(provider.stream(hello)));
      expect(isProviderError(error) && error.retryable).toBe(true);
    }
  });

  it('throws on an error chunk in the middle of the stream', async () => {
    fake.enqueue({ midStreamError: true });
    const error = (await rejectionOf(drainParts(provider.stream(hello)))) as ProviderError;
    expect(isProviderError(error)).toBe(true);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/server had an error/);
  });

  it("rejects with the caller's own abort reason, not a ProviderError, when the caller aborts", async () => {
    fake.enqueue({ stallAfter: 3 });
    const controller = new AbortController();
    const error = await rejectionOf(
      (async () => {
        for await (const _ of provider.stream({ ...hello, signal: controller.signal })) {
          controller.abort(new Error('client went away'));
        }
      })(),
    );
    expect(isProviderError(error)).toBe(false);
    expect((error as Error).message).toBe('client went away');
  });
});
