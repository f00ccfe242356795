import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_GEMINI_KEY, type FakeGemini, startFakeGemini } from '../../../test/fakes/gemini.js';
import { drainParts, rejectionOf, TINY_PNG_BASE64 } from '../../../test/fakes/llm-test-kit.js';
import type { ChatProvider, ChatRequest, StreamPart } from '../contract.js';
import { collectStream } from '../shared/collect.js';
import { isProviderError, type ProviderError } from '../shared/errors.js';
import { createHttpClient } from '../shared/http.js';
import { createGeminiChatProvider } from './provider.js';

let fake: FakeGemini;
let provider: ChatProvider;
const http = createHttpClient({ headersTimeoutMs: 200, bodyTimeoutMs: 200 });

beforeAll(async () => {
  fake = await startFakeGemini();
  provider = createGeminiChatProvider({ baseUrl: fake.url, apiKey: FAKE_GEMINI_KEY, http });
});
afterAll(async () => {
  await fake.close();
  await http.close();
});
beforeEach(() => {
  fake.requests.length = 0;
});

const hello: ChatRequest = {
  model: 'gemini-2.5-flash',
  system: 'be brief',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'halo apa kabar' }] }],
};
const plainUsage = { inputTokens: 5, outputTokens: 4, cachedInputTokens: 0, reasoningTokens: 0 };
const zeroUsage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, reasoningTokens: 0 };

describe('gemini provider: generate', () => {
  it('sends generateContent with the key header and maps the reply', async () => {
    const result = await provider.generate({
      ...hello,
      maxOutputTokens: 64,
      temperature: 0.1,
      topP: 0.9,
      stop: ['x'],
    });
    expect(result).toEqual({
      text: 'Echo: halo apa kabar',
      toolCalls: [],
      finishReason: 'stop',
      rawFinishReason: 'STOP',
      usage: plainUsage,
    });
    const sent = fake.requests[0]!;
    expect(sent.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(sent.headers['x-goog-api-key']).toBe(FAKE_GEMINI_KEY);
    expect(sent.body).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'halo apa kabar' }] }],
      systemInstruction: { parts: [{ text: 'be brief' }] },
      generationConfig: { maxOutputTokens: 64, temperature: 0.1, topP: 0.9, stopSequences: ['x'] },
    });
  });

  it('counts thoughts inside output and cached content inside input', async () => {
    fake.enqueue({ reply: { inputTokens: 900, cachedTokens: 400, outputTokens: 23, thoughtsTokens: 185 } });
    expect((await provider.generate(hello)).usage).toEqual({
      inputTokens: 900,
      outputTokens: 208,
      cachedInputTokens: 400,
      reasoningTokens: 185,
    });
  });

  it('tells missing usage from zero usage', async () => {
    fake.enqueue({ usage: 'missing' });
    expect((await provider.generate(hello)).usage).toBeUndefined();
    fake.enqueue({ usage: 'zero' });
    expect((await provider.generate(hello)).usage).toEqual(zeroUsage);
  });

  it('reports a blocked prompt (HTTP 200, no candidates) as content_filter', async () => {
    fake.enqueue({ promptBlocked: true });
    const result = await provider.generate(hello);
    expect(result.finishReason).toBe('content_filter');
    expect(result.rawFinishReason).toBe('PROHIBITED_CONTENT');
    expect(result.text).toBe('');
  });

  it.each(['SAFETY', 'PROHIBITED_CONTENT', 'BLOCKLIST', 'SPII', 'IMAGE_SAFETY'])(
    'reports an output blocked with %s as content_filter',
    async (finishReason) => {
      fake.enqueue({ safety: true, finishReason });
      const result = await provider.generate(hello);
      expect(result.finishReason).toBe('content_filter');
      expect(result.rawFinishReason).toBe(finishReason);
    },
  );

  it('converts images, tools and tool results', async () => {
    const result = await provider.generate({
      model: 'gemini-2.5-flash',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this' },
            { type: 'image', mediaType: 'image/png', data: TINY_PNG_BASE64 },
            { type: 'image', url: 'https://example.com/cat.png' },
          ],
        },
        {
          role: 'assistant',
          content: [],
          toolCalls: [{ id: 'call_1', name: 'lookup', arguments: '{"q":"cat"}' }],
        },
        { role: 'tool', toolCallId: 'call_1', content: [{ type: 'text', text: 'a cat' }] },
      ],
      tools: [{ name: 'lookup', description: 'find things', parameters: { type: 'object' } }],
      toolChoice: 'required',
      responseFormat: { type: 'json_schema', schema: { type: 'object' } },
    });
    expect(result.finishReason).toBe('tool_calls');
    expect(result.toolCalls).toEqual([
      { id: expect.stringMatching(/^call_[0-9a-f]{32}$/), name: 'lookup', arguments: '{"echo":"a cat"}' },
    ]);
    const body = fake.requests[0]!.body as Record<string, unknown>;
    expect(body.contents).toEqual([
      {
        role: 'user',
        parts: [
          { text: 'what is this' },
          { inlineData: { mimeType: 'image/png', data: TINY_PNG_BASE64 } },
          { fileData: { mimeType: 'image/png', fileUri: 'https://example.com/cat.png' } },
        ],
      },
      { role: 'model', parts: [{ functionCall: { id: 'call_1', name: 'lookup', args: { q: 'cat' } } }] },
      {
        role: 'user',
        parts: [{ functionResponse: { id: 'call_1', name: 'lookup', response: { content: 'a cat' } } }],
      },
    ]);
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          { name: 'lookup', description: 'find things', parametersJsonSchema: { type: 'object' } },
        ],
      },
    ]);
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY' } });
    expect(body.generationConfig).toEqual({
      responseMimeType: 'application/json',
      responseJsonSchema: { type: 'object' },
    });
  });

  it.each([
    [503, true, 'upstream_unavailable'],
    [500, true, 'upstream_unavailable'],
    [429, true, 'rate_limited'],
    [400, false, 'invalid_request'],
  ] as const)('maps HTTP %i to a ProviderError (retryable %s)', async (status, retryable, code) => {
    fake.enqueue({ status });
    const error = (await rejectionOf(provider.generate(hello))) as ProviderError;
    expect(isProviderError(error)).toBe(true);
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(retryable);
    expect(error.code).toBe(code);
    if (status === 429) expect(error.retryAfterMs).toBe(34_400);
  });

  it('reports a bad key as our upstream error, not the caller’s invalid request', async () => {
    const wrong = createGeminiChatProvider({ baseUrl: fake.url, apiKey: 'nope', http });
    const error = (await rejectionOf(wrong.generate(hello))) as ProviderError;
    expect(error.status).toBe(400);
    expect(error.code).toBe('upstream_error');
    expect(error.retryable).toBe(false);
  });

  it('turns latency beyond the first-byte timeout into a retryable error', async () => {
    fake.enqueue({ latencyMs: 5_000 });
    const error = await rejectionOf(provider.generate(hello));
    expect(isProviderError(error) && error.retryable).toBe(true);
  });
});

