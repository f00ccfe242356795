import type { RateLimitDecision, RateLimiter, RateLimitRule, RateLimitState } from './port.js';

/**
 * A rate limiter that spends most requests from local slices instead of asking the shared one
 * (Redis) every time: a busy counter takes a slice of its limit in advance, charged in the shared
 * counter together with the request that needed it, and spends it in this process until it runs
 * out or expires. The way online charging grants quota to a switch.
 *
 * Contract (the shared limiter's, within these bounds):
 * - Never more than the limit: every slice is charged in the shared counter before any of it is
 *   spent, and a slice is spent only in the window it was charged in (it expires at the window's
 *   end), so the shared counter is never below what was really admitted.
 * - At most `processes x slice` fewer than the limit: a slice another process holds unspent is
 *   counted as used. A slice is `limit / SLICE_DIVISOR` (1/64, about 1.6% of the limit per
 *   process); counters whose slice would be under MIN_SLICE (limits under 640) get none and are
 *   checked in the shared limiter every time, exactly.
 * - While a counter's slice is being taken, requests that need it wait for it (one shared call
 *   serves a burst). A request whose counters can't all be served locally goes to the shared limiter with the
 *   slices it needs added; if that is refused, it is asked again for the request alone, so near
 *   the limit the decision is the shared limiter's, exact, and all or nothing across rules.
 * - A slice lives at most SLICE_TTL_MS: an idle process's unspent slice stops counting against the
 *   limit when its window ends (the counters are per window), and a slice taken at a low rate
 *   does not outlast a change of the limit by long.
 * - `remaining` and `resetMs` of a locally served request are the shared counter's figures when the
 *   slice was taken, less what this process spent since (other processes' use shows at the next
 *   slice): for headers, not for decisions.
 */
export const SLICE_DIVISOR = 64;
export const MIN_SLICE = 10;
export const SLICE_TTL_MS = 2_000;
const MAX_COUNTERS = 10_000;

interface Slice {
  /** Charged in the shared counter, not yet spent here. */
  left: number;
  /** When it stops being spendable (monotonic ms). */
  expiresAt: number;
  /** The shared counter's remaining (slice already counted as used) and reset when taken. */
  remaining: number;
  resetAt: number;
  limit: number;
}

export function sliceOf(limit: number): number {
  const slice = Math.floor(limit / SLICE_DIVISOR);
  return slice >= MIN_SLICE ? slice : 0;
}

export function createSlicedRateLimiter(
  shared: RateLimiter,
  options: { now?: () => number } = {},
): RateLimiter & { counts(): { local: number; shared: number } } {
  const now = options.now ?? (() => performance.now());
  const slices = new Map<string, Slice>();
  const counts = { local: 0, shared: 0 };
  /** Slices being taken, by counter: requests that find none wait for these rather than each asking. */
  const pending = new Map<string, Promise<void>>();

  /** A live slice of a counter with the same limit and window (a changed limit starts afresh). */
  function live(rule: RateLimitRule, at: number): Slice | undefined {
    const slice = slices.get(sliceKey(rule));
    if (!slice) return undefined;
    if (slice.expiresAt <= at || slice.limit !== rule.limit) {
      slices.delete(sliceKey(rule));
      return undefined;
    }
    return slice;
  }

  function servedLocally(rules: RateLimitRule[], at: number): RateLimitDecision | undefined {
    const found: Slice[] = [];
    for (const rule of rules) {
      const slice = live(rule, at);
      if (!slice || slice.left < Math.max(0, Math.ceil(rule.cost))) return undefined;
      found.push(slice);
    }
    const states: RateLimitState[] = rules.map((rule, i) => {
      const slice = found[i]!;
      slice.left -= Math.max(0, Math.ceil(rule.cost));
      return {
        key: rule.key,
        limit: rule.limit,
        remaining: slice.remaining + slice.left,
        retryAfterMs: 0,
        resetMs: Math.max(0, Math.round(slice.resetAt - at)),
      };
    });
    return { allowed: true, states, retryAfterMs: 0 };
  }

  return {
    counts: () => ({ ...counts }),

    async consume(rules) {
      let at = now();
      for (;;) {
        const local = servedLocally(rules, at);
        if (local) {
          counts.local += 1;
          return local;
        }
        // A slice on its way serves the requests that arrived meanwhile: wait for it, then look again.
        const coming = rules.flatMap((rule) => pending.get(sliceKey(rule)) ?? []);
        if (coming.length === 0) break;
        await Promise.all(coming);
        at = now();
      }
      counts.shared += 1;
      // Each counter that has a slice size and too little left takes a fresh slice with this request.
      const extra = rules.map((rule) => ((live(rule, at)?.left ?? 0) >= rule.cost ? 0 : sliceOf(rule.limit)));
      if (extra.every((e) => e === 0)) return shared.consume(rules);
      const asking = shared.consume(rules.map((rule, i) => ({ ...rule, cost: rule.cost + extra[i]! })));
      const keys = rules.flatMap((rule, i) => (extra[i] === 0 ? [] : [sliceKey(rule)]));
      const done = asking.then(
        () => undefined,
        () => undefined,
      );
      for (const key of keys) pending.set(key, done);
      let withSlices: RateLimitDecision;
      try {
        withSlices = await asking;
      } finally {
        for (const key of keys) if (pending.get(key) === done) pending.delete(key);
      }
      if (!withSlices.allowed) return shared.consume(rules);
      if (slices.size >= MAX_COUNTERS) slices.clear();
      rules.forEach((rule, i) => {
        if (extra[i] === 0) return;
        const state = withSlices.states[i]!;
        // What is left of an older slice of the same window was charged too: it is added.
        // The window's end is reckoned from before the call, so a slice can only expire early.
        slices.set(sliceKey(rule), {
          left: extra[i]! + (live(rule, at)?.left ?? 0),
          expiresAt: at + Math.min(SLICE_TTL_MS, state.resetMs),
          remaining: state.remaining,
          resetAt: at + state.resetMs,
          limit: rule.limit,
        });
      });
      return {
        allowed: true,
        retryAfterMs: 0,
        states: withSlices.states.map((state, i) => ({
          ...state,
          remaining: state.remaining + (extra[i] === 0 ? 0 : slices.get(sliceKey(rules[i]!))!.left),
        })),
      };
    },

    /** Tokens learned after the fact: from a live slice when it covers them, else charged in the shared counter. */
    async add(rules) {
      const at = now();
      const rest = rules.filter((rule) => {
        const slice = slices.get(sliceKey(rule));
        const cost = Math.max(0, Math.ceil(rule.cost));
        if (!slice || slice.expiresAt <= at || slice.left < cost) return true;
        slice.left -= cost;
        return false;
      });
      if (rest.length > 0) await shared.add(rest);
    },
  };
}

function sliceKey(rule: { key: string; windowMs: number }): string {
  return `${rule.key}|${rule.windowMs}`;
}
