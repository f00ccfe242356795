import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { type CatalogProvider, loadCatalog } from '../core/catalog/index.js';
import { type Core, createCore } from '../core/core.js';
import { idrToMrp } from '../core/ledger/index.js';
import { type Clock, systemClock } from '../core/ports/clock.js';
import { createDatabase, type Database } from '../db/index.js';
import { type BullQueues, createBullQueues } from '../workers/runtime/index.js';
import type { Config } from './config.js';
import { logMailer, smtpMailer } from './infra/mailers.js';

/** Which catalog providers this deployment has credentials (or a base URL) for. */
export function configuredProviders(config: Config): Set<CatalogProvider> {
  const set = new Set<CatalogProvider>();
  if (config.OPENAI_API_KEY) set.add('openai');
  if (config.ANTHROPIC_API_KEY) set.add('anthropic');
  if (config.GEMINI_API_KEY) set.add('gemini');
  if (config.DEEPSEEK_API_KEY) set.add('deepseek');
  if (config.RUNNINGHUB_API_KEY) set.add('runninghub');
  if (config.LOCAL_OPENAI_BASE_URL) set.add('openai-compatible');
  return set;
}

export interface Container {
  config: Config;
  logger: Logger;
  db: Database;
  redis: Redis;
  core: Core;
  queues: BullQueues;
  metrics: Registry;
  close(): Promise<void>;
}

/** Builds every long-lived object from the configuration, once. Nothing here listens or starts work. */
export function buildContainer(config: Config, logger: Logger, options: { clock?: Clock } = {}): Container {
  const clock = options.clock ?? systemClock;
  const db = createDatabase(config.DATABASE_URL, { max: config.DATABASE_POOL_SIZE });
  // BullMQ needs maxRetriesPerRequest: null on connections it blocks on; one shared client for the rest.
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false });
  redis.on('error', (error) => logger.warn({ err: error.message }, 'redis connection error'));
  const catalog = loadCatalog(config.CATALOG_FILE, configuredProviders(config));
  const mailer = config.SMTP_URL
    ? smtpMailer(config.SMTP_URL, config.MAIL_FROM)
    : logMailer(logger, config.isProduction);
  const queues = createBullQueues(redis);
  const core = createCore(
    { db, clock, mailer, catalog, queue: queues },
    {
      publicUrl: config.PUBLIC_URL,
      jwtSecret: config.JWT_SECRET,
      welcomeCreditMrp: idrToMrp(config.WELCOME_CREDIT_IDR),
    },
  );
  const metrics = new Registry();
  return {
    config,
    logger,
    db,
    redis,
    core,
    queues,
    metrics,
    async close() {
      await queues.close();
      await db.close();
      redis.disconnect();
    },
  };
}
