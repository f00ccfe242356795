import type { FastifyInstance } from 'fastify';
import { buildApp } from '../api/app.js';
import { telegramStarRefunds } from '../bots/telegram/star-refunds.js';
import type { Container } from './container.js';
import { buildWebAssets } from './web-assets.js';

/** The HTTP server of a container: our routes plus the inbound routes of the bots that are configured. */
export async function buildHttp(container: Container): Promise<FastifyInstance> {
  const { core, db, redis, metrics, logger, config } = container;
  return buildApp({
    ...(config.TELEGRAM_BOT_TOKEN
      ? { starRefunds: telegramStarRefunds(config.TELEGRAM_BOT_TOKEN, config.TELEGRAM_API_ROOT) }
      : {}),
    core,
    webAssets: await buildWebAssets(),
    metrics,
    ...(config.METRICS_TOKEN ? { metricsToken: config.METRICS_TOKEN } : {}),
    logger,
    publicUrl: container.config.PUBLIC_URL,
    trustProxy: config.trustedProxies,
    checkResponses: config.NODE_ENV === 'test',
    extraRoutes: container.bots.routes,
    readiness: {
      async check() {
        const [postgres, cache] = await Promise.all([
          db.sql`SELECT 1`.then(
            () => true,
            () => false,
          ),
          redis.ping().then(
            (pong) => pong === 'PONG',
            () => false,
          ),
        ]);
        return { postgres, redis: cache };
      },
    },
  });
}
