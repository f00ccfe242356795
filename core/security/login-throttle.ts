import { CoreError } from '../errors.js';
import type { Clock } from '../ports/clock.js';

/**
 * Where failed-login timestamps live (Redis in production, behind this port so the domain never
 * imports a Redis client). Time comes from the caller's clock; the store's own expiry only clears
 * what no longer matters.
 */
export interface AttemptStore {
  /** Adds a failure at `atMs`, forgets failures before `sinceMs`, and returns the failures kept. */
  recordFailure(key: string, atMs: number, sinceMs: number): Promise<number[]>;
  /** Failures at or after `sinceMs`, oldest first. */
  failures(key: string, sinceMs: number): Promise<number[]>;
  clear(key: string): Promise<void>;
}

export interface ThrottleLimits {
  /** Failures in the window after which each further attempt waits (1 s, 2 s, 4 s, ... up to 60 s). */
  throttleAfter: number;
  /** Failures in the window after which attempts are refused until the window has passed. */
  lockAfter: number;
}

export interface LoginThrottleOptions {
  windowMs?: number;
  /** Per account (the email tried). */
  account?: ThrottleLimits;
  /** Per client IP: higher, since many people can share one address. */
  ip?: ThrottleLimits;
}

const DEFAULTS = {
  windowMs: 15 * 60_000,
  account: { throttleAfter: 5, lockAfter: 10 },
  ip: { throttleAfter: 20, lockAfter: 50 },
} satisfies Required<LoginThrottleOptions>;

const MAX_DELAY_MS = 60_000;

/** `scope` separates user and admin logins, so one never locks the other. */
export interface LoginAttempt {
  scope: 'user' | 'admin';
  /** The email tried, normalized by the caller or not: it is trimmed and lower-cased here. */
  identifier: string;
  ip: string;
}

/**
 * Repeated failed logins slow down, then lock for a while, per account and per IP. `check` runs
 * before the password is even looked at and throws `rate_limited` (with `retry_after_s`) when the
 * attempt must wait; `failed` and `succeeded` report the outcome.
 */
export function createLoginThrottle(store: AttemptStore, clock: Clock, options: LoginThrottleOptions = {}) {
  const windowMs = options.windowMs ?? DEFAULTS.windowMs;
  const limits = { account: options.account ?? DEFAULTS.account, ip: options.ip ?? DEFAULTS.ip };

  function keys(attempt: LoginAttempt) {
    return {
      account: `login:${attempt.scope}:acct:${attempt.identifier.trim().toLowerCase()}`,
      ip: `login:${attempt.scope}:ip:${attempt.ip}`,
    };
  }

  /** Milliseconds this key must still wait (0 = may try now). */
  function waitFor(failures: number[], l: ThrottleLimits, nowMs: number): number {
    const count = failures.length;
    const last = failures.at(-1);
    if (last === undefined || count < l.throttleAfter) return 0;
    if (count >= l.lockAfter) return Math.max(0, failures[count - l.lockAfter]! + windowMs - nowMs);
    const delay = Math.min(1000 * 2 ** (count - l.throttleAfter), MAX_DELAY_MS);
    return Math.max(0, last + delay - nowMs);
  }

  return {
    async check(attempt: LoginAttempt): Promise<void> {
      const now = clock.now().getTime();
      const k = keys(attempt);
      const [account, ip] = await Promise.all([
        store.failures(k.account, now - windowMs),
        store.failures(k.ip, now - windowMs),
      ]);
      const wait = Math.max(waitFor(account, limits.account, now), waitFor(ip, limits.ip, now));
      if (wait > 0) {
        const locked = account.length >= limits.account.lockAfter || ip.length >= limits.ip.lockAfter;
        throw new CoreError(
          'rate_limited',
          locked
            ? 'Too many failed sign-in attempts: sign-in is locked for a while. Try again later.'
            : 'Too many failed sign-in attempts: wait a moment before trying again.',
          { details: { retry_after_s: Math.ceil(wait / 1000) }, retryable: true },
        );
      }
    },

    async failed(attempt: LoginAttempt): Promise<void> {
      const now = clock.now().getTime();
      const k = keys(attempt);
      await Promise.all([
        store.recordFailure(k.account, now, now - windowMs),
        store.recordFailure(k.ip, now, now - windowMs),
      ]);
    },

    /** A correct login clears the account's failures (not the IP's: one good account must not launder an IP). */
    async succeeded(attempt: LoginAttempt): Promise<void> {
      await store.clear(keys(attempt).account);
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

/** A store in process memory: for a single process without Redis (development), never for production. */
export function memoryAttemptStore(): AttemptStore {
  const map = new Map<string, number[]>();
  return {
    async recordFailure(key, atMs, sinceMs) {
      const kept = (map.get(key) ?? []).filter((t) => t >= sinceMs);
      kept.push(atMs);
      map.set(key, kept);
      return kept;
    },
    async failures(key, sinceMs) {
      return (map.get(key) ?? []).filter((t) => t >= sinceMs);
    },
    async clear(key) {
      map.delete(key);
    },
  };
}
