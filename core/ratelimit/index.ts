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
export {
  createSlicedRateLimiter,
  MIN_SLICE,
  SLICE_DIVISOR,
  SLICE_TTL_MS,
  sliceOf,
} from './sliced-limiter.js';
