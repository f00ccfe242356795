import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PIECED_FROM_CHARS, piecesOf, registerPieces } from '../../text-pieces.js';
import { encodeJsonBody, encodeJsonInSlices } from './json-slices.js';

function joined(body: { chunks: readonly Uint8Array[]; byteLength: number }): Buffer {
  const all = Buffer.concat(body.chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength)));
  expect(all.byteLength).toBe(body.byteLength);
  return all;
}

/** Strings rich in what breaks encoders: surrogate pairs, lone surrogates, controls, quotes. */
const awkwardChar = fc.oneof(
  fc.constantFrom(
    '"',
    '\\',
    '\n',
    '\u0000',
    '\u001f',
    '\u2028',
    '\u007f',
    'é',
    '€',
    '😀',
    '\ud800',
    '\udfff',
  ),
  fc.string({ unit: 'binary', maxLength: 2 }),
  fc.string({ maxLength: 3 }),
);
const awkwardString = fc.array(awkwardChar, { maxLength: 40 }).map((parts) => parts.join(''));

const value = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    awkwardString,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(tie('node'), { maxLength: 5 }),
    fc.dictionary(awkwardString, tie('node'), { maxKeys: 5 }),
  ),
})).node;

describe('encodeJsonInSlices', () => {
  it('writes exactly the bytes of JSON.stringify, whatever the slice size', async () => {
    await fc.assert(
      fc.asyncProperty(value, fc.integer({ min: 2, max: 9 }), async (v, slice) => {
        fc.pre(v !== undefined);
        const body = await encodeJsonInSlices(v, slice);
        expect(joined(body).equals(Buffer.from(JSON.stringify(v), 'utf8'))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('never splits a surrogate pair at a slice boundary', async () => {
    const text = 'a😀'.repeat(50) + '😀'.repeat(50);
    for (let slice = 2; slice < 8; slice += 1) {
      const body = await encodeJsonInSlices({ content: text }, slice);
      expect(joined(body).toString('utf8')).toBe(JSON.stringify({ content: text }));
    }
  });

  it('keeps lone surrogates escaped as JSON.stringify does', async () => {
    const text = `x\ud800${'y'.repeat(10)}\udc00z\ud83d`;
    const body = await encodeJsonInSlices([text, { t: text }], 3);
    expect(joined(body).toString('utf8')).toBe(JSON.stringify([text, { t: text }]));
  });

  it('follows toJSON, undefined, functions, non-finite numbers like JSON.stringify', async () => {
    const v = {
      when: new Date(0),
      gone: undefined,
      fn: () => 1,
      list: [undefined, () => 1, Number.NaN, Number.POSITIVE_INFINITY, -0],
      custom: { toJSON: (key: string) => `key:${key}` },
      hidden: { toJSON: () => undefined },
      boxed: [new String('s'), new Number(2), new Boolean(false)],
    };
    const body = await encodeJsonInSlices(v, 4);
    expect(joined(body).toString('utf8')).toBe(JSON.stringify(v));
  });

  it('throws where JSON.stringify throws', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(encodeJsonInSlices(cyclic)).rejects.toThrow(TypeError);
    await expect(encodeJsonInSlices({ n: 1n })).rejects.toThrow(TypeError);
  });

  it('encodes megabytes in chunks of about one slice, giving up the turn between them', async () => {
    const text = '\u00e9\n"'.repeat(1_000_000);
    let turns = 0;
    const ticking = setInterval(() => {
      turns += 1;
    }, 0);
    const body = await encodeJsonInSlices({ messages: [{ role: 'user', content: text }] }, 256 * 1024);
    clearInterval(ticking);
    expect(joined(body).toString('utf8')).toBe(
      JSON.stringify({ messages: [{ role: 'user', content: text }] }),
    );
    expect(body.chunks.length).toBeGreaterThan(10);
    for (const chunk of body.chunks) expect(chunk.byteLength).toBeLessThan(4 * 256 * 1024 * 2);
    expect(turns).toBeGreaterThan(0);
  });

  it('encodes a text rebuilt from pieces piece by piece, the bytes those of the joined text', async () => {
    // Piece edges with a lone high surrogate, a pair right after an edge, escapes across an edge.
    const pieces = [
      `${'a'.repeat(PIECED_FROM_CHARS)}\ud83d`,
      `😀${'"\\\n'.repeat(1000)}`,
      `\ude00${'é'.repeat(300_001)}\u0001`,
      '\u2028 end 😀',
    ];
    const text = pieces.join('');
    const used = registerPieces(text, pieces, pieces);
    expect(piecesOf(used)).toBe(pieces);
    for (const slice of [3, 1000, 256 * 1024]) {
      const body = await encodeJsonInSlices({ content: used }, slice);
      expect(joined(body).equals(Buffer.from(JSON.stringify({ content: text }), 'utf8'))).toBe(true);
    }
  });
});

describe('encodeJsonBody', () => {
  it('is one buffer for a small body and chunks for a large one', async () => {
    const small = await encodeJsonBody({ a: 'b' });
    expect(small).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(small as Uint8Array).toString()).toBe('{"a":"b"}');
    const large = await encodeJsonBody({ a: 'b'.repeat(1_000_000) });
    expect(large).not.toBeInstanceOf(Uint8Array);
    expect((large as { byteLength: number }).byteLength).toBe(1_000_008);
  });
});
