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
  /** Prompt-cache writes of 5 minutes / 1 hour; default to the input price. */
  cacheWritePerMTokMrp?: bigint;
  cacheWrite1hPerMTokMrp?: bigint;
}

export interface TokenUsage {
  /** All input tokens, cached ones included. */
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  /** The parts of `inputTokens` written to the prompt cache (5-minute, 1-hour lifetime). */
  cacheWriteTokens?: number;
  cacheWrite1hTokens?: number;
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
  // Each special part is bounded by what is left of the input, so the parts never exceed it.
  const cached = smaller(count(usage.cachedInputTokens), input);
  const write5m = smaller(count(usage.cacheWriteTokens), input - cached);
  const write1h = smaller(count(usage.cacheWrite1hTokens), input - cached - write5m);
  const cachedPrice = price.cachedInputPerMTokMrp ?? price.inputPerMTokMrp;
  const total =
    (input - cached - write5m - write1h) * price.inputPerMTokMrp +
    cached * cachedPrice +
    write5m * (price.cacheWritePerMTokMrp ?? price.inputPerMTokMrp) +
    write1h * (price.cacheWrite1hPerMTokMrp ?? price.inputPerMTokMrp) +
    count(usage.outputTokens) * price.outputPerMTokMrp;
  return ceilDiv(total, PER_MILLION);
}

export function perUnitCostMrp(units: number, pricePerUnitMrp: bigint): bigint {
  return count(units) * pricePerUnitMrp;
}
