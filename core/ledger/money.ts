import { CoreError } from '../errors.js';

/** Milli-rupiah per rupiah. All money is integer milli-rupiah (bigint); rupiah appear only at the edges. */
export const MRP_PER_IDR = 1000n;

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * Converts rupiah given as decimal text or a JSON number to exact milli-rupiah. Numbers go through
 * their shortest decimal representation (what JSON carried), never through float multiplication.
 * More than three decimals cannot be represented and is refused rather than rounded.
 */
export function idrToMrp(value: string | number | bigint): bigint {
  if (typeof value === 'bigint') return value * MRP_PER_IDR;
  let text = typeof value === 'number' ? numberToPlainDecimal(value) : value.trim();
  text = text.replace(/^\+/, '');
  const match = DECIMAL.exec(text);
  if (!match) throw new CoreError('invalid_request', `Not a rupiah amount: ${JSON.stringify(String(value))}`);
  const [, sign, whole, rawFraction = ''] = match;
  const fraction = rawFraction.replace(/0+$/, '');
  if (fraction.length > 3) {
    throw new CoreError('invalid_request', `Rupiah amounts have at most three decimals: ${text}`);
  }
  const mrp = BigInt(whole!) * MRP_PER_IDR + BigInt(fraction.padEnd(3, '0'));
  return sign ? -mrp : mrp;
}

function numberToPlainDecimal(value: number): string {
  if (!Number.isFinite(value)) throw new CoreError('invalid_request', 'Rupiah amount is not a finite number');
  const text = String(value);
  if (!/e/i.test(text)) return text;
  // Exponent form (1e21, 1e-7): expand exactly from the digits and the exponent.
  const [mantissa, exponentText] = text.toLowerCase().split('e') as [string, string];
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const [intPart, fracPart = ''] = mantissa.replace('-', '').split('.') as [string, string?];
  const digits = intPart + fracPart;
  const point = intPart.length + exponent;
  const plain =
    point <= 0
      ? `0.${'0'.repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + '0'.repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (negative ? '-' : '') + plain;
}

/**
 * Milli-rupiah as a JSON number of rupiah with up to three decimals (`*_idr` fields on the API).
 * Exact for every amount below 2^53 mRp (about Rp 9 trillion).
 */
export function mrpToIdrNumber(mrp: bigint): number {
  return Number(mrp) / 1000;
}

/** Exact decimal text of an amount in rupiah: `125000`, `0.237`, `-12.5`. */
export function mrpToIdrString(mrp: bigint): string {
  const negative = mrp < 0n;
  const abs = negative ? -mrp : mrp;
  const whole = abs / MRP_PER_IDR;
  const fraction = (abs % MRP_PER_IDR).toString().padStart(3, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** Indonesian style for people: `Rp 125.000`, `Rp 0,237`, `-Rp 1.500`. */
export function formatIdr(mrp: bigint): string {
  const negative = mrp < 0n;
  const abs = negative ? -mrp : mrp;
  const whole = (abs / MRP_PER_IDR).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const fraction = (abs % MRP_PER_IDR).toString().padStart(3, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}Rp ${whole}${fraction ? `,${fraction}` : ''}`;
}
