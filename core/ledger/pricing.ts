/**
 * Pricing math. Catalog prices are milli-rupiah per unit (per 1M tokens, per image, per video second);
 * a cost is summed exactly and rounded up to the next milli-rupiah once, so it is never undercharged
 * by rounding and never negative.
 */
export interface TokenPrice {
  inputPerMTokMrp: bigint;
  outputPerMTokMrp: bigint;
  /** Defaults to the input price when a model has no cache discount. */
  cachedInputPerMTokMrp?: bigint;
}

export interface TokenUsage {
  /** All input tokens, cached ones included. */
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
}

const PER_MILLION = 1_000_000n;

function ceilDiv(numerator: bigint, denominator: bigint): bigint {
  return numerator <= 0n ? 0n : (numerator + denominator - 1n) / denominator;
}

function smaller(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function count(value: number | undefined): bigint {
  if (value === undefined || !Number.isFinite(value) || value <= 0) return 0n;
  return BigInt(Math.floor(value));
}

export function tokenCostMrp(usage: TokenUsage, price: TokenPrice): bigint {
  const input = count(usage.inputTokens);
  const cached = smaller(count(usage.cachedInputTokens), input);
  const cachedPrice = price.cachedInputPerMTokMrp ?? price.inputPerMTokMrp;
  const total =
    (input - cached) * price.inputPerMTokMrp +
    cached * cachedPrice +
    count(usage.outputTokens) * price.outputPerMTokMrp;
  return ceilDiv(total, PER_MILLION);
}

export function perUnitCostMrp(units: number, pricePerUnitMrp: bigint): bigint {
  return count(units) * pricePerUnitMrp;
}