describe('gemini provider: stream', () => {
  it('streams text with cumulative usage on every chunk, then finish', async () => {
    const parts = await drainParts(provider.stream(hello));
    const usage = (output: number) => ({ type: 'usage', usage: { ...plainUsage, outputTokens: output } });
    expect(parts).toEqual<StreamPart[]>([
      { type: 'text-delta', text: 'Echo: ' },
      usage(1) as StreamPart,
      { type: 'text-delta', text: 'halo ' },
      usage(2) as StreamPart,
      { type: 'text-delta', text: 'apa ' },
      usage(3) as StreamPart,
      { type: 'text-delta', text: 'kabar' },
      usage(4) as StreamPart,
      { type: 'finish', reason: 'stop', raw: 'STOP' },
    ]);
    expect(fake.requests[0]!.path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent');
    expect(fake.requests[0]!.query).toEqual({ alt: 'sse' });
  });

  it('keeps the last cumulative usage, thoughts included', async () => {
    fake.enqueue({ reply: { inputTokens: 9, outputTokens: 23, thoughtsTokens: 185 } });
    expect((await collectStream(provider.stream(hello))).usage).toEqual({
      inputTokens: 9,
      outputTokens: 208,
      cachedInputTokens: 0,
      reasoningTokens: 185,
    });
  });

  it('tells missing usage from zero usage', async () => {
    fake.enqueue({ usage: 'missing' });
    expect((await collectStream(provider.stream(hello))).usage).toBeUndefined();
    fake.enqueue({ usage: 'zero' });
    expect((await collectStream(provider.stream(hello))).usage).toEqual(zeroUsage);
  });

  it('reports a blocked prompt and a blocked output as content_filter', async () => {
    fake.enqueue({ promptBlocked: 'SAFETY' });
    const blocked = await collectStream(provider.stream(hello));
    expect(blocked.finishReason).toBe('content_filter');
    expect(blocked.rawFinishReason).toBe('SAFETY');
    fake.enqueue({ safety: true, finishReason: 'PROHIBITED_CONTENT' });
    expect((await collectStream(provider.stream(hello))).finishReason).toBe('content_filter');
  });

  it('streams a function call as one tool-call delta', async () => {
    const result = await collectStream(
      provider.stream({
        ...hello,
        tools: [{ name: 'lookup', parameters: { type: 'object' } }],
        toolChoice: { name: 'lookup' },
      }),
    );
    expect(result.toolCalls).toEqual([
      { id: expect.stringMatching(/^call_/), name: 'lookup', arguments: '{"echo":"halo apa kabar"}' },
    ]);
    expect(result.finishReason).toBe('tool_calls');
    expect(fake.requests[0]!.body).toMatchObject({
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['lookup'] } },
    });
  });

  it('throws on an error status, a stall and a cut (the sentinel-less stream never ends cleanly early)', async () => {
    fake.enqueue({ status: 503 });
    expect(((await rejectionOf(drainParts(provider.stream(hello)))) as ProviderError).status).toBe(503);
    fake.enqueue({ stallAfter: 2 });
    const stalled = await rejectionOf(drainParts(provider.stream(hello)));
    expect(isProviderError(stalled) && stalled.retryable).toBe(true);
    for (const cutAfter of [0, 1, 3]) {
      fake.enqueue({ cutAfter });
      const cut = await rejectionOf(drainParts(provider.stream(hello)));
      expect(isProviderError(cut) && cut.retryable).toBe(true);
    }
  });
});

