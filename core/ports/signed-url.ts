import { createHmac, timingSafeEqual } from 'node:crypto';
import { CoreError } from '../errors.js';
import { assertStorageKey } from './storage.js';

/**
 * Expiring signed links to stored files, served by our own API (`GET {base}/{key}?exp=..&sig=..`).
 * The signature is HMAC-SHA256 over the key and the expiry, so neither can be changed without the
 * secret. Pure: the caller passes the clock.
 */

const MIN_SECRET_BYTES = 16;

export interface SignedParams {
  /** Expiry, unix seconds. */
  exp: number;
  /** base64url HMAC-SHA256. */
  sig: string;
}

export type SignedUrlCheck = 'ok' | 'expired' | 'invalid';

function checkSecret(secret: string | Uint8Array): void {
  const length = typeof secret === 'string' ? Buffer.byteLength(secret) : secret.byteLength;
  if (length < MIN_SECRET_BYTES) {
    throw new CoreError('internal', 'Signed-URL secret is too short.');
  }
}

function mac(secret: string | Uint8Array, key: string, exp: number): Buffer {
  return createHmac('sha256', secret).update(`${key}\n${exp}`).digest();
}

export function signStorageKey(
  secret: string | Uint8Array,
  key: string,
  expiresAtSeconds: number,
): SignedParams {
  checkSecret(secret);
  assertStorageKey(key);
  if (!Number.isSafeInteger(expiresAtSeconds) || expiresAtSeconds <= 0) {
    throw new CoreError('internal', 'Signed-URL expiry must be a positive integer of unix seconds.');
  }
  return { exp: expiresAtSeconds, sig: mac(secret, key, expiresAtSeconds).toString('base64url') };
}

/** `exp=..&sig=..` for appending to a URL. */
export function signedQuery(secret: string | Uint8Array, key: string, expiresAtSeconds: number): string {
  const { exp, sig } = signStorageKey(secret, key, expiresAtSeconds);
  return `exp=${exp}&sig=${sig}`;
}

/** `{baseUrl}/{key}?exp=..&sig=..`; key segments are already URL-safe (see `assertStorageKey`). */
export function signedUrl(
  baseUrl: string,
  secret: string | Uint8Array,
  key: string,
  expiresAtSeconds: number,
): string {
  return `${baseUrl.replace(/\/+$/, '')}/${key}?${signedQuery(secret, key, expiresAtSeconds)}`;
}

/**
 * Checks the query values of a signed link in constant time. Returns 'invalid' for anything
 * malformed or forged and 'expired' only for a genuine signature whose time has passed, so a
 * caller may say "link expired" without helping a forger.
 */
export function verifySignedKey(
  secret: string | Uint8Array,
  key: string,
  exp: string | undefined,
  sig: string | undefined,
  nowSeconds: number,
): SignedUrlCheck {
  checkSecret(secret);
  if (exp === undefined || sig === undefined || !/^[1-9][0-9]{0,15}$/.test(exp)) return 'invalid';
  if (!/^[A-Za-z0-9_-]{43}$/.test(sig)) return 'invalid';
  const expiry = Number(exp);
  if (!Number.isSafeInteger(expiry)) return 'invalid';
  // Compare the canonical text, not decoded bytes: base64url's last character has spare bits.
  const expected = Buffer.from(mac(secret, key, expiry).toString('base64url'));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  return nowSeconds > expiry ? 'expired' : 'ok';
}
