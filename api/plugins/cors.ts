import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/**
 * The CORS policy, by path:
 * - `/v1/*`: any origin, never with credentials. Model calls authenticate with an API key in a
 *   header the caller sets itself; no cookie or ambient credential is ever involved, so a wildcard
 *   lets browser apps call the API without letting a foreign page act as a signed-in person.
 * - `/account/*` and `/auth/*`: only the dashboard's own origin (PUBLIC_URL), with credentials.
 * - everything else (`/admin/*`, webhooks, `/metrics`...): no CORS headers at all, so browsers keep
 *   the same-origin rule.
 * Never a wildcard together with credentials.
 */
export interface CorsPolicyOptions {
  publicUrl: string;
}

const API_HEADERS = [
  'authorization',
  'content-type',
  'x-api-key',
  'x-request-id',
  'anthropic-version',
  'anthropic-beta',
  'openai-organization',
  'openai-project',
  'openai-beta',
  'idempotency-key',
];

function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0] ?? '';
}

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

export function corsOptionsFor(path: string, dashboardOrigin: string): FastifyCorsOptions {
  if (under(path, '/v1')) {
    return {
      origin: '*',
      credentials: false,
      methods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
      allowedHeaders: API_HEADERS,
      exposedHeaders: [
        'x-request-id',
        'retry-after',
        'x-ratelimit-remaining-requests',
        'x-ratelimit-remaining-tokens',
      ],
      maxAge: 600,
    };
  }
  if (under(path, '/account') || under(path, '/auth')) {
    return {
      origin: [dashboardOrigin],
      credentials: true,
      methods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
      allowedHeaders: ['authorization', 'content-type', 'x-request-id', 'x-csrf-token', 'x-aiport-client'],
      exposedHeaders: ['x-request-id', 'content-disposition'],
      maxAge: 600,
    };
  }
  return { origin: false };
}

async function corsPlugin(app: FastifyInstance, options: CorsPolicyOptions): Promise<void> {
  const dashboardOrigin = new URL(options.publicUrl).origin;
  await app.register(cors, {
    delegator: (request, callback) => callback(null, corsOptionsFor(pathOf(request), dashboardOrigin)),
  });
}

export default fp(corsPlugin, { name: 'cors-policy' });
