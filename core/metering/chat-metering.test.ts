import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatModel } from '../catalog/index.js';
import {
  chatCostMrp,
  chatHold,
  estimateInputTokens,
  estimateUsage,
  maxOutputTokens,
} from './chat-metering.js';
import { countTextTokens } from './tokens.js';

const model: ChatModel = {
  id: 'm',
  name: 'M',
  kind: 'chat',
  routes: [],
  activeRoutes: [],
  maxOutputTokens: 4096,
  contextWindow: 32_768,
  vision: true,
  tools: true,
  price: { inputPerMTokMrp: 2_500_000n, outputPerMTokMrp: 10_000_000n, cachedInputPerMTokMrp: 1_250_000n },
};
const ask = (text: string, max?: number) => ({
  messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text }] }],
  ...(max === undefined ? {} : { maxOutputTokens: max }),
});

describe('chat metering', () => {
  it("bounds the output budget by the model's cap", () => {
    expect(maxOutputTokens(model, undefined)).toBe(4096);
    expect(maxOutputTokens(model, 100)).toBe(100);
    expect(maxOutputTokens(model, 1_000_000)).toBe(4096);
    expect(chatHold(model, ask('halo', 1_000_000)).maxOutputTokens).toBe(4096);
  });

  it('bounds the input estimate by the context window (a huge prompt never holds millions of tokens)', () => {
    const hold = chatHold(model, ask('kata '.repeat(200_000)));
    expect(hold.inputTokens).toBe(32_768);
  });

  it('counts special-token text as text and extrapolates long texts', () => {
    expect(countTextTokens('a <|endoftext|> b')).toBeGreaterThan(3);
    const long = 'halo apa kabar '.repeat(20_000);
    const exact = countTextTokens(long.slice(0, 64_000));
    expect(countTextTokens(long)).toBeGreaterThan(exact * 4);
  });

  it('counts images and tools in the input estimate', () => {
    const plain = estimateInputTokens(ask('apa ini'));
    const withImage = estimateInputTokens({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'apa ini' },
            { type: 'image', url: 'https://x/y.png' },
          ],
        },
      ],
    });
    expect(withImage - plain).toBe(2_000);
  });

  it('holds at least the cost of any usage up to the estimate and the output budget', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 400 }),
        fc.integer({ min: 1, max: 8000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (text, max, share) => {
          const request = ask(text, max);
          const hold = chatHold(model, request);
          const usage = {
            inputTokens: hold.inputTokens,
            outputTokens: Math.floor(hold.maxOutputTokens * share),
            cachedInputTokens: 0,
            reasoningTokens: 0,
          };
          expect(chatCostMrp(model, usage)).toBeLessThanOrEqual(hold.amountMrp);
          expect(hold.amountMrp).toBeGreaterThan(0n);
        },
      ),
    );
  });

  it('estimates usage from what was produced', () => {
    const usage = estimateUsage(ask('halo'), 'Halo juga, apa kabar?', [
      { id: 'c', name: 'cuaca', arguments: '{"kota":"Bogor"}' },
    ]);
    expect(usage.outputTokens).toBeGreaterThan(5);
    expect(usage.inputTokens).toBeGreaterThan(0);
  });
});
