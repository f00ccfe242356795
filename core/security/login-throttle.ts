import { createHash, randomBytes } from 'node:crypto';
import { CoreError } from '../errors.js';
import type { Clock } from '../ports/clock.js';

/**
 * Where login attempts live (Redis in production, behind this port so the domain never imports a
 * Redis client). Time comes from the caller's clock; the store's own expiry only clears what no
 * longer matters.
 */
export interface AttemptStore {
  /**
   * Atomically, for every key at once: forgets entries before `sinceMs`, adds `member` at `atMs`,
   * and returns, per key, the times of the entries other than `member`, oldest first. Atomic across
   * keys, so concurrent attempts each see every attempt that was added before them.
   */
  add(keys: string[], member: string, atMs: number, sinceMs: number): Promise<number[][]>;
  /** Removes `member` from every key (an attempt that turned out not to be a failure). */
  remove(keys: string[], member: string): Promise<void>;
  clear(key: string): Promise<void>;
  /** A flag that expires by itself (an address the account signed in from). */
  mark(key: string, ttlMs: number): Promise<void>;
  isMarked(key: string): Promise<boolean>;
}

export interface ThrottleLimits {
  /** Attempts in the window after which each further attempt waits (1 s, 2 s, 4 s, ... up to 60 s). */
  throttleAfter: number;
  /** Attempts in the window after which attempts are refused until the window has passed (0 = never). */
  lockAfter: number;
}

export interface LoginThrottleOptions {
  windowMs?: number;
  /** Per account and client address: the guesser's own budget, locked hard. */
  accountAddress?: ThrottleLimits;
  /** Per client address over all accounts (spraying): higher, since many people share one address. */
  ip?: ThrottleLimits;
  /**
   * Per account over all addresses (a guesser with many addresses): slows down but never locks,
   * and addresses the account signed in from before are exempt, so nobody can lock its owner out.
   */
  account?: ThrottleLimits;
  /** How long an address the account signed in from stays exempt from the account-wide limit. */
  knownAddressMs?: number;
}

const DEFAULTS = {
  windowMs: 15 * 60_000,
  accountAddress: { throttleAfter: 5, lockAfter: 10 },
  ip: { throttleAfter: 20, lockAfter: 50 },
  account: { throttleAfter: 10, lockAfter: 0 },
  knownAddressMs: 30 * 24 * 3_600_000,
} satisfies Required<LoginThrottleOptions>;

const MAX_DELAY_MS = 60_000;

/** `scope` separates user and admin logins, so one never locks the other. */
export interface LoginAttempt {
  scope: 'user' | 'admin';
  /** The email tried; trimmed, lower-cased and hashed here (no address is stored in clear). */
  identifier: string;
  ip: string;
}

