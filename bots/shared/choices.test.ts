import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Choice, choiceFits, decodeChoice, encodeChoice, pressedByOwner } from './choices.js';

describe('choices', () => {
  it('round-trips every kind', () => {
    const choices: Choice[] = [
      { kind: 'model', owner: '123456789', modelId: 'gpt-4o-mini' },
      { kind: 'model', owner: 'U0ABC', modelId: 'meta/llama-3.1:8b' },
      { kind: 'lang', owner: '1234567890123456789', language: 'en' },
      { kind: 'delete', owner: '42', confirm: true },
      { kind: 'delete', owner: '42', confirm: false },
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
      'model:42:a b',
      'lang:42:fr',
      'delete:x y:yes',
      'delete:yes',
    ]) {
      expect(decodeChoice(data)).toBeUndefined();
    }
  });

  it('acts only for the owner it names', () => {
    const choice = decodeChoice(encodeChoice({ kind: 'delete', owner: '111', confirm: true }))!;
    expect(pressedByOwner(choice, '111')).toBe(true);
    expect(pressedByOwner(choice, '222')).toBe(false);
  });

  it('property: a model choice that fits decodes to itself', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[\w.:/@+-]{1,70}$/), (modelId) => {
        const choice: Choice = { kind: 'model', owner: '1234567890', modelId };
        if (choiceFits(choice)) expect(decodeChoice(encodeChoice(choice))).toEqual(choice);
        else expect(Buffer.byteLength(encodeChoice(choice))).toBeGreaterThan(64);
      }),
    );
  });
});
