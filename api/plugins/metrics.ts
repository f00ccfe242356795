import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Histogram, type Registry } from 'prom-client';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Compares in constant time (digests have equal length whatever the input). */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(given), digest(token));
}

/**
 * Request durations by route pattern (never by raw URL, which would explode cardinality).
 * `GET /metrics` exists only with a token, and answers only to `Authorization: Bearer <token>`:
 * route names, volumes and error rates are not for the public.
 */
async function metricsPlugin(
  app: FastifyInstance,
  opts: { registry: Registry; token?: string },
): Promise<void> {
  const duration = new Histogram({
    name: 'aiport_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [opts.registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    duration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
  const token = opts.token;
  if (!token) return;
  app.get('/metrics', { logLevel: 'warn', schema: { hide: true } }, async (request, reply) => {
    if (!bearerMatches(request.headers.authorization, token)) {
      reply.header('www-authenticate', 'Bearer');
      return reply.code(401).send({ error: { message: 'metrics need the METRICS_TOKEN bearer token' } });
    }
    reply.header('content-type', opts.registry.contentType);
    return opts.registry.metrics();
  });
}

export default fp(metricsPlugin, { name: 'metrics' });
