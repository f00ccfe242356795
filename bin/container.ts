import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { type Bots, createBots } from '../bots/index.js';
import { type CatalogProvider, loadCatalog } from '../core/catalog/index.js';
import { type Core, createCore } from '../core/core.js';
import { idrToMrp } from '../core/ledger/index.js';
import { type Clock, systemClock } from '../core/ports/clock.js';
import type { Mail, Mailer } from '../core/ports/mailer.js';
import { createEmbeddingProviders } from '../core/providers/embeddings/index.js';
import { createChatProviders } from '../core/providers/index.js';
import { createMediaProviders } from '../core/providers/media.js';
import { createHttpClient } from '../core/providers/shared/http.js';
import { createTranscriptionProviders } from '../core/providers/transcription/index.js';
import { createSlicedRateLimiter } from '../core/ratelimit/index.js';
import { guardImageUrls } from '../core/security/inline-image-urls.js';
import { createDatabase, type Database } from '../db/index.js';
import { SharpImageProcessor } from '../workers/media/index.js';
import { type BullQueues, createBullQueues } from '../workers/runtime/index.js';
import { createStorage } from '../workers/storage/index.js';
import type { Config } from './config.js';
import { capturingMailer, logMailer, smtpMailer } from './infra/mailers.js';
import { createRedisAttemptStore } from './infra/redis-attempt-store.js';
import { redisEphemeralStore } from './infra/redis-ephemeral-store.js';
import { createRedisRateLimiter } from './infra/redis-rate-limiter.js';
import { registerMoneyMetrics } from './money-metrics.js';

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
  /** Outgoing email (confirmations of top-ups for accounts with an email). */
  mailer: Mailer;
  /** Mails sent without SMTP outside production, newest last (empty otherwise). */
  outbox: Mail[];
  /** The chat bots (routes always present; they refuse requests when their platform is unset). */
  bots: Bots;
  close(): Promise<void>;
}

/** Concurrent requests to one chat upstream (each HTTP/1.1 connection carries one at a time). */
const CHAT_CONNECTIONS_PER_ORIGIN = 1024;

