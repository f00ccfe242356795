import { randomInt } from 'node:crypto';

/**
 * Top-up transfer codes such as `AIP-7KQ2M`. A user writes the code in the bank transfer's note;
 * the code found in a bank mutation's description/note ties the money to the top-up request.
 *
 * The alphabet leaves out 0/O, 1/I/L (misread when typed from a phone screen) and U (keeps
 * accidental words out); 30 symbols ^ 5 = 24.3 million codes. Uniqueness among open requests is the
 * caller's job (a UNIQUE index and a retry on conflict).
 */
export const TRANSFER_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
export const TRANSFER_CODE_PREFIX = 'AIP';
export const TRANSFER_CODE_LENGTH = 5;

const IN_ALPHABET = new Set(TRANSFER_CODE_ALPHABET);
/** Characters a bank or a user may put between the prefix and the code. */
const PREFIX_SEPARATORS = new Set(['-', '_', '.', ':', '#', '/', ' ', '\t', '\n', '\r']);
const MAX_PREFIX_SEPARATORS = 3;
const WHITESPACE = /\s/;

/** A fresh code `AIP-XXXXX` from the crypto RNG (`randomIndex` is injectable for tests only). */
export function generateTransferCode(randomIndex: (max: number) => number = randomInt): string {
  let body = '';
  for (let i = 0; i < TRANSFER_CODE_LENGTH; i += 1) {
    const symbol = TRANSFER_CODE_ALPHABET[randomIndex(TRANSFER_CODE_ALPHABET.length)];
    if (symbol === undefined) throw new Error('random index out of range');
    body += symbol;
  }
  return `${TRANSFER_CODE_PREFIX}-${body}`;
}

/**
 * The canonical `AIP-XXXXX` form of what a user typed ("aip-7kq2m", "AIP 7KQ2M", "7kq2m"), or null
 * when it is not a well-formed code.
 */
export function normalizeCode(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s\-_.:#/]/g, '');
  const body = compact.startsWith(TRANSFER_CODE_PREFIX)
    ? compact.slice(TRANSFER_CODE_PREFIX.length)
    : compact;
  if (body.length !== TRANSFER_CODE_LENGTH || ![...body].every((c) => IN_ALPHABET.has(c))) return null;
  return `${TRANSFER_CODE_PREFIX}-${body}`;
}

/** The first code in a transfer description or note, canonical, or null. */
export function findCodeInText(text: string): string | null {
  return findCodesInText(text)[0] ?? null;
}

/**
 * Every code-shaped candidate in the text, canonical, in order of appearance, without duplicates.
 * Tolerates what banks do to notes: upper-casing, dropping the dash, inserting spaces or line
 * breaks, and gluing neighbouring words on. Every occurrence of the prefix is tried, so noise that
 * happens to precede the real code cannot hide it; callers match candidates against open requests.
 */
export function findCodesInText(text: string): string[] {
  const upper = text.toUpperCase();
  const found: string[] = [];
  for (
    let at = upper.indexOf(TRANSFER_CODE_PREFIX);
    at !== -1;
    at = upper.indexOf(TRANSFER_CODE_PREFIX, at + 1)
  ) {
    const body = readCodeBody(upper, at + TRANSFER_CODE_PREFIX.length);
    if (body === null) continue;
    const code = `${TRANSFER_CODE_PREFIX}-${body}`;
    if (!found.includes(code)) found.push(code);
  }
  return found;
}

function readCodeBody(upper: string, start: number): string | null {
  let at = start;
  for (
    let skipped = 0;
    skipped < MAX_PREFIX_SEPARATORS && PREFIX_SEPARATORS.has(upper[at] ?? '');
    skipped += 1
  ) {
    at += 1;
  }
  let body = '';
  while (body.length < TRANSFER_CODE_LENGTH) {
    const char = upper[at];
    if (char === undefined) return null;
    if (IN_ALPHABET.has(char)) {
      body += char;
      at += 1;
    } else if (body.length > 0 && WHITESPACE.test(char) && IN_ALPHABET.has(upper[at + 1] ?? '')) {
      at += 1;
    } else {
      return null;
    }
  }
  return body;
}
