/**
 * The rate limiter port. The shell implements it atomically (Redis + Lua); the domain decides which
 * counters a request touches. Counters are sliding windows: the previous window's count weighs in by
 * the share of it still inside the last `windowMs`.
 */
export interface RateLimitRule {
  /** A counter name, e.g. `rpm:key:<id>`; the implementation adds its own prefix. */
  key: string;
  limit: number;
  windowMs: number;
  /** What this request adds to the counter (1 for a request, its tokens for a token budget). */
  cost: number;
}

export interface RateLimitState {
  key: string;
  limit: number;
  /** After this call (unchanged when refused). */
  remaining: number;
  /** When the counter has room again for this cost (0 when it has room now). */
  retryAfterMs: number;
  /** Until the current window ends. */
  resetMs: number;
}

export interface RateLimitDecision {
  /** All rules had room; only then were any of them charged (all or nothing). */
  allowed: boolean;
  states: RateLimitState[];
  /** The longest wait among the refusing rules (0 when allowed). */
  retryAfterMs: number;
}

export interface RateLimiter {
  /** Checks every rule and, only if all have room, adds each rule's cost. Atomic across rules. */
  consume(rules: RateLimitRule[]): Promise<RateLimitDecision>;
  /** Adds to counters unconditionally (tokens learned after the fact). */
  add(rules: Array<Omit<RateLimitRule, 'limit'>>): Promise<void>;
}
