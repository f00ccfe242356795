import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * RFC 6238 TOTP for admin sign-in: HMAC-SHA1, 6 digits, 30-second steps, base32 secrets, which is
 * what every authenticator app understands from an otpauth:// URI. The caller stores the step
 * returned by a successful `verifyTotp` and passes it back as `lastUsedStep`, so one code is never
 * accepted twice (RFC 6238 section 5.2).
 */

export const TOTP_STEP_MS = 30_000;
export const TOTP_DIGITS = 6;
const SECRET_BYTES = 20;
const MIN_SECRET_BYTES = 16;
const ALLOWED_DRIFT_STEPS = 1;

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE32_VALUES = new Map([...BASE32_ALPHABET].map((char, value) => [char, value]));
/** Input lengths mod 8 that no whole number of bytes produces (RFC 4648 section 6). */
const IMPOSSIBLE_TAILS = new Set([1, 3, 6]);

export class Base32Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Base32Error';
  }
}

/** RFC 4648 base32, upper case, without `=` padding (as otpauth:// URIs carry it). */
export function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32_ALPHABET[(buffer >> bits) & 31];
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Decodes RFC 4648 base32; case-insensitive, ignores spaces and hyphens (people type secrets in
 * groups) and trailing `=` padding. Throws Base32Error on any other character or an impossible length.
 */
export function decodeBase32(text: string): Buffer {
  const clean = text.replace(/[\s-]/g, '').toUpperCase().replace(/=+$/, '');
  if (IMPOSSIBLE_TAILS.has(clean.length % 8)) throw new Base32Error('base32 text has an impossible length');
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    const value = BASE32_VALUES.get(char);
    if (value === undefined) throw new Base32Error('base32 text has a character outside the alphabet');
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

/** A new random secret (160 bits, the size RFC 4226 recommends), base32 encoded. */
export function generateTotpSecret(): string {
  return encodeBase32(randomBytes(SECRET_BYTES));
}

/** The otpauth:// URI an authenticator app scans (Key Uri Format). */
export function totpUri(secret: string, account: string, issuer: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const params = new URLSearchParams({
    secret: secret.replace(/[\s=-]/g, '').toUpperCase(),
    issuer,
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    period: String(TOTP_STEP_MS / 1000),
  });
  return `otpauth://totp/${label}?${params.toString().replace(/\+/g, '%20')}`;
}

/** The time step a moment falls in. */
export function totpStep(nowMs: number): number {
  return Math.floor(nowMs / TOTP_STEP_MS);
}

/** RFC 4226 HOTP value for a counter, zero-padded to `digits`. */
export function hotp(key: Uint8Array, counter: number, digits: number = TOTP_DIGITS): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The code for a base32 secret at a moment (for enrollment checks and tests). */
export function totpAt(secret: string, nowMs: number, digits: number = TOTP_DIGITS): string {
  return hotp(decodeBase32(secret), totpStep(nowMs), digits);
}

export type TotpFailure = 'malformed_code' | 'invalid_secret' | 'mismatch' | 'replayed';
export type TotpResult = { ok: true; step: number } | { ok: false; reason: TotpFailure };

/**
 * Checks a 6-digit code at `nowMs`, allowing one step of clock drift either way. A step at or
 * below `lastUsedStep` is refused as `replayed`; on success store the returned `step`.
 */
export function verifyTotp(
  secret: string,
  code: string,
  nowMs: number,
  lastUsedStep?: number | null,
): TotpResult {
  const candidate = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(candidate)) return { ok: false, reason: 'malformed_code' };
  let key: Buffer;
  try {
    key = decodeBase32(secret);
  } catch {
    return { ok: false, reason: 'invalid_secret' };
  }
  if (key.length < MIN_SECRET_BYTES) return { ok: false, reason: 'invalid_secret' };

  const given = Buffer.from(candidate);
  const current = totpStep(nowMs);
  const matching: number[] = [];
  // Every window step is computed and compared, match or not, so timing does not reveal which matched.
  for (let step = current - ALLOWED_DRIFT_STEPS; step <= current + ALLOWED_DRIFT_STEPS; step += 1) {
    if (step < 0) continue;
    if (timingSafeEqual(Buffer.from(hotp(key, step)), given)) matching.push(step);
  }
  if (matching.length === 0) return { ok: false, reason: 'mismatch' };
  const fresh = matching.filter((step) => lastUsedStep == null || step > lastUsedStep);
  const newest = fresh.at(-1);
  return newest === undefined ? { ok: false, reason: 'replayed' } : { ok: true, step: newest };
}
