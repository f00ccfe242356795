import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIdr, idrToMrp, mrpToIdrNumber, mrpToIdrString } from './money.js';
import { perUnitCostMrp, tokenCostMrp } from './pricing.js';

describe('rupiah conversion', () => {
  it('converts decimal text and JSON numbers exactly', () => {
    expect(idrToMrp('100123.00')).toBe(100_123_000n);
    expect(idrToMrp(3799460.89)).toBe(3_799_460_890n);
    expect(idrToMrp(0.237)).toBe(237n);
    expect(idrToMrp('2500')).toBe(2_500_000n);
    expect(idrToMrp(1e21)).toBe(10n ** 24n);
    expect(() => idrToMrp('1.2345')).toThrow(/three decimals/);
    expect(() => idrToMrp('abc')).toThrow(/Not a rupiah amount/);
    expect(() => idrToMrp(Number.NaN)).toThrow();
  });

  it('round-trips every milli-rupiah amount through text and JSON numbers', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 50n), max: 2n ** 50n }), (mrp) => {
        expect(idrToMrp(mrpToIdrString(mrp))).toBe(mrp);
        expect(idrToMrp(mrpToIdrNumber(mrp))).toBe(mrp);
      }),
    );
  });

  it('formats the Indonesian way', () => {
    expect(formatIdr(125_000_000n)).toBe('Rp 125.000');
    expect(formatIdr(237n)).toBe('Rp 0,237');
    expect(formatIdr(1_500_500n)).toBe('Rp 1.500,5');
    expect(formatIdr(-1_500_000n)).toBe('-Rp 1.500');
    expect(formatIdr(0n)).toBe('Rp 0');
  });
});

describe('pricing', () => {
  const price = {
    inputPerMTokMrp: 2_500_000n,
    outputPerMTokMrp: 10_000_000n,
    cachedInputPerMTokMrp: 1_250_000n,
  };
  const usage = fc.record({
    inputTokens: fc.nat(2_000_000),
    outputTokens: fc.nat(200_000),
    cachedInputTokens: fc.nat(2_000_000),
  });

  it('is never negative and rounds up to the next milli-rupiah', () => {
    fc.assert(
      fc.property(usage, (u) => {
        const cost = tokenCostMrp(u, price);
        expect(cost >= 0n).toBe(true);
        const cached = BigInt(Math.min(u.cachedInputTokens, u.inputTokens));
        const exact =
          (BigInt(u.inputTokens) - cached) * price.inputPerMTokMrp +
          cached * price.cachedInputPerMTokMrp +
          BigInt(u.outputTokens) * price.outputPerMTokMrp;
        expect(cost * 1_000_000n >= exact).toBe(true);
        expect((cost - 1n) * 1_000_000n < exact || cost === 0n).toBe(true);
      }),
    );
  });

  it('is monotone in every token count', () => {
    fc.assert(
      fc.property(usage, fc.nat(1000), fc.constantFrom('inputTokens', 'outputTokens'), (u, extra, field) => {
        const more = { ...u, [field]: u[field as 'inputTokens'] + extra };
        expect(tokenCostMrp(more, price) >= tokenCostMrp(u, price)).toBe(true);
      }),
    );
  });

  it('is exact when the product is a whole number of milli-rupiah', () => {
    expect(tokenCostMrp({ inputTokens: 1_000_000, outputTokens: 0 }, price)).toBe(2_500_000n);
    expect(tokenCostMrp({ inputTokens: 400, outputTokens: 100 }, price)).toBe(2_000n);
    expect(tokenCostMrp({ inputTokens: 1, outputTokens: 0 }, price)).toBe(3n);
    fc.assert(
      fc.property(fc.nat(100), fc.bigInt({ min: 0n, max: 10n ** 9n }), (n, p) => {
        expect(perUnitCostMrp(n, p)).toBe(BigInt(n) * p);
      }),
    );
  });
});
