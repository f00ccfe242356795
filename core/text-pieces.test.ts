import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  charCodeOfPieces,
  PIECED_FROM_CHARS,
  piecesOf,
  registerPieces,
  sliceOfPieces,
  utf8LengthOfPieces,
} from './text-pieces.js';

/** Pieces of a long text: filler, then awkward characters around each boundary. */
function piecesAround(edges: readonly string[], fill: number): string[] {
  return edges.map((edge, i) => `${'a'.repeat(fill + i)}${edge}`);
}

describe('text pieces', () => {
  it('gives the registered pieces of a string, and [text] for anything else', () => {
    const pieces = piecesAround(['😀', 'é', 'z'], PIECED_FROM_CHARS / 2);
    const text = pieces.join('');
    const owner = {};
    registerPieces(text, pieces, owner);
    expect(piecesOf(text)).toBe(pieces);
    expect(piecesOf('short')).toEqual(['short']);
    // A longer string of another length is not registered.
    const other = `${text}b`;
    expect(piecesOf(other)).toEqual([other]);
    expect(owner).toBeDefined();
  });

  it('refuses pieces that split a surrogate pair or do not add up to the text', () => {
    const split = [`${'a'.repeat(PIECED_FROM_CHARS)}\ud83d`, '\ude00tail'];
    const text = split.join('');
    registerPieces(text, split, {});
    expect(piecesOf(text)).toEqual([text]);
    // A lone high surrogate at a piece's end (not followed by a low one) is fine.
    const lone = [`${'b'.repeat(PIECED_FROM_CHARS)}\ud83d`, 'xtail'];
    const loneText = lone.join('');
    registerPieces(loneText, lone, {});
    expect(piecesOf(loneText)).toBe(lone);
    const wrong = ['c'.repeat(PIECED_FROM_CHARS), 'dd'];
    const wrongText = `${wrong.join('')}e`;
    registerPieces(wrongText, wrong, {});
    expect(piecesOf(wrongText)).toEqual([wrongText]);
  });

  it('gives up on a length two live strings share (comparing them would copy both)', () => {
    const first = ['f'.repeat(PIECED_FROM_CHARS + 7), 'g'];
    const second = ['h'.repeat(PIECED_FROM_CHARS + 7), 'i'];
    const texts = [first.join(''), second.join('')];
    registerPieces(texts[0]!, first, {});
    expect(piecesOf(texts[0]!)).toBe(first);
    expect(registerPieces(texts[1]!, second, {})).toBe(texts[1]);
    expect(piecesOf(texts[0]!)).toEqual([texts[0]]);
    expect(piecesOf(texts[1]!)).toEqual([texts[1]]);
  });

  it('gives back the live equal string when the same text is registered again', () => {
    const pieces = ['j'.repeat(PIECED_FROM_CHARS + 11), 'k😀'];
    const text = pieces.join('');
    expect(registerPieces(text, pieces, {})).toBe(text);
    const again = ['j'.repeat(PIECED_FROM_CHARS + 11), 'k😀'];
    const used = registerPieces(again.join(''), again, {});
    expect(used).toBe(text);
    expect(piecesOf(used)).toBe(pieces);
  });

  it('reads slices, characters and UTF-8 lengths exactly as the joined string would give them', () => {
    const edge = fc
      .array(fc.constantFrom('😀', 'é', 'x', '\ud83d', '\ude00', '\u0000', 'ダ'), {
        minLength: 1,
        maxLength: 4,
      })
      .map((parts) => parts.join(''));
    let run = 0;
    fc.assert(
      fc.property(
        fc.array(edge, { minLength: 2, maxLength: 4 }),
        fc.nat(),
        fc.nat(40),
        (edges, at, count) => {
          run += 1;
          // A different length each run, so no two registrations share one.
          const pieces = piecesAround(edges, PIECED_FROM_CHARS / 2 + run * 16);
          const text = pieces.join('');
          registerPieces(text, pieces, pieces);
          expect(piecesOf(text)).toBe(pieces);
          const from = at % text.length;
          expect(sliceOfPieces(text, from, count)).toBe(text.slice(from, from + count));
          expect(charCodeOfPieces(text, from)).toBe(text.charCodeAt(from));
          expect(utf8LengthOfPieces(text)).toBe(Buffer.byteLength(text, 'utf8'));
          // Across every boundary.
          let start = 0;
          for (const piece of pieces) {
            start += piece.length;
            expect(sliceOfPieces(text, start - 3, 6)).toBe(text.slice(start - 3, start + 3));
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
