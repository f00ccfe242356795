import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  findCodeInText,
  findCodesInText,
  generateTransferCode,
  normalizeCode,
  TRANSFER_CODE_ALPHABET,
} from './transfer-code.js';

const CODE_SHAPE = new RegExp(`^AIP-[${TRANSFER_CODE_ALPHABET}]{5}$`);

/** Codes drawn through the real generator, with fast-check supplying the random indexes. */
const codes = fc
  .array(fc.nat({ max: TRANSFER_CODE_ALPHABET.length - 1 }), { minLength: 5, maxLength: 5 })
  .map((indexes) => {
    const queue = [...indexes];
    return generateTransferCode(() => queue.shift()!);
  });

/** What a bank or a user may do to the code on its way into a mutation's description. */
const mangle = fc.constantFrom<(code: string) => string>(
  (c) => c,
  (c) => c.toLowerCase(),
  (c) => c.replace('-', ''),
  (c) => c.replace('-', ' '),
  (c) => c.replace('-', ' - '),
  (c) => c.replace('-', '').toLowerCase(),
  (c) => `${c.slice(0, 6)} ${c.slice(6)}`,
  (c) => c.replace('-', '\n'),
);

const noise = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.stringMatching(/^[A-Z0-9 /.-]{0,40}$/),
);

describe('generateTransferCode', () => {
  it('makes AIP- plus five symbols from the unambiguous alphabet', () => {
    for (let i = 0; i < 200; i += 1) expect(generateTransferCode()).toMatch(CODE_SHAPE);
    expect(TRANSFER_CODE_ALPHABET).not.toMatch(/[01OILU]/);
    expect(new Set(TRANSFER_CODE_ALPHABET).size).toBe(30);
  });

  it('uses the whole alphabet (the RNG is not biased to a subset)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i += 1) for (const c of generateTransferCode().slice(4)) seen.add(c);
    expect(seen.size).toBe(TRANSFER_CODE_ALPHABET.length);
  });
});

describe('normalizeCode', () => {
  it.each([
    ['aip-7kq2m', 'AIP-7KQ2M'],
    ['AIP 7KQ2M', 'AIP-7KQ2M'],
    ['AIP7KQ2M', 'AIP-7KQ2M'],
    [' 7kq2m ', 'AIP-7KQ2M'],
    ['AIP-7KQ2', null],
    ['AIP-7KQ2MM', null],
    ['AIP-0KQ2M', null],
    ['AIP-IKQ2M', null],
    ['', null],
  ])('%j -> %j', (input, expected) => {
    expect(normalizeCode(input)).toBe(expected);
  });

  it('round-trips every generated code, whatever the bank did to it', () => {
    fc.assert(
      fc.property(codes, mangle, (code, change) => {
        expect(normalizeCode(change(code))).toBe(code);
      }),
    );
  });
});

describe('findCodeInText', () => {
  it.each([
    ['TRF AIP7KQ2M BUDI', 'AIP-7KQ2M'],
    ['aip-7kq2m', 'AIP-7KQ2M'],
    ['TRSF E-BANKING CR 2211/FTSCY/WS95031 100000.00 AIP 7KQ2M BUDI SANTOSO', 'AIP-7KQ2M'],
    ['BI-FAST CR TRANSFER DR 014 AIP-7KQ2MBUDI', 'AIP-7KQ2M'],
    ['note: AIP-7KQ\n2M', 'AIP-7KQ2M'],
    ['TRSF E-BANKING CR 2211/FTSCY/WS95031 BUDI SANTOSO', null],
    ['MAIPAN TAIPEI RAIPUR', null],
    ['AIP-', null],
  ])('%j -> %j', (text, expected) => {
    expect(findCodeInText(text)).toBe(expected);
  });

  it('lists every candidate once, in order', () => {
    expect(findCodesInText('AIP-22222 AIP-7KQ2M aip22222')).toEqual(['AIP-22222', 'AIP-7KQ2M']);
  });

  it('always finds a generated code embedded in random noise', () => {
    fc.assert(
      fc.property(codes, mangle, noise, noise, (code, change, before, after) => {
        const text = `${before} ${change(code)} ${after}`;
        expect(findCodesInText(text)).toContain(code);
      }),
      { numRuns: 2000 },
    );
  });

  it('finds the code even when glued to the surrounding words', () => {
    fc.assert(
      fc.property(
        codes,
        fc.stringMatching(/^[A-Z ]{0,20}$/),
        fc.stringMatching(/^[A-Z]{0,20}$/),
        (code, before, after) => {
          expect(findCodesInText(`${before}${code.replace('-', '')}${after}`)).toContain(code);
        },
      ),
    );
  });

  it('rarely finds anything in noise alone', () => {
    const samples = fc.sample(fc.stringMatching(/^[A-Z0-9 ]{0,60}$/), { numRuns: 5000, seed: 42 });
    const hits = samples.filter((text) => findCodeInText(text) !== null).length;
    expect(hits / samples.length).toBeLessThan(0.002);
  });
});
