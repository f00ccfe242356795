import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { healthResponse } from '../schemas/responses-admin.js';

/** Provider and route health as the router sees it now: breaker state, latency, error rate. */
export default async function adminHealthRoutes(app: FastifyInstance, opts: { core: Core }): Promise<void> {
  const { gateway, catalog } = opts.core;

  app.get(
    '/admin/health',
    { schema: { response: { 200: healthResponse }, summary: 'Provider routes and their health' } },
    async () => {
      const routes = gateway.health();
      const providers = new Map<
        string,
        { provider: string; routes: number; open: number; half_open: number }
      >();
      for (const route of routes) {
        const entry = providers.get(route.provider) ?? {
          provider: route.provider,
          routes: 0,
          open: 0,
          half_open: 0,
        };
        entry.routes += 1;
        if (route.state === 'open') entry.open += 1;
        if (route.state === 'half-open') entry.half_open += 1;
        providers.set(route.provider, entry);
      }
      return {
        models_served: catalog.served.length,
        providers: [...providers.values()],
        routes: routes.map((r) => ({
          provider: r.provider,
          model: r.model,
          state: r.state,
          ewma_latency_ms: r.ewmaLatencyMs,
          error_rate: r.errorRate,
          consecutive_failures: r.consecutiveFailures,
          successes: r.successes,
          failures: r.failures,
          opened_at: r.openedAt,
          last_error: r.lastError,
        })),
      };
    },
  );
}
