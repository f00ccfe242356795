export {
  createRateLimits,
  type RateLimitDefaults,
  type RateLimitGrant,
  type RateLimitSubject,
  type RateLimitSummary,
  type RateLimits,
  summarize,
} from './policy.js';
export type { RateLimitDecision, RateLimiter, RateLimitRule, RateLimitState } from './port.js';