/** Builds every long-lived object from the configuration, once. Nothing here listens or starts work. */
export function buildContainer(config: Config, logger: Logger, options: { clock?: Clock } = {}): Container {
  const clock = options.clock ?? systemClock;
  const db = createDatabase(config.DATABASE_URL, { max: config.DATABASE_POOL_SIZE });
  // BullMQ needs maxRetriesPerRequest: null on connections it blocks on; one shared client for the rest.
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false });
  // One line when the connection drops and one when it is back, not one per reconnection attempt.
  let redisDown = false;
  redis.on('error', (error) => {
    if (redisDown) return;
    redisDown = true;
    logger.warn({ err: error.message }, 'redis connection lost; reconnecting');
  });
  redis.on('ready', () => {
    if (!redisDown) return;
    redisDown = false;
    logger.info('redis connection restored');
  });
  const catalog = loadCatalog(config.CATALOG_FILE, configuredProviders(config));
  const captured =
    !config.SMTP_URL && config.NODE_ENV !== 'production'
      ? capturingMailer(logMailer(logger, config.NODE_ENV === 'development'))
      : undefined;
  const mailer =
    captured ??
    (config.SMTP_URL
      ? smtpMailer(config.SMTP_URL, config.MAIL_FROM)
      : logMailer(logger, config.NODE_ENV === 'development'));
  const queues = createBullQueues(redis, config.REDIS_PREFIX);
  const storage = createStorage(
    config.S3_BUCKET && config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
      ? {
          kind: 's3',
          ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}),
          region: config.S3_REGION,
          bucket: config.S3_BUCKET,
          accessKeyId: config.S3_ACCESS_KEY_ID,
          secretAccessKey: config.S3_SECRET_ACCESS_KEY,
          forcePathStyle: config.S3_FORCE_PATH_STYLE,
        }
      : { kind: 'local', dataDir: config.DATA_DIR },
  );
  const mediaHttp = createHttpClient();
  const mediaProviders = createMediaProviders(
    {
      openai: { apiKey: config.OPENAI_API_KEY ?? '', baseUrl: config.OPENAI_BASE_URL },
      gemini: { apiKey: config.GEMINI_API_KEY ?? '', baseUrl: config.GEMINI_BASE_URL },
      runninghub: { apiKey: config.RUNNINGHUB_API_KEY ?? '', baseUrl: config.RUNNINGHUB_BASE_URL },
    },
    mediaHttp,
    () => clock.now().getTime(),
  );
  // Chat answers stream for seconds each: a small per-origin cap (the client's default is 64) would
  // queue every request beyond it behind other customers' streams, before the upstream is even asked.
  const chatHttp = createHttpClient({
    connectionsPerOrigin: CHAT_CONNECTIONS_PER_ORIGIN,
    connectTimeoutMs: config.UPSTREAM_CONNECT_TIMEOUT_MS,
    headersTimeoutMs: config.UPSTREAM_FIRST_BYTE_TIMEOUT_MS,
    bodyTimeoutMs: config.UPSTREAM_IDLE_TIMEOUT_MS,
  });
  const key = (apiKey: string | undefined, baseUrl: string) => (apiKey ? { apiKey, baseUrl } : undefined);
  // Image URLs in chat requests reach only upstreams that fetch them outside our network; the
  // others get the image fetched through the public-address guard and inlined.
  const chatProviders = guardImageUrls(
    createChatProviders(
      {
        openai: key(config.OPENAI_API_KEY, config.OPENAI_BASE_URL),
        anthropic: key(config.ANTHROPIC_API_KEY, config.ANTHROPIC_BASE_URL),
        gemini: key(config.GEMINI_API_KEY, config.GEMINI_BASE_URL),
        deepseek: key(config.DEEPSEEK_API_KEY, config.DEEPSEEK_BASE_URL),
        ...(config.LOCAL_OPENAI_BASE_URL
          ? {
              openaiCompatible: {
                baseUrl: config.LOCAL_OPENAI_BASE_URL,
                ...(config.LOCAL_OPENAI_API_KEY ? { apiKey: config.LOCAL_OPENAI_API_KEY } : {}),
              },
            }
          : {}),
      },
      chatHttp,
    ),
  );
  // Embeddings are one short request each: the chat client's timeouts and pool fit them.
  const openaiKey = key(config.OPENAI_API_KEY, config.OPENAI_BASE_URL);
  const geminiKey = key(config.GEMINI_API_KEY, config.GEMINI_BASE_URL);
  const embeddingProviders = createEmbeddingProviders(
    {
      ...(openaiKey ? { openai: openaiKey } : {}),
      ...(geminiKey ? { gemini: geminiKey } : {}),
      ...(config.LOCAL_OPENAI_BASE_URL
        ? {
            openaiCompatible: {
              baseUrl: config.LOCAL_OPENAI_BASE_URL,
              ...(config.LOCAL_OPENAI_API_KEY ? { apiKey: config.LOCAL_OPENAI_API_KEY } : {}),
            },
          }
        : {}),
    },
    chatHttp,
  );
  // One audio file per request; the chat client's pool and timeouts fit it too.
  const transcriptionProviders = createTranscriptionProviders(
    openaiKey ? { openai: openaiKey } : {},
    chatHttp,
  );
  const core = createCore(
    {
      db,
      clock,
      mailer,
      catalog,
      queue: queues,
      storage,
      media: { images: new SharpImageProcessor(), providers: mediaProviders },
      chatProviders,
      embeddingProviders,
      transcriptionProviders,
      // Busy counters are spent from local slices of their limit (sliced-limiter.ts): no Redis
      // round trip for most requests, never over the limit.
      rateLimiter: createSlicedRateLimiter(
        createRedisRateLimiter(redis, { prefix: `${config.REDIS_PREFIX}:rl:` }),
      ),
      chatStore: redisEphemeralStore(redis, `${config.REDIS_PREFIX}:`),
      // Keyed by database too, so deployments (and test runs) sharing one Redis never count each other's failures.
      loginAttempts: createRedisAttemptStore(redis, {
        prefix: `${config.REDIS_PREFIX}:${new URL(config.DATABASE_URL).pathname.slice(1)}:`,
      }),
    },
    {
      publicUrl: config.PUBLIC_URL,
      jwtSecret: config.JWT_SECRET,
      welcomeCreditMrp: idrToMrp(config.WELCOME_CREDIT_IDR),
      chat: { allowedModels: config.allowedBotModels },
      media: { pollIntervalMs: config.MEDIA_POLL_INTERVAL_MS },
      gateway: {
        rateLimits: { requestsPerMinute: config.RATE_LIMIT_RPM, tokensPerMinute: config.RATE_LIMIT_TPM },
        breaker: {
          failureThreshold: config.BREAKER_FAILURE_THRESHOLD,
          cooldownMs: config.BREAKER_COOLDOWN_MS,
        },
        drainTimeoutMs: config.CHAT_DRAIN_TIMEOUT_MS,
        maxAnswerMs: config.CHAT_MAX_ANSWER_MS,
      },
      topups: {
        minIdr: config.TOPUP_MIN_IDR,
        maxIdr: config.TOPUP_MAX_IDR,
        expiryHours: config.TOPUP_EXPIRY_HOURS,
        bankAccounts: config.bankAccounts,
        starsIdrPerStar: config.STARS_IDR_PER_STAR,
        mootaWebhookSecret: config.MOOTA_WEBHOOK_SECRET,
      },
    },
  );
  const metrics = new Registry();
  registerMoneyMetrics(metrics, core);
  const bots = createBots(
    { core, redis, logger },
    {
      publicUrl: config.PUBLIC_URL,
      redisPrefix: config.REDIS_PREFIX,
      ...(config.TELEGRAM_BOT_TOKEN
        ? {
            telegram: {
              token: config.TELEGRAM_BOT_TOKEN,
              apiRoot: config.TELEGRAM_API_ROOT,
              ...(config.TELEGRAM_WEBHOOK_SECRET ? { webhookSecret: config.TELEGRAM_WEBHOOK_SECRET } : {}),
            },
          }
        : {}),
      ...(config.SLACK_BOT_TOKEN
        ? {
            slack: {
              token: config.SLACK_BOT_TOKEN,
              apiUrl: config.SLACK_API_URL,
              ...(config.SLACK_SIGNING_SECRET ? { signingSecret: config.SLACK_SIGNING_SECRET } : {}),
            },
          }
        : {}),
      ...(config.DISCORD_APPLICATION_ID
        ? {
            discord: {
              applicationId: config.DISCORD_APPLICATION_ID,
              apiBase: config.DISCORD_API_BASE,
              ...(config.DISCORD_PUBLIC_KEY ? { publicKey: config.DISCORD_PUBLIC_KEY } : {}),
              ...(config.DISCORD_BOT_TOKEN ? { token: config.DISCORD_BOT_TOKEN } : {}),
            },
          }
        : {}),
    },
  );
  return {
    config,
    logger,
    db,
    redis,
    core,
    queues,
    metrics,
    mailer,
    outbox: captured?.outbox ?? [],
    bots,
    async close() {
      await bots.stop();
      await queues.close();
      await mediaHttp.close();
      await chatHttp.close();
      await db.close();
      redis.disconnect();
    },
  };
}
