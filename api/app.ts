import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginAsync,
  LogController,
} from 'fastify';
import type { Registry } from 'prom-client';
import type { Core } from '../core/core.js';
import type { StarRefunds } from '../core/ports/star-refunds.js';
import authPlugin from './plugins/auth.js';
import corsPlugin from './plugins/cors.js';
import errorsPlugin from './plugins/errors.js';
import loginThrottlePlugin from './plugins/login-throttle.js';
import metricsPlugin from './plugins/metrics.js';
import openApiPlugin from './plugins/openapi.js';
import rawBodyPlugin, { BODY_LIMIT_BYTES } from './plugins/raw-body.js';
import securityHeadersPlugin from './plugins/security-headers.js';
import webAppPlugin, { type WebAssets } from './plugins/web-app.js';
import accountRoutes from './routes/account.js';
import accountLinkRoutes from './routes/account-links.js';
import adminRoutes from './routes/admin.js';
import authRoutes from './routes/auth.js';
import fileRoutes from './routes/files.js';
import healthRoutes, { type Readiness } from './routes/health.js';
import privacyRoutes from './routes/privacy.js';
import sessionRoutes from './routes/sessions.js';
import topupRoutes from './routes/topups.js';
import gatewayRoutes from './routes/v1-gateway.js';
import v1ImageRoutes from './routes/v1-images.js';
import v1VideoRoutes from './routes/v1-videos.js';
import webAccountRoutes from './routes/web-account.js';
import mootaWebhookRoutes from './routes/webhooks-moota.js';
import runningHubWebhookRoutes from './routes/webhooks-runninghub.js';

export interface AppOptions {
  core: Core;
  readiness: Readiness;
  metrics: Registry;
  /** Bearer token of `GET /metrics`; without one the route is not served. */
  metricsToken?: string;
  /** Routes contributed by other shells (bot webhooks, ...), registered after ours. */
  extraRoutes?: FastifyPluginAsync[];
  /** A pino logger; none means silent (tests). */
  logger?: FastifyBaseLogger;
  /** The dashboard's origin for CORS on /account and /auth, and whether HSTS applies (default localhost). */
  publicUrl?: string;
  /**
   * Proxies whose X-Forwarded-For is believed when finding the client address (rate limits, login
   * throttling, audit rows): false (the default) believes none, a number counts hops, a list names
   * proxy addresses and CIDRs.
   */
  trustProxy?: false | number | string[];
  /** The bundled web app served at `/`; none serves no pages. */
  webAssets?: WebAssets;
  /** Returns Telegram Stars on an admin refund (absent when Telegram is not configured). */
  starRefunds?: StarRefunds;
  /** Check every documented response against its schema (tests: the document cannot drift). */
  checkResponses?: boolean;
}

/**
 * Headers and fields that must never reach a log: credentials, webhook secrets and signatures.
 * Bodies are never logged at all, so prompts and passwords cannot leak through them.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.headers["x-slack-signature"]',
  'req.headers["x-signature-ed25519"]',
  'req.headers.signature',
];

/** Fastify's form: an address list, a function trusting the first `n` hops, or false. */
function trustProxyOption(
  trust: false | number | string[],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return trust;
}

const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** The whole HTTP surface as one Fastify instance, not yet listening (tests use `inject` or `listen(0)`). */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    // One line per request (below) instead of fastify's two ("incoming request", "request completed").
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: trustProxyOption(options.trustProxy ?? false),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // The request and its answer in one line at `info`: half the lines of fastify's default at the
  // same facts (method, path without its query, status, time), so logging costs the hot path less.
  if (options.logger) {
    app.addHook('onResponse', (request, reply, done) => {
      request.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
      done();
    });
  }

  await app.register(errorsPlugin);
  await app.register(openApiPlugin, {
    publicUrl: options.publicUrl ?? 'http://localhost:8080',
    version: VERSION,
    checkResponses: options.checkResponses === true,
  });
  await app.register(securityHeadersPlugin, { publicUrl: options.publicUrl ?? 'http://localhost:8080' });
  await app.register(corsPlugin, { publicUrl: options.publicUrl ?? 'http://localhost:8080' });
  await app.register(rawBodyPlugin);
  await app.register(metricsPlugin, {
    registry: options.metrics,
    ...(options.metricsToken ? { token: options.metricsToken } : {}),
  });
  await app.register(authPlugin, { core: options.core });
  await app.register(loginThrottlePlugin, { throttle: options.core.loginThrottle });

  await app.register(healthRoutes, { readiness: options.readiness });
  const publicUrl = options.publicUrl ?? 'http://localhost:8080';
  await app.register(authRoutes, { core: options.core, publicUrl });
  await app.register(sessionRoutes, { core: options.core, publicUrl });
  await app.register(accountRoutes, { core: options.core });
  await app.register(privacyRoutes, { core: options.core });
  await app.register(accountLinkRoutes, { core: options.core });
  await app.register(webAccountRoutes, { core: options.core });
  await app.register(adminRoutes, {
    core: options.core,
    ...(options.starRefunds ? { starRefunds: options.starRefunds } : {}),
  });
  await app.register(gatewayRoutes, { core: options.core });
  await app.register(v1ImageRoutes, { core: options.core });
  await app.register(v1VideoRoutes, { core: options.core });
  await app.register(fileRoutes, { core: options.core });
  await app.register(runningHubWebhookRoutes, { core: options.core });
  await app.register(topupRoutes, { core: options.core });
  await app.register(mootaWebhookRoutes, { core: options.core });
  if (options.webAssets) await app.register(webAppPlugin, { assets: options.webAssets });
  for (const routes of options.extraRoutes ?? []) await app.register(routes);
  return app;
}