/** An attempt admitted to the password check; report its outcome with `failed`, `succeeded` or `void`. */
export interface AttemptTicket {
  readonly keys: { accountAddress: string; ip: string; account: string; known: string };
  readonly member: string;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

/**
 * Login throttling that holds under concurrency: an attempt is counted *before* the password is
 * checked (`begin` adds it atomically and sees every attempt added before it), so N concurrent
 * guesses never get past the limit. A correct password removes the attempt again; a wrong one
 * leaves it counted; anything else (a malformed request) is voided.
 *
 * Three budgets, so that throttling cannot be turned against someone else: the pair (account,
 * address) slows and then locks (only the guesser's own address is locked out); the address alone
 * slows and locks (spraying many accounts); the account alone over every address only slows, and
 * addresses the account signed in from before skip that budget entirely.
 */
export function createLoginThrottle(store: AttemptStore, clock: Clock, options: LoginThrottleOptions = {}) {
  const windowMs = options.windowMs ?? DEFAULTS.windowMs;
  const limits = {
    accountAddress: options.accountAddress ?? DEFAULTS.accountAddress,
    ip: options.ip ?? DEFAULTS.ip,
    account: options.account ?? DEFAULTS.account,
  };
  const knownAddressMs = options.knownAddressMs ?? DEFAULTS.knownAddressMs;

  function keysOf(attempt: LoginAttempt): AttemptTicket['keys'] {
    const who = digest(`${attempt.scope}:${attempt.identifier.trim().toLowerCase()}`);
    const where = digest(attempt.ip);
    return {
      accountAddress: `login:${attempt.scope}:pair:${who}:${where}`,
      ip: `login:${attempt.scope}:ip:${where}`,
      account: `login:${attempt.scope}:acct:${who}`,
      known: `login:${attempt.scope}:known:${who}:${where}`,
    };
  }

  /** Milliseconds an attempt must still wait given the attempts before it (0 = may try now). */
  function waitFor(before: number[], l: ThrottleLimits, nowMs: number): number {
    const count = before.length;
    const last = before.at(-1);
    if (last === undefined || count < l.throttleAfter) return 0;
    if (l.lockAfter > 0 && count >= l.lockAfter)
      return Math.max(0, before[count - l.lockAfter]! + windowMs - nowMs);
    const delay = Math.min(1000 * 2 ** (count - l.throttleAfter), MAX_DELAY_MS);
    // Attempts still in flight (at `now`) count fully: a concurrent burst waits like a sequential one.
    return Math.max(0, last + delay - nowMs);
  }

  return {
    /**
     * Counts the attempt, then decides. Throws `rate_limited` (with `retry_after_s`) when it must
     * wait; a refused attempt is not counted, so waiting it out is enough.
     */
    async begin(attempt: LoginAttempt): Promise<AttemptTicket> {
      const now = clock.now().getTime();
      const keys = keysOf(attempt);
      const known = await store.isMarked(keys.known);
      const counted = known ? [keys.accountAddress, keys.ip] : [keys.accountAddress, keys.ip, keys.account];
      const member = `${now}:${randomBytes(6).toString('hex')}`;
      const [pair = [], ip = [], account = []] = await store.add(counted, member, now, now - windowMs);
      const waits = [
        waitFor(pair, limits.accountAddress, now),
        waitFor(ip, limits.ip, now),
        known ? 0 : waitFor(account, limits.account, now),
      ];
      const wait = Math.max(...waits);
      if (wait > 0) {
        await store.remove(counted, member);
        const locked =
          (limits.accountAddress.lockAfter > 0 && pair.length >= limits.accountAddress.lockAfter) ||
          (limits.ip.lockAfter > 0 && ip.length >= limits.ip.lockAfter);
        throw new CoreError(
          'rate_limited',
          locked
            ? 'Too many failed sign-in attempts from this address: sign-in is locked for a while. Try again later.'
            : 'Too many failed sign-in attempts: wait a moment before trying again.',
          { details: { retry_after_s: Math.ceil(wait / 1000) }, retryable: true },
        );
      }
      return { keys, member };
    },

    /** A wrong password: the attempt stays counted. */
    async failed(_ticket: AttemptTicket): Promise<void> {},

    /**
     * A correct password: the attempt is removed, the pair's failures are forgotten (not the
     * address's: one good account must not launder an address) and the address becomes known.
     */
    async succeeded(ticket: AttemptTicket): Promise<void> {
      const { keys, member } = ticket;
      await store.remove([keys.ip, keys.account], member);
      await store.clear(keys.accountAddress);
      await store.mark(keys.known, knownAddressMs);
    },

    /** Neither right nor wrong (a malformed request, our own error): not counted. */
    async void(ticket: AttemptTicket): Promise<void> {
      const { keys, member } = ticket;
      await store.remove([keys.accountAddress, keys.ip, keys.account], member);
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

/** A store in process memory: for a single process without Redis (development), never for production. */
export function memoryAttemptStore(): AttemptStore {
  const map = new Map<string, { at: number; member: string }[]>();
  const marks = new Map<string, number>();
  return {
    async add(keys, member, atMs, sinceMs) {
      return keys.map((key) => {
        const kept = (map.get(key) ?? []).filter((e) => e.at >= sinceMs);
        const before = kept.map((e) => e.at);
        kept.push({ at: atMs, member });
        map.set(key, kept);
        return before;
      });
    },
    async remove(keys, member) {
      for (const key of keys)
        map.set(
          key,
          (map.get(key) ?? []).filter((e) => e.member !== member),
        );
    },
    async clear(key) {
      map.delete(key);
    },
    async mark(key, ttlMs) {
      marks.set(key, Date.now() + ttlMs);
    },
    async isMarked(key) {
      return (marks.get(key) ?? 0) > Date.now();
    },
  };
}
