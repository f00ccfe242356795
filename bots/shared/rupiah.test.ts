import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAmount, formatBalance, formatCost } from './rupiah.js';

describe('money as people read it', () => {
  it('shows balances in whole rupiah, rounded down, with each language’s separators', () => {
    expect(formatBalance(50_027_209n, 'id')).toBe('Rp 50.027');
    expect(formatBalance(50_027_209n, 'en')).toBe('Rp 50,027');
    expect(formatBalance(999n, 'id')).toBe('Rp 0');
    expect(formatBalance(1_234_567_000n, 'id')).toBe('Rp 1.234.567');
  });

  it('shows amounts needed rounded up, so a person never tops up too little', () => {
    expect(formatAmount(41_118n, 'id')).toBe('Rp 42');
    expect(formatAmount(41_000n, 'en')).toBe('Rp 41');
    expect(formatAmount(1n, 'id')).toBe('Rp 1');
  });

  it('shows costs below one rupiah as < Rp 1, never as Rp 0', () => {
    expect(formatCost(237n, 'id')).toBe('< Rp 1');
    expect(formatCost(0n, 'en')).toBe('Rp 0');
    expect(formatCost(12_500n, 'id')).toBe('Rp 13');
    expect(formatCost(1_499_400n, 'en')).toBe('Rp 1,499');
  });

  it('never shows a balance above, or an amount needed below, the exact figure', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), (mrp) => {
        const read = (text: string) => BigInt(text.replace(/[^\d]/g, '')) * 1000n;
        expect(read(formatBalance(mrp, 'id'))).toBeLessThanOrEqual(mrp);
        expect(read(formatAmount(mrp, 'en'))).toBeGreaterThanOrEqual(mrp);
        expect(mrp - read(formatBalance(mrp, 'id'))).toBeLessThan(1000n);
      }),
    );
  });
});
