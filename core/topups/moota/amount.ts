/**
 * Exact conversion of a Moota amount to integer milli-rupiah.
 *
 * The REST API sends amounts as strings ("100123.00"); webhooks send JSON numbers (5000, 3799460.89).
 * A JSON number has already been through a binary double by the time we see it, so we take its
 * shortest round-trip decimal text (what `String(n)` gives, the same digits the sender wrote for any
 * value a bank would produce) and parse that text; no floating-point arithmetic touches the value.
 */

const MRP_PER_RUPIAH_DIGITS = 3;
const PLAIN_DECIMAL = /^(\d+)(?:\.(\d+))?$/;
const EXPONENT_FORM = /^(\d+)(?:\.(\d+))?e([+-]?\d+)$/i;

export class AmountParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AmountParseError';
  }
}

/**
 * Rupiah amount (string or number) -> milli-rupiah. Accepts a non-negative decimal with at most three
 * significant fraction digits; further trailing zeros are allowed because they change nothing
 * ("1.5000" is exactly 1500 mRp). Throws AmountParseError for anything else.
 */
export function parseRupiahToMrp(value: unknown): bigint {
  if (typeof value === 'number') return parseDecimalText(numberToDecimalText(value));
  if (typeof value === 'string') return parseDecimalText(value.trim());
  throw new AmountParseError(`amount must be a string or a number, got ${describe(value)}`);
}

function numberToDecimalText(value: number): string {
  if (!Number.isFinite(value)) throw new AmountParseError(`amount is not a finite number (${value})`);
  if (value < 0) throw new AmountParseError(`amount is negative (${value})`);
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
    throw new AmountParseError('amount is too large to be exact as a JSON number');
  }
  return expandExponent(String(value));
}

/** "1.5e-7" -> "0.00000015", "1e+21" -> "1000000000000000000000", plain text unchanged. */
function expandExponent(text: string): string {
  const match = EXPONENT_FORM.exec(text);
  if (!match) return text;
  const [, intPart = '', fracPart = '', expText = '0'] = match;
  const digits = intPart + fracPart;
  const pointAt = intPart.length + Number(expText);
  if (pointAt <= 0) return `0.${'0'.repeat(-pointAt)}${digits}`;
  if (pointAt >= digits.length) return digits + '0'.repeat(pointAt - digits.length);
  return `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
}

function parseDecimalText(text: string): bigint {
  if (text.startsWith('-')) throw new AmountParseError(`amount is negative (${quote(text)})`);
  const match = PLAIN_DECIMAL.exec(text);
  if (!match) throw new AmountParseError(`amount is not a decimal number (${quote(text)})`);
  const [, intPart = '0', rawFraction = ''] = match;
  const fraction = rawFraction.replace(/0+$/, '');
  if (fraction.length > MRP_PER_RUPIAH_DIGITS) {
    throw new AmountParseError(`amount has more than 3 decimals (${quote(text)})`);
  }
  return BigInt(intPart) * 1000n + BigInt(fraction.padEnd(MRP_PER_RUPIAH_DIGITS, '0'));
}

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value;
}
