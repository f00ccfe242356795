import { describe, expect, it } from 'vitest';
import { drainParts, rejectionOf, sseEvents } from '../../../test/fakes/llm-test-kit.js';
import { collectStream } from '../shared/collect.js';
import { isProviderError, type ProviderError } from '../shared/errors.js';
import { parseGeminiStream } from './parse-stream.js';

const chunk = (parts: unknown[], finishReason?: string, usage?: Record<string, number>) => ({
  candidates: [{ content: { role: 'model', parts }, index: 0, ...(finishReason ? { finishReason } : {}) }],
  ...(usage ? { usageMetadata: usage } : {}),
});

describe('parseGeminiStream', () => {
  it('skips thought parts but counts thoughts tokens as output and reasoning', async () => {
    const result = await collectStream(
      parseGeminiStream(
        sseEvents(
          chunk([{ text: 'thinking...', thought: true }], undefined, {
            promptTokenCount: 9,
            thoughtsTokenCount: 185,
          }),
          chunk([{ text: 'Hi' }], 'STOP', {
            promptTokenCount: 9,
            candidatesTokenCount: 23,
            thoughtsTokenCount: 185,
            totalTokenCount: 217,
          }),
        ),
      ),
    );
    expect(result.text).toBe('Hi');
    expect(result.usage).toEqual({
      inputTokens: 9,
      outputTokens: 208,
      cachedInputTokens: 0,
      reasoningTokens: 185,
    });
  });

  it('throws when the sentinel-less stream ends without a finish reason', async () => {
    const error = await rejectionOf(drainParts(parseGeminiStream(sseEvents(chunk([{ text: 'Hi' }])))));
    expect(isProviderError(error) && error.retryable).toBe(true);
  });

  it('throws on an error object arriving as a chunk', async () => {
    const error = (await rejectionOf(
      drainParts(
        parseGeminiStream(
          sseEvents(chunk([{ text: 'Hi' }]), {
            error: { code: 503, message: 'overloaded', status: 'UNAVAILABLE' },
          }),
        ),
      ),
    )) as ProviderError;
    expect(error.status).toBe(503);
    expect(error.retryable).toBe(true);
  });

  it('maps MAX_TOKENS to length and other reasons to other', async () => {
    expect(
      (await collectStream(parseGeminiStream(sseEvents(chunk([{ text: 'a' }], 'MAX_TOKENS'))))).finishReason,
    ).toBe('length');
    expect(
      (await collectStream(parseGeminiStream(sseEvents(chunk([], 'MALFORMED_FUNCTION_CALL'))))).finishReason,
    ).toBe('other');
    expect((await collectStream(parseGeminiStream(sseEvents(chunk([], 'RECITATION'))))).finishReason).toBe(
      'content_filter',
    );
  });
});
