import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Choice, choiceFits, decodeChoice, encodeChoice } from './choices.js';

describe('choices', () => {
  it('round-trips every kind', () => {
    const choices: Choice[] = [
      { kind: 'model', modelId: 'gpt-4o-mini' },
      { kind: 'model', modelId: 'meta/llama-3.1:8b' },
      { kind: 'lang', language: 'en' },
      { kind: 'delete', confirm: true },
      { kind: 'delete', confirm: false },
    ];
    for (const choice of choices) expect(decodeChoice(encodeChoice(choice))).toEqual(choice);
  });

  it('rejects unknown or malformed data', () => {
    for (const data of [
      undefined,
      '',
      'model',
      'model:',
      'lang:fr',
      'delete:maybe',
      'topup:5',
      'model:a b',
    ]) {
      expect(decodeChoice(data)).toBeUndefined();
    }
  });

  it('property: a model choice that fits decodes to itself', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[\w.:/@+-]{1,70}$/), (modelId) => {
        const choice: Choice = { kind: 'model', modelId };
        if (choiceFits(choice)) expect(decodeChoice(encodeChoice(choice))).toEqual(choice);
        else expect(Buffer.byteLength(encodeChoice(choice))).toBeGreaterThan(64);
      }),
    );
  });
});
