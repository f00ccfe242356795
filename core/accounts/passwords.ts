import { hash, verify } from '@node-rs/argon2';
import { CoreError } from '../errors.js';

/** Argon2id with the OWASP minimum: 19 MiB memory, 2 iterations, 1 lane. */
const ARGON2ID = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 10;
/** Password errors name the field, so forms show them next to it. */
/** The field the rule concerns, and a code a client can show in its own language (`error.code`). */
const passwordField = (wireCode: string) => ({ details: { param: 'password', wire_code: wireCode } });
const PASSWORD_MAX_LENGTH = 256;

/** Refuses passwords people are likely to lose to guessing; the rules are stated in the message. */
export function assertStrongPassword(password: string, email?: string | null): void {
  if (password.length < PASSWORD_MIN_LENGTH) {
    throw new CoreError(
      'invalid_request',
      `Password must be at least ${PASSWORD_MIN_LENGTH} characters`,
      passwordField('password_too_short'),
    );
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    throw new CoreError(
      'invalid_request',
      `Password must be at most ${PASSWORD_MAX_LENGTH} characters`,
      passwordField('password_too_long'),
    );
  }
  if (new Set(password).size < 5) {
    throw new CoreError(
      'invalid_request',
      'Password is too simple: use more different characters',
      passwordField('password_too_simple'),
    );
  }
  const local = email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && password.toLowerCase().includes(local)) {
    throw new CoreError(
      'invalid_request',
      'Password must not contain your email name',
      passwordField('password_contains_email'),
    );
  }
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A valid hash of no password, so unknown emails take as long to refuse as wrong passwords. */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hash('decoy password that matches nothing', ARGON2ID);
  return decoyHash;
}
