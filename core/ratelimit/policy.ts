import type { Database } from '../../db/index.js';
import type { AccountLimits } from '../../db/schema/accounts.js';
import { CoreError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { RateLimitDecision, RateLimiter, RateLimitRule, RateLimitState } from './port.js';

/**
 * Who is limited and how much: requests/min and tokens/min per account (its `accounts.limits`
 * overrides or the configured defaults), and the same per API key (or the key's own, lower limits),
 * plus any extra subjects a caller
 * names (a bot's identity or chat). Tokens are charged twice: the input estimate before the request
 * (so a full budget refuses up front), then what the upstream really used beyond it.
 */
export interface RateLimitDefaults {
  requestsPerMinute: number;
  tokensPerMinute: number;
}

export interface RateLimitSubject {
  accountId: string;
  keyId?: string;
  /** Extra counters with the account's limits, e.g. `telegram:123` or `slack:T1:C2`. */
  extra?: string[];
}

export interface RateLimitGrant {
  decision: RateLimitDecision;
  /** The token counters charged, so `settle` can add the rest. */
  tokenRules: Array<Omit<RateLimitRule, 'limit'>>;
  estimatedTokens: number;
}

const MINUTE_MS = 60_000;
/** Account limits are read from Postgres at most this often per account. */
const LIMITS_CACHE_MS = 30_000;

export function createRateLimits(
  limiter: RateLimiter,
  db: Database,
  clock: Clock,
  defaults: RateLimitDefaults,
) {
  const cache = new Map<string, { limits: RateLimitDefaults; at: number }>();
  const keyCache = new Map<string, { limits: Partial<RateLimitDefaults>; at: number }>();

  /** A key's own limits (null columns: none), read at most every LIMITS_CACHE_MS like the account's. */
  async function keyLimitsOf(keyId: string): Promise<Partial<RateLimitDefaults>> {
    const now = clock.now().getTime();
    const hit = keyCache.get(keyId);
    if (hit && now - hit.at < LIMITS_CACHE_MS) return hit.limits;
    const [row] = await db.sql<{ requests_per_minute: number | null; tokens_per_minute: number | null }[]>`
      SELECT requests_per_minute, tokens_per_minute FROM api_keys WHERE id = ${keyId}`;
    const rpm = positive(row?.requests_per_minute);
    const tpm = positive(row?.tokens_per_minute);
    const limits = { ...(rpm ? { requestsPerMinute: rpm } : {}), ...(tpm ? { tokensPerMinute: tpm } : {}) };
    if (keyCache.size > 10_000) keyCache.clear();
    keyCache.set(keyId, { limits, at: now });
    return limits;
  }

  async function limitsOf(accountId: string): Promise<RateLimitDefaults> {
    const now = clock.now().getTime();
    const hit = cache.get(accountId);
    if (hit && now - hit.at < LIMITS_CACHE_MS) return hit.limits;
    const [row] = await db.sql<{ limits: AccountLimits | null }[]>`
      SELECT limits FROM accounts WHERE id = ${accountId}`;
    const own = row?.limits ?? {};
    const limits = {
      requestsPerMinute: positive(own.requestsPerMinute) ?? defaults.requestsPerMinute,
      tokensPerMinute: positive(own.tokensPerMinute) ?? defaults.tokensPerMinute,
    };
    if (cache.size > 10_000) cache.clear();
    cache.set(accountId, { limits, at: now });
    return limits;
  }

  /** Each counter with its limits: the account's, except a key's own where they are lower. */
  async function subjects(
    subject: RateLimitSubject,
    account: RateLimitDefaults,
  ): Promise<Array<{ name: string; limits: RateLimitDefaults }>> {
    const named = (name: string) => ({ name, limits: account });
    const out = [named(`acct:${subject.accountId}`)];
    if (subject.keyId) {
      const own = await keyLimitsOf(subject.keyId);
      out.push({
        name: `key:${subject.keyId}`,
        limits: {
          requestsPerMinute: Math.min(own.requestsPerMinute ?? Infinity, account.requestsPerMinute),
          tokensPerMinute: Math.min(own.tokensPerMinute ?? Infinity, account.tokensPerMinute),
        },
      });
    }
    for (const extra of subject.extra ?? []) out.push(named(`ext:${extra}`));
    return out;
  }

  return {
    limitsOf,

    /**
     * Takes one request and the input estimate from every counter of the subject, or throws
     * `rate_limited` with `retry_after_s` and the counters' states in `details`.
     */
    async acquire(subject: RateLimitSubject, estimatedTokens: number): Promise<RateLimitGrant> {
      const account = await limitsOf(subject.accountId);
      const counters = await subjects(subject, account);
      const tokens = Math.max(0, Math.ceil(estimatedTokens));
      const rules: RateLimitRule[] = [];
      // One script call for all counters: a key's own limits sit in the same atomic check.
      for (const { name, limits } of counters) {
        rules.push({ key: `rpm:${name}`, limit: limits.requestsPerMinute, windowMs: MINUTE_MS, cost: 1 });
        rules.push({ key: `tpm:${name}`, limit: limits.tokensPerMinute, windowMs: MINUTE_MS, cost: tokens });
      }
      const decision = await limiter.consume(rules);
      if (!decision.allowed) {
        const refusing = decision.states.filter((s) => s.retryAfterMs > 0);
        const what = refusing.some((s) => s.key.startsWith('tpm:')) ? 'tokens' : 'requests';
        const tooBig = refusing.some((s) => s.key.startsWith('tpm:') && tokens > s.limit);
        throw new CoreError(
          'rate_limited',
          tooBig
            ? `This request (about ${tokens} tokens) is larger than your limit of ${Math.min(...refusing.filter((r) => r.key.startsWith('tpm:')).map((r) => r.limit))} tokens per minute`
            : `Rate limit reached: too many ${what} per minute. Retry in ${Math.ceil(decision.retryAfterMs / 1000)} s.`,
          {
            retryable: !tooBig,
            details: {
              retry_after_s: Math.max(1, Math.ceil(decision.retryAfterMs / 1000)),
              rate_limit: summarize(decision.states),
            },
          },
        );
      }
      return {
        decision,
        estimatedTokens: tokens,
        tokenRules: rules.filter((r) => r.key.startsWith('tpm:')).map(({ limit: _l, ...rest }) => rest),
      };
    },

    /** Adds the tokens the request used beyond its estimate. Never throws (limits are best effort after the fact). */
    async settle(grant: RateLimitGrant, actualTokens: number): Promise<void> {
      const extra = Math.ceil(actualTokens) - grant.estimatedTokens;
      if (extra <= 0) return;
      await limiter.add(grant.tokenRules.map((r) => ({ ...r, cost: extra }))).catch(() => undefined);
    },
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
}

export interface RateLimitSummary {
  requests?: { limit: number; remaining: number; resetMs: number };
  tokens?: { limit: number; remaining: number; resetMs: number };
}

/** The tightest request and token counters, for `x-ratelimit-*` headers. */
export function summarize(states: RateLimitState[]): RateLimitSummary {
  const pick = (prefix: string) => {
    const matching = states.filter((s) => s.key.startsWith(prefix));
    if (matching.length === 0) return undefined;
    const tightest = matching.reduce((a, b) => (b.remaining < a.remaining ? b : a));
    return {
      limit: tightest.limit,
      remaining: Math.max(0, tightest.remaining),
      resetMs: Math.max(tightest.resetMs, tightest.retryAfterMs),
    };
  };
  const requests = pick('rpm:');
  const tokens = pick('tpm:');
  return { ...(requests ? { requests } : {}), ...(tokens ? { tokens } : {}) };
}