describe('gemini 3 function calling: ids and thought signatures', () => {
  const ask: ChatRequest = {
    model: 'gemini-3.5-flash',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'cuaca Jakarta' }] }],
    tools: [
      { name: 'get_time', parameters: { type: 'object' } },
      { name: 'get_weather', parameters: { type: 'object' } },
    ],
  };

  it('keeps the signature, gives ids that never repeat across turns, and sends both back', async () => {
    const first = await collectStream(provider.stream({ ...ask, toolChoice: { name: 'get_time' } }));
    const [timeCall] = first.toolCalls;
    expect(timeCall?.signature).toEqual(expect.any(String));
    const afterTime: ChatRequest = {
      ...ask,
      messages: [
        ...ask.messages,
        { role: 'assistant', content: [], toolCalls: first.toolCalls },
        { role: 'tool', toolCallId: timeCall!.id, content: [{ type: 'text', text: '10:00' }] },
      ],
    };
    const second = await provider.generate({ ...afterTime, toolChoice: { name: 'get_weather' } });
    const [weatherCall] = second.toolCalls;
    // A per-response counter would have named both calls call_0 and sent the weather under get_time.
    expect(weatherCall!.id).not.toBe(timeCall!.id);
    const loop: ChatRequest = {
      ...afterTime,
      messages: [
        ...afterTime.messages,
        { role: 'assistant', content: [], toolCalls: second.toolCalls },
        { role: 'tool', toolCallId: weatherCall!.id, content: [{ type: 'text', text: 'cerah' }] },
      ],
      toolChoice: 'auto',
    };
    const answer = await provider.generate(loop);
    expect(answer.text).toBe('Echo: cerah');
    const contents = (fake.requests[2]!.body as { contents: unknown[] }).contents;
    expect(contents.slice(1)).toEqual([
      {
        role: 'model',
        parts: [
          {
            functionCall: { id: timeCall!.id, name: 'get_time', args: expect.any(Object) },
            thoughtSignature: timeCall!.signature,
          },
        ],
      },
      {
        role: 'user',
        parts: [{ functionResponse: { id: timeCall!.id, name: 'get_time', response: { content: '10:00' } } }],
      },
      {
        role: 'model',
        parts: [
          {
            functionCall: { id: weatherCall!.id, name: 'get_weather', args: expect.any(Object) },
            thoughtSignature: weatherCall!.signature,
          },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { id: weatherCall!.id, name: 'get_weather', response: { content: 'cerah' } } },
        ],
      },
    ]);
  });

  it('is refused by Gemini 3 when a call comes back without its signature', async () => {
    const first = await provider.generate({ ...ask, toolChoice: { name: 'get_weather' } });
    const unsigned = first.toolCalls.map(({ signature: _dropped, ...call }) => call);
    const error = (await rejectionOf(
      provider.generate({
        ...ask,
        messages: [
          ...ask.messages,
          { role: 'assistant', content: [], toolCalls: unsigned },
          { role: 'tool', toolCallId: unsigned[0]!.id, content: [{ type: 'text', text: 'cerah' }] },
        ],
      }),
    )) as ProviderError;
    expect(error.status).toBe(400);
    expect(error.message).toContain('missing a thought_signature');
  });
});
