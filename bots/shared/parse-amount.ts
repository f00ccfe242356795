import { MRP_PER_IDR } from '../../core/ledger/index.js';

export type AmountParse =
  | { ok: true; mrp: bigint }
  | { ok: false; reason: 'missing' | 'invalid' | 'too_small' | 'too_large' };

const MULTIPLIERS: Record<string, bigint> = {
  '': 1n,
  rb: 1_000n,
  ribu: 1_000n,
  k: 1_000n,
  jt: 1_000_000n,
  juta: 1_000_000n,
};

/**
 * Parses the whole-rupiah amount a person types after /topup: `50000`, `50.000`, `Rp 50.000`,
 * `50rb`, `50 ribu`, `50k`, `1,5jt`, `2 juta`. Dots are thousands separators in plain numbers;
 * with a suffix, a comma or dot starts up to three decimals. Exact integer arithmetic only.
 * Bounds are in milli-rupiah and inclusive.
 */
export function parseRupiahAmount(
  input: string | undefined,
  bounds: { minMrp?: bigint; maxMrp?: bigint } = {},
): AmountParse {
  const text = (input ?? '')
    .trim()
    .toLowerCase()
    .replace(/^rp\.?\s*/, '');
  if (text === '') return { ok: false, reason: 'missing' };
  const rupiah = parseRupiah(text);
  if (rupiah === undefined) return { ok: false, reason: 'invalid' };
  const mrp = rupiah * MRP_PER_IDR;
  if (mrp <= 0n) return { ok: false, reason: 'invalid' };
  if (bounds.minMrp !== undefined && mrp < bounds.minMrp) return { ok: false, reason: 'too_small' };
  if (bounds.maxMrp !== undefined && mrp > bounds.maxMrp) return { ok: false, reason: 'too_large' };
  return { ok: true, mrp };
}

function parseRupiah(text: string): bigint | undefined {
  const suffixed = /^(\d{1,9})(?:[.,](\d{1,3}))?\s*(rb|ribu|k|jt|juta)$/.exec(text);
  if (suffixed) {
    const fraction = suffixed[2] ?? '';
    const scale = 10n ** BigInt(fraction.length);
    const scaled = BigInt(suffixed[1]!) * scale + BigInt(fraction || '0');
    return (scaled * MULTIPLIERS[suffixed[3]!]!) / scale;
  }
  if (/^\d{1,3}(\.\d{3})+$/.test(text)) return BigInt(text.replace(/\./g, ''));
  if (/^\d{1,15}$/.test(text)) return BigInt(text);
  return undefined;
}
