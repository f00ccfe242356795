import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { echo } from '../../../test/fakes/llm-echo.js';
import { streamFrames } from '../../../test/fakes/llm-openai-reply.js';
import { drainParts, rejectionOf, sseEvents } from '../../../test/fakes/llm-test-kit.js';
import { DEEPSEEK_VENDOR } from '../deepseek/provider.js';
import { OPENAI_VENDOR } from '../openai/provider.js';
import { collectStream } from '../shared/collect.js';
import { isProviderError, type ProviderError } from '../shared/errors.js';
import { parseSse } from '../shared/sse.js';
import { parseChatCompletionStream } from './parse-stream.js';

const chunk = (
  delta: Record<string, unknown>,
  finish: string | null = null,
  extra: Record<string, unknown> = {},
) => ({
  object: 'chat.completion.chunk',
  choices: [{ index: 0, delta, finish_reason: finish }],
  ...extra,
});
const usage = (prompt: number, completion: number) => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
});
const DONE = { data: '[DONE]' };

describe('parseChatCompletionStream', () => {
  it('keeps every usage it sees, the last one winning, and puts finish last', async () => {
    const parts = await drainParts(
      parseChatCompletionStream(
        OPENAI_VENDOR,
        sseEvents(
          chunk({ content: 'a' }, null, { usage: usage(1, 1) }),
          chunk({}, 'length', { usage: usage(1, 2) }),
          DONE,
        ),
      ),
    );
    expect(parts.map((p) => p.type)).toEqual(['text-delta', 'usage', 'usage', 'finish']);
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'length', raw: 'length' });
    const result = await collectStream(
      parseChatCompletionStream(
        OPENAI_VENDOR,
        sseEvents(chunk({}, 'stop', { usage: usage(1, 1) }), { choices: [], usage: usage(5, 7) }, DONE),
      ),
    );
    expect(result.usage).toMatchObject({ inputTokens: 5, outputTokens: 7 });
  });

  it('keeps other choices apart from the first, ends each with its own finish, and ignores unknown fields', async () => {
    const other = (delta: Record<string, unknown>, finish: string | null = null) => ({
      choices: [{ index: 1, delta, finish_reason: finish }],
      obfuscation: 'xx',
    });
    const result = await collectStream(
      parseChatCompletionStream(
        OPENAI_VENDOR,
        sseEvents(other({ content: 'zzz' }), chunk({ content: 'ok' }, 'stop'), other({}, 'length'), DONE),
      ),
    );
    expect(result.text).toBe('ok');
    expect(result.finishReason).toBe('stop');
    expect(result.choices).toEqual([
      { index: 1, text: 'zzz', toolCalls: [], finishReason: 'length', rawFinishReason: 'length' },
    ]);
  });

  it('reads n choices, their logprobs and the response facts as the fake streams them', async () => {
    const reply = echo({ texts: ['halo dunia'], lastUserText: 'halo dunia', imageCount: 0, toolNames: [] });
    const frames = streamFrames({
      id: 'chatcmpl-1',
      model: 'm',
      reply,
      fault: {},
      finishReason: 'stop',
      includeUsage: true,
      usage: usage(2, 9),
      dialect: { paths: [], usagePlacement: 'separate-chunk', keepAlive: false },
      choices: { n: 3, topLogprobs: 2 },
      info: { system_fingerprint: 'fp_x', service_tier: 'flex' },
    });
    const result = await collectStream(
      parseChatCompletionStream(
        OPENAI_VENDOR,
        parseSse(chunked(new TextEncoder().encode(frames.join('')), [])),
      ),
    );
    expect(result.text).toBe('Echo: halo dunia');
    expect(result.choices?.map((c) => [c.index, c.text, c.finishReason])).toEqual([
      [1, 'Echo: halo dunia (2)', 'stop'],
      [2, 'Echo: halo dunia (3)', 'stop'],
    ]);
    expect(result.logprobs?.map((t) => t.token).join('')).toBe('Echo: halo dunia');
    expect(result.logprobs?.[0]).toEqual({
      token: 'Echo: ',
      logprob: -0.01,
      bytes: [...Buffer.from('Echo: ')],
      topLogprobs: [
        { token: 'Echo: ', logprob: -0.01, bytes: [...Buffer.from('Echo: ')] },
        { token: 'Echo:~1', logprob: -1.01, bytes: [...Buffer.from('Echo:~1')] },
      ],
    });
    expect(result.choices?.[1]?.logprobs?.map((t) => t.token).join('')).toBe('Echo: halo dunia (3)');
    expect(result.info).toEqual({ systemFingerprint: 'fp_x', serviceTier: 'flex' });
    expect(result.usage).toMatchObject({ inputTokens: 2, outputTokens: 9 });
  });

  it('reports a refusal delta as content_filter', async () => {
    const result = await collectStream(
      parseChatCompletionStream(
        OPENAI_VENDOR,
        sseEvents(chunk({ refusal: 'I cannot help with that' }), chunk({}, 'stop'), DONE),
      ),
    );
    expect(result.finishReason).toBe('content_filter');
  });

  it('throws on an event named error and on an error chunk', async () => {
    const named = await rejectionOf(
      drainParts(
        parseChatCompletionStream(
          OPENAI_VENDOR,
          sseEvents(['error', { error: { message: 'boom', type: 'server_error' } }]),
        ),
      ),
    );
    expect(isProviderError(named) && named.retryable).toBe(true);
    const limited = (await rejectionOf(
      drainParts(
        parseChatCompletionStream(
          OPENAI_VENDOR,
          sseEvents({ error: { message: 'slow', type: 'rate_limit_error', code: 429 } }),
        ),
      ),
    )) as ProviderError;
    expect(limited.code).toBe('rate_limited');
  });

  it('throws on a clean end without [DONE] and on a chunk that is not JSON', async () => {
    const early = await rejectionOf(
      drainParts(parseChatCompletionStream(OPENAI_VENDOR, sseEvents(chunk({}, 'stop')))),
    );
    expect(isProviderError(early) && early.retryable).toBe(true);
    const garbled = await rejectionOf(
      drainParts(parseChatCompletionStream(OPENAI_VENDOR, sseEvents({ data: '{"choi' }))),
    );
    expect(isProviderError(garbled) && garbled.retryable).toBe(true);
  });
});

