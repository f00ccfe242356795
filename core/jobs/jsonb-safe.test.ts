import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonbSafe } from './jsonb-safe.js';

const UNSTORABLE = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => [key, ...strings(item)]);
  return [];
}

const anyJson = fc.jsonValue({ stringUnit: 'binary' });

describe('jsonbSafe', () => {
  it('leaves nothing jsonb refuses, and keeps a clean value as it is (the same object)', () => {
    fc.assert(
      fc.property(anyJson, (value) => {
        const clean = jsonbSafe(value);
        for (const text of strings(clean)) expect(text).not.toMatch(UNSTORABLE);
        if (!strings(value).some((text) => UNSTORABLE.test(text))) expect(clean).toBe(value);
      }),
      { numRuns: 300 },
    );
  });

  it('replaces a NUL and unpaired surrogates, keeps pairs, never touches the input', () => {
    const input = { 'k\0': ['a\0b', 'x\ud800y', '\udc00z', '😀'], n: 1 };
    expect(jsonbSafe(input)).toEqual({ 'k\ufffd': ['a\ufffdb', 'x\ufffdy', '\ufffdz', '😀'], n: 1 });
    expect(input['k\0'][0]).toBe('a\0b');
  });
});
