import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AmountParseError, parseRupiahToMrp } from './amount.js';

/** Renders milli-rupiah as Moota would write rupiah: integer part, then 0 to 3 fraction digits. */
function toRupiahText(mrp: bigint, fractionDigits: number): string {
  const rupiah = mrp / 1000n;
  const fraction = (mrp % 1000n).toString().padStart(3, '0');
  if (fractionDigits === 0) return rupiah.toString();
  return `${rupiah}.${fraction.padEnd(fractionDigits, '0').slice(0, Math.max(fractionDigits, 3))}`;
}

const mrpAmounts = fc.bigInt({ min: 0n, max: 10n ** 15n - 1n });

describe('parseRupiahToMrp', () => {
  it('parses the documented string and number forms exactly', () => {
    expect(parseRupiahToMrp('100123.00')).toBe(100_123_000n);
    expect(parseRupiahToMrp(5000)).toBe(5_000_000n);
    expect(parseRupiahToMrp(3799460.89)).toBe(3_799_460_890n);
    expect(parseRupiahToMrp('3799460.89')).toBe(3_799_460_890n);
    expect(parseRupiahToMrp(0.237)).toBe(237n);
    expect(parseRupiahToMrp('0')).toBe(0n);
    expect(parseRupiahToMrp('12.5000')).toBe(12_500n);
  });

  it('does not drift where float multiplication would', () => {
    // 1.005 * 1000 is 1004.9999999999999 in binary floating point.
    expect(Math.trunc(1.005 * 1000)).toBe(1004);
    expect(parseRupiahToMrp(1.005)).toBe(1_005n);
    expect(parseRupiahToMrp('1.005')).toBe(1_005n);
  });

  it('reads tiny numbers through their exponent form without rounding them away', () => {
    expect(String(1.5e-7)).toBe('1.5e-7');
    expect(() => parseRupiahToMrp(1.5e-7)).toThrow(/more than 3 decimals/);
    expect(() => parseRupiahToMrp(1e21)).toThrow(/too large/);
  });

  it.each([
    ['-5000', /negative/],
    [-1, /negative/],
    ['abc', /not a decimal/],
    ['', /not a decimal/],
    ['1.2.3', /not a decimal/],
    ['1e3', /not a decimal/],
    ['0x10', /not a decimal/],
    ['1.2345', /more than 3 decimals/],
    [0.30000000000000004, /more than 3 decimals/],
    [Number.NaN, /not a finite number/],
    [Number.POSITIVE_INFINITY, /not a finite number/],
    [2 ** 60, /too large/],
    [null, /string or a number/],
    [true, /string or a number/],
    [{}, /string or a number/],
  ])('refuses %s', (value, message) => {
    expect(() => parseRupiahToMrp(value)).toThrow(AmountParseError);
    expect(() => parseRupiahToMrp(value)).toThrow(message);
  });

  it('string form is exact for every amount and any number of fraction digits', () => {
    fc.assert(
      fc.property(mrpAmounts, fc.integer({ min: 0, max: 6 }), (mrp, digits) => {
        const text = toRupiahText(mrp, digits);
        const expected = digits === 0 ? (mrp / 1000n) * 1000n : mrp;
        expect(parseRupiahToMrp(text)).toBe(expected);
      }),
    );
  });

  it('number form agrees with the string form it was written from', () => {
    fc.assert(
      fc.property(mrpAmounts, fc.integer({ min: 1, max: 3 }), (mrp, digits) => {
        const text = toRupiahText(mrp, 3).slice(0, toRupiahText(mrp, 3).length - (3 - digits));
        const fromString = parseRupiahToMrp(text);
        expect(parseRupiahToMrp(Number(text))).toBe(fromString);
        expect(parseRupiahToMrp(JSON.parse(text))).toBe(fromString);
      }),
    );
  });

  it('refuses any nonzero fourth decimal', () => {
    fc.assert(
      fc.property(mrpAmounts, fc.integer({ min: 1, max: 9 }), (mrp, extra) => {
        const text = `${toRupiahText(mrp, 3)}${extra}`;
        expect(() => parseRupiahToMrp(text)).toThrow(/more than 3 decimals/);
      }),
    );
  });
});
