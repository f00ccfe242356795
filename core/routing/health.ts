import type { CatalogRoute } from '../catalog/index.js';
import type { Clock } from '../ports/clock.js';

/**
 * Per-route health (a route is one provider + upstream model): EWMA of time to first byte and of the
 * error rate, and a circuit breaker. The breaker opens after `failureThreshold` consecutive failures;
 * after `cooldownMs` one request is let through as a half-open probe: success closes it, failure
 * re-opens it for another cool-down. Only upstream faults count as failures (never a client's bad
 * request, a safety refusal or the caller's own abort). In-process state: each API process learns on
 * its own, which is what a breaker wants (it reacts to what this process sees).
 */
export interface RouteHealthOptions {
  failureThreshold?: number;
  cooldownMs?: number;
  /** Weight of the newest sample in the moving averages. */
  alpha?: number;
  /** An error rate above this makes a closed route "degraded": tried after healthy ones. */
  degradedErrorRate?: number;
  /**
   * The error rate halves every this many ms without news, so a route that failed for a while is
   * not starved forever once healthier routes take all its traffic.
   */
  errorHalfLifeMs?: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface RouteHealthSnapshot {
  provider: string;
  model: string;
  state: BreakerState;
  ewmaLatencyMs: number | null;
  errorRate: number;
  consecutiveFailures: number;
  successes: number;
  failures: number;
  openedAt: string | null;
  lastError: string | null;
}

interface Entry {
  provider: string;
  model: string;
  state: BreakerState;
  ewmaLatencyMs: number | null;
  errorRate: number;
  /** When `errorRate` was last brought up to date. */
  errorRateAt: number;
  consecutiveFailures: number;
  successes: number;
  failures: number;
  openedAt: number | null;
  probing: boolean;
  lastError: string | null;
}

export function routeKey(route: Pick<CatalogRoute, 'provider' | 'model'>): string {
  return `${route.provider}:${route.model ?? ''}`;
}

export function createRouteHealth(clock: Clock, options: RouteHealthOptions = {}) {
  const threshold = options.failureThreshold ?? 5;
  const cooldownMs = options.cooldownMs ?? 30_000;
  const alpha = options.alpha ?? 0.2;
  const degraded = options.degradedErrorRate ?? 0.5;
  const halfLifeMs = options.errorHalfLifeMs ?? 60_000;
  const entries = new Map<string, Entry>();

  function entry(route: CatalogRoute): Entry {
    const key = routeKey(route);
    let e = entries.get(key);
    if (!e) {
      e = {
        provider: route.provider,
        model: route.model ?? '',
        state: 'closed',
        ewmaLatencyMs: null,
        errorRate: 0,
        errorRateAt: clock.now().getTime(),
        consecutiveFailures: 0,
        successes: 0,
        failures: 0,
        openedAt: null,
        probing: false,
        lastError: null,
      };
      entries.set(key, e);
    }
    return e;
  }

  /** The error rate decayed to now. */
  function errorRate(e: Entry): number {
    const now = clock.now().getTime();
    const elapsed = Math.max(0, now - e.errorRateAt);
    e.errorRate *= 2 ** (-elapsed / halfLifeMs);
    e.errorRateAt = now;
    return e.errorRate;
  }

  /** The breaker state now (an open breaker past its cool-down is half-open). */
  function stateOf(e: Entry): BreakerState {
    if (e.state === 'open' && e.openedAt !== null && clock.now().getTime() - e.openedAt >= cooldownMs) {
      return 'half-open';
    }
    return e.state;
  }

  function tier(e: Entry): number {
    const state = stateOf(e);
    // A half-open route takes its one probe in its catalog place (failover covers a failed probe);
    // while the probe is out, it is left out like an open one.
    if (state === 'open' || (state === 'half-open' && e.probing)) return 3;
    if (state === 'half-open') return 0;
    return errorRate(e) > degraded ? 1 : 0;
  }

  return {
    /**
     * The routes worth trying, best first: healthy (and half-open ones due a probe), then degraded,
     * each group in catalog order (the operator's preference, e.g. the cheaper upstream first). Open
     * routes are left out.
     */
    order(routes: CatalogRoute[]): CatalogRoute[] {
      return routes
        .map((route, index) => ({ route, index, tier: tier(entry(route)) }))
        .filter((r) => r.tier < 3)
        .sort((a, b) => a.tier - b.tier || a.index - b.index)
        .map((r) => r.route);
    },

    /** Asks to send a request on the route; false when its breaker is open or its probe is taken. */
    tryAcquire(route: CatalogRoute): boolean {
      const e = entry(route);
      const state = stateOf(e);
      if (state === 'closed') return true;
      if (state === 'open' || e.probing) return false;
      e.probing = true;
      return true;
    },

    success(route: CatalogRoute, firstByteMs: number): void {
      const e = entry(route);
      e.successes += 1;
      e.consecutiveFailures = 0;
      e.errorRate = (1 - alpha) * errorRate(e);
      e.ewmaLatencyMs =
        e.ewmaLatencyMs === null ? firstByteMs : (1 - alpha) * e.ewmaLatencyMs + alpha * firstByteMs;
      e.state = 'closed';
      e.openedAt = null;
      e.probing = false;
    },

    failure(route: CatalogRoute, reason: string): void {
      const e = entry(route);
      e.failures += 1;
      e.consecutiveFailures += 1;
      e.errorRate = (1 - alpha) * errorRate(e) + alpha;
      e.lastError = reason.slice(0, 200);
      const wasProbe = e.probing || stateOf(e) === 'half-open';
      e.probing = false;
      if (wasProbe || e.consecutiveFailures >= threshold) {
        e.state = 'open';
        e.openedAt = clock.now().getTime();
      }
    },

    /** The request ended without telling anything about the route (client error, refusal, abort). */
    neutral(route: CatalogRoute): void {
      entry(route).probing = false;
    },

    snapshot(): RouteHealthSnapshot[] {
      return [...entries.values()].map((e) => ({
        provider: e.provider,
        model: e.model,
        state: stateOf(e),
        ewmaLatencyMs: e.ewmaLatencyMs === null ? null : Math.round(e.ewmaLatencyMs),
        errorRate: Math.round(errorRate(e) * 1000) / 1000,
        consecutiveFailures: e.consecutiveFailures,
        successes: e.successes,
        failures: e.failures,
        openedAt: e.openedAt === null ? null : new Date(e.openedAt).toISOString(),
        lastError: e.lastError,
      }));
    },
  };
}

export type RouteHealth = ReturnType<typeof createRouteHealth>;
