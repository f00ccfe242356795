import type { FastifyInstance } from 'fastify';
import { livenessResponse, readinessResponse } from '../schemas/responses-public.js';

export interface Readiness {
  /** Each dependency's state; the process is ready when all are true. */
  check(): Promise<Record<string, boolean>>;
}

export default async function healthRoutes(
  app: FastifyInstance,
  opts: { readiness: Readiness },
): Promise<void> {
  app.get(
    '/healthz',
    { logLevel: 'warn', schema: { response: { 200: livenessResponse }, summary: 'Liveness' } },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      logLevel: 'warn',
      schema: {
        response: { 200: readinessResponse, 503: readinessResponse },
        summary: 'Readiness: database and Redis reachable',
      },
    },
    async (_request, reply) => {
      const checks = await opts.readiness.check();
      const ready = Object.values(checks).every(Boolean);
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
    },
  );
}
