import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRupiahAmount } from './parse-amount.js';

const rp = (n: number) => BigInt(n) * 1000n;

describe('parseRupiahAmount', () => {
  it('reads the ways people write rupiah', () => {
    for (const [input, rupiah] of [
      ['50000', 50_000],
      ['50.000', 50_000],
      ['Rp 50.000', 50_000],
      ['rp50.000', 50_000],
      ['1.250.000', 1_250_000],
      ['50rb', 50_000],
      ['50 ribu', 50_000],
      ['50k', 50_000],
      ['1,5jt', 1_500_000],
      ['2 juta', 2_000_000],
      ['1.25jt', 1_250_000],
    ] as const) {
      expect(parseRupiahAmount(input)).toEqual({ ok: true, mrp: rp(rupiah) });
    }
  });

  it('refuses missing, malformed, zero and out-of-bounds amounts', () => {
    expect(parseRupiahAmount(undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(parseRupiahAmount('  ')).toEqual({ ok: false, reason: 'missing' });
    for (const bad of ['abc', '50,000', '5.00', '-5000', '0', '1e6', '50.000,50', '12.34.567']) {
      expect(parseRupiahAmount(bad)).toMatchObject({ ok: false });
    }
    const bounds = { minMrp: rp(10_000), maxMrp: rp(10_000_000) };
    expect(parseRupiahAmount('9999', bounds)).toEqual({ ok: false, reason: 'too_small' });
    expect(parseRupiahAmount('11jt', bounds)).toEqual({ ok: false, reason: 'too_large' });
    expect(parseRupiahAmount('10000', bounds)).toEqual({ ok: true, mrp: rp(10_000) });
  });

  it('property: a formatted whole-rupiah amount parses back exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 12n }), (rupiah) => {
        const dotted = rupiah.toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.');
        expect(parseRupiahAmount(dotted)).toEqual({ ok: true, mrp: rupiah * 1000n });
        expect(parseRupiahAmount(`Rp ${dotted}`)).toEqual({ ok: true, mrp: rupiah * 1000n });
      }),
    );
  });
});
