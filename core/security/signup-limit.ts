import { isIPv4, isIPv6 } from 'node:net';
import { CoreError } from '../errors.js';
import type { RateLimiter } from '../ratelimit/index.js';
import { ipv6Bytes } from './public-address.js';

export interface SignupLimits {
  /** Sign-ups per client address per hour. */
  perAddress: number;
  /** Sign-ups per network (IPv4 /24, IPv6 /48) per hour: one actor rarely holds more than one. */
  perNetwork: number;
}

export const DEFAULT_SIGNUP_LIMITS: SignupLimits = { perAddress: 10, perNetwork: 30 };
const HOUR_MS = 3_600_000;

/** The network an address belongs to for limits: IPv4 /24, IPv6 /48 (IPv4-mapped IPv6 as IPv4). */
export function networkOf(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const v4 = mapped ?? (isIPv4(address) ? address : undefined);
  if (v4) return `${v4.split('.').slice(0, 3).join('.')}.0/24`;
  if (isIPv6(address)) {
    const bytes = ipv6Bytes(address.split('%')[0] ?? address);
    const groups = [0, 2, 4].map((i) => ((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
    return `${groups.join(':')}::/48`;
  }
  return address;
}

/**
 * Bounds account creation per address and per network, before any work (hashing, mail) is done: a
 * script cannot mint hundreds of accounts to hoard shared resources such as top-up amounts. Without
 * a limiter (a single process in development) nothing is limited.
 */
export function createSignupLimit(
  limiter: RateLimiter | undefined,
  limits: SignupLimits = DEFAULT_SIGNUP_LIMITS,
) {
  return {
    async admit(address: string): Promise<void> {
      if (!limiter) return;
      const decision = await limiter.consume([
        { key: `signup:addr:${address}`, limit: limits.perAddress, windowMs: HOUR_MS, cost: 1 },
        { key: `signup:net:${networkOf(address)}`, limit: limits.perNetwork, windowMs: HOUR_MS, cost: 1 },
      ]);
      if (!decision.allowed) {
        throw new CoreError(
          'rate_limited',
          'Too many accounts were created from your network. Try again later.',
          {
            retryable: true,
            details: { retry_after_s: Math.max(1, Math.ceil(decision.retryAfterMs / 1000)) },
          },
        );
      }
    },
  };
}

export type SignupLimit = ReturnType<typeof createSignupLimit>;
