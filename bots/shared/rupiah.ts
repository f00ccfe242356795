import type { Language } from './i18n/messages.js';

/**
 * Money as people read it in chat. The ledger counts milli-rupiah; people see whole rupiah with
 * their language's separators (`Rp 50.027`, English `Rp 50,027`). Which way a figure rounds depends
 * on what it promises: a balance never shows more than there is (down), an amount needed never
 * less than is needed (up), and a cost below one rupiah reads `< Rp 1`, not `Rp 0`.
 */

const MRP_PER_IDR = 1000n;

function group(whole: bigint, language: Language): string {
  const separator = language === 'en' ? ',' : '.';
  return whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

function rupiah(whole: bigint, language: Language): string {
  return whole < 0n ? `-Rp ${group(-whole, language)}` : `Rp ${group(whole, language)}`;
}

/** A balance or what is available: whole rupiah, rounded down. */
export function formatBalance(mrp: bigint, language: Language): string {
  const whole = mrp >= 0n ? mrp / MRP_PER_IDR : -((-mrp + MRP_PER_IDR - 1n) / MRP_PER_IDR);
  return rupiah(whole, language);
}

/** An amount that must be there (a hold, a price to pay, a transfer): whole rupiah, rounded up. */
export function formatAmount(mrp: bigint, language: Language): string {
  const whole = mrp >= 0n ? (mrp + MRP_PER_IDR - 1n) / MRP_PER_IDR : -(-mrp / MRP_PER_IDR);
  return rupiah(whole, language);
}

/** What something cost: `< Rp 1` below one rupiah, else whole rupiah rounded to the nearest. */
export function formatCost(mrp: bigint, language: Language): string {
  if (mrp <= 0n) return rupiah(0n, language);
  if (mrp < MRP_PER_IDR) return `< ${rupiah(1n, language)}`;
  return rupiah((mrp + MRP_PER_IDR / 2n) / MRP_PER_IDR, language);
}
