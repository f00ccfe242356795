import { createHash } from 'node:crypto';
import { normalizeEmail } from '../accounts/index.js';
import { CoreError } from '../errors.js';
import type { RateLimiter } from '../ratelimit/index.js';
import { networkOf } from './signup-limit.js';

export interface ResetLimits {
  /** Reset requests per client address per hour. */
  perAddress: number;
  /** Per network (IPv4 /24, IPv6 /48) per hour. */
  perNetwork: number;
  /** Per email address per hour, from anywhere: nobody's inbox is flooded with our mail. */
  perEmail: number;
}

export const DEFAULT_RESET_LIMITS: ResetLimits = { perAddress: 10, perNetwork: 30, perEmail: 3 };
const HOUR_MS = 3_600_000;

/**
 * Bounds password-reset requests before any lookup or mail is done. The email counts whether or
 * not an account has it (its key is a hash of the address as typed, normalized), so the answer,
 * allowed or limited, says nothing about who is registered. Without a limiter nothing is limited.
 */
export function createResetLimit(
  limiter: RateLimiter | undefined,
  limits: ResetLimits = DEFAULT_RESET_LIMITS,
) {
  return {
    async admit(address: string, email: string): Promise<void> {
      if (!limiter) return;
      let normalized: string;
      try {
        normalized = normalizeEmail(email);
      } catch {
        normalized = email.trim().toLowerCase();
      }
      const emailKey = createHash('sha256').update(normalized).digest('hex').slice(0, 32);
      const decision = await limiter.consume([
        { key: `reset:addr:${address}`, limit: limits.perAddress, windowMs: HOUR_MS, cost: 1 },
        { key: `reset:net:${networkOf(address)}`, limit: limits.perNetwork, windowMs: HOUR_MS, cost: 1 },
        { key: `reset:email:${emailKey}`, limit: limits.perEmail, windowMs: HOUR_MS, cost: 1 },
      ]);
      if (!decision.allowed) {
        throw new CoreError('rate_limited', 'Too many password reset requests. Try again later.', {
          retryable: true,
          details: { retry_after_s: Math.max(1, Math.ceil(decision.retryAfterMs / 1000)) },
        });
      }
    },
  };
}

export type ResetLimit = ReturnType<typeof createResetLimit>;
