import { describe, expect, it } from 'vitest';
import { drainParts, rejectionOf, sseEvents } from '../../../test/fakes/llm-test-kit.js';
import { OPENAI_VENDOR } from '../openai/provider.js';
import { collectStream } from '../shared/collect.js';
import { isProviderError, type ProviderError } from '../shared/errors.js';
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

  it('ignores choices other than the first and unknown fields', async () => {
    const other = {
      choices: [{ index: 1, delta: { content: 'zzz' }, finish_reason: null }],
      obfuscation: 'xx',
    };
    const result = await collectStream(
      parseChatCompletionStream(OPENAI_VENDOR, sseEvents(other, chunk({ content: 'ok' }, 'stop'), DONE)),
    );
    expect(result.text).toBe('ok');
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
