import fc from 'fast-check';
import { countTokens as cl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as o200k } from 'gpt-tokenizer/encoding/o200k_base';
import { countTokens as r50k } from 'gpt-tokenizer/encoding/r50k_base';
import { describe, expect, it } from 'vitest';
import type { ChatModel } from '../catalog/index.js';
import {
  chatCostMrp,
  chatHold,
  estimateInputTokens,
  estimateUsage,
  IMAGE_TOKEN_BOUND,
  inputTokenBound,
  maxOutputTokens,
} from './chat-metering.js';
import { countTextTokens, countTokensOfTexts, textTokenBound } from './tokens.js';

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

  it('holds the output budget once per answer asked for (n) and the prompt once', () => {
    const one = chatHold(model, ask('halo', 1000));
    const three = chatHold(model, { ...ask('halo', 1000), choices: 3 });
    expect(three.maxOutputTokens).toBe(1000);
    // 2 more answers x 1000 tokens x 10 mRp per token; the input part is the same.
    expect(three.amountMrp - one.amountMrp).toBe(20_000n);
  });

  it('bounds the input by the context window (a huge prompt never holds millions of tokens)', () => {
    const hold = chatHold(model, ask('kata '.repeat(200_000)));
    expect(hold.inputTokens).toBe(32_768);
  });

  it('counts special-token text as text and estimates long texts without passing the bound', async () => {
    expect(await countTextTokens('a <|endoftext|> b')).toBeGreaterThan(3);
    const long = 'halo apa kabar '.repeat(20_000);
    expect(await countTextTokens(long)).toBeGreaterThan((await countTextTokens(long.slice(0, 64_000))) * 4);
    const gamed = `${' '.repeat(70_000)}${'Zq9#xV'.repeat(60_000)}`;
    expect(await countTextTokens(gamed)).toBeLessThanOrEqual(textTokenBound(gamed));
  });

  const noSpecial = { disallowedSpecial: new Set<string>() };
  const adversarial = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ unit: 'grapheme', maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc
      .tuple(fc.constantFrom(' ', 'a', '\n', '0', '.', '\u00a0', '日', '🙂', '<|endoftext|>'), fc.nat(400))
      .map(([c, n]) => c.repeat(n)),
    fc
      .array(fc.constantFrom('<|endoftext|>', '<|im_start|>', '\r\n', '   ', 'ab', 'ــ'), { maxLength: 80 })
      .map((a) => a.join('')),
  );

  it('never bounds a text below what any byte-level tokenizer counts (o200k, cl100k, r50k)', async () => {
    await fc.assert(
      fc.asyncProperty(adversarial, async (text) => {
        const bound = textTokenBound(text);
        expect(o200k(text, noSpecial)).toBeLessThanOrEqual(bound);
        expect(cl100k(text, noSpecial)).toBeLessThanOrEqual(bound);
        expect(r50k(text, noSpecial)).toBeLessThanOrEqual(bound);
        expect(await countTextTokens(text)).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 300 },
    );
  });

  it('counts many texts as their join would count, without joining them', async () => {
    const texts = fc.array(fc.oneof(adversarial, fc.string({ maxLength: 5_000 })), { maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(texts, fc.constantFrom('\n', ''), async (parts, separator) => {
        expect(await countTokensOfTexts(parts, separator)).toBe(await countTextTokens(parts.join(separator)));
      }),
      { numRuns: 200 },
    );
  });

  it('bounds a whole request: system, messages, tools and schemas, with a maximum per image', async () => {
    await fc.assert(
      fc.asyncProperty(adversarial, adversarial, adversarial, async (system, user, toolText) => {
        const request = {
          system,
          messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: user }] }],
          tools: [
            { name: 't', description: toolText, parameters: { type: 'object', description: toolText } },
          ],
        };
        const bound = inputTokenBound(request);
        const everything = [system, user, 't', toolText, JSON.stringify(request.tools[0]!.parameters)];
        const exact = everything.reduce((sum, text) => sum + o200k(text, noSpecial), 0);
        expect(bound).toBeGreaterThanOrEqual(exact);
        expect(await estimateInputTokens(request)).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 100 },
    );
  });

  it('caps the bound exactly, without reading the texts once their lengths reach the cap', () => {
    fc.assert(
      fc.property(fc.array(adversarial, { minLength: 1, maxLength: 4 }), fc.nat(3_000), (texts, cap) => {
        const request = {
          messages: texts.map((text) => ({
            role: 'user' as const,
            content: [{ type: 'text' as const, text }],
          })),
        };
        expect(inputTokenBound(request, cap)).toBe(Math.min(inputTokenBound({ ...request }), cap));
      }),
      { numRuns: 200 },
    );
  });

  it('counts images at their documented maximum and tools with their hidden prompt', () => {
    const plain = inputTokenBound(ask('apa ini'));
    const withImage = inputTokenBound({
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
    expect(withImage - plain).toBe(IMAGE_TOKEN_BOUND);
    const withTool = inputTokenBound({
      ...ask('apa ini'),
      tools: [{ name: 'cuaca', parameters: { type: 'object' } }],
    });
    expect(withTool - plain).toBeGreaterThan(346);
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

  it('estimates usage from what was produced', async () => {
    const usage = await estimateUsage(ask('halo'), 'Halo juga, apa kabar?', [
      { id: 'c', name: 'cuaca', arguments: '{"kota":"Bogor"}' },
    ]);
    expect(usage.outputTokens).toBeGreaterThan(5);
    expect(usage.inputTokens).toBeGreaterThan(0);
  });
});