async function* chunked(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let start = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
    yield bytes.slice(start, cut);
    start = cut;
  }
  yield bytes.slice(start);
}

describe('chat-completions stream over arbitrary chunking', () => {
  it('yields the same text and usage however the bytes are split (multi-byte text, keep-alives)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 15 }),
        fc.constantFrom('separate-chunk' as const, 'finish-chunk' as const),
        async (prompt, cuts, usagePlacement) => {
          const reply = echo({ texts: [prompt], lastUserText: prompt, imageCount: 0, toolNames: [] });
          const frames = streamFrames({
            id: 'chatcmpl-1',
            model: 'm',
            reply,
            fault: {},
            finishReason: 'stop',
            includeUsage: true,
            usage: {
              prompt_tokens: reply.inputTokens,
              completion_tokens: reply.outputTokens,
              prompt_cache_hit_tokens: 0,
            },
            dialect: { paths: [], usagePlacement, keepAlive: usagePlacement === 'finish-chunk' },
          });
          const bytes = new TextEncoder().encode(frames.join(''));
          const result = await collectStream(
            parseChatCompletionStream(DEEPSEEK_VENDOR, parseSse(chunked(bytes, cuts))),
          );
          expect(result.text).toBe(reply.text);
          expect(result.finishReason).toBe('stop');
          expect(result.usage).toEqual({
            inputTokens: reply.inputTokens,
            outputTokens: reply.outputTokens,
            cachedInputTokens: 0,
            reasoningTokens: 0,
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
