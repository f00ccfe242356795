import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import OpenAI from 'openai';
import pino from 'pino';
import { Registry } from 'prom-client';
import { buildApp } from '../../api/app.js';
import { type Core, createCore } from '../../core/core.js';
import type { MediaJob, MediaService } from '../../core/media/index.js';
import { type Clock, systemClock } from '../../core/ports/clock.js';
import { createHttpClient, type HttpClient } from '../../core/providers/shared/http.js';
import { mediaTaskRegistry } from '../../workers/generation/index.js';
import {
  type BullQueues,
  createBullQueues,
  type RunningWorkers,
  startWorkers,
} from '../../workers/runtime/index.js';
import { type FakeGeminiImages, startFakeGeminiImages } from '../fakes/gemini-images.js';
import { type FakeOpenAIImages, startFakeOpenAIImages } from '../fakes/openai-images.js';
import { type FakeRunningHub, startFakeRunningHub } from '../fakes/runninghub.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import {
  MEDIA_TEST_SECRET,
  mediaTestCatalog,
  mediaTestOptions,
  mediaTestPorts,
  VIDEO_WORKFLOWS,
} from './media-setup.js';

/**
 * The media stack for end-to-end tests: our HTTP app on a real port, the media service in core, the
 * BullMQ runtime running the media processors on a private queue prefix, local storage in a temp
 * directory, and the OpenAI-images and RunningHub fakes as the only upstreams.
 */

/** A free loopback port (so the public URL, which webhooks use, is known before the app starts). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface MediaHarnessOptions {
  /** Another Redis than the shared one (the Redis-restart test runs its own). */
  redisUrl?: string;
  /** Run the workers in this process (default true); crash tests run them in child processes. */
  workers?: boolean;
  pollsPerStep?: number;
  /** The bots' delivery hook, for jobs of chat channels. */
  deliver?: (job: MediaJob) => Promise<void>;
  pollIntervalMs?: number;
  /** The core's clock (virtual time for hold lifetimes); the system clock when absent. */
  clock?: Clock;
}

export interface MediaHarness {
  url: string;
  app: FastifyInstance;
  core: Core;
  media: MediaService;
  database: TestDatabase;
  redis: Redis;
  queues: BullQueues;
  prefix: string;
  dataDir: string;
  openai: FakeOpenAIImages;
  gemini: FakeGeminiImages;
  runninghub: FakeRunningHub;
  workers: RunningWorkers | undefined;
  startWorkers(): Promise<RunningWorkers>;
  /** An account with a balance (rupiah) and an API key; returns the OpenAI client on our API. */
  account(balanceIdr: number): Promise<{ accountId: string; secret: string; client: OpenAI }>;
  close(): Promise<void>;
}

export async function startMediaHarness(options: MediaHarnessOptions = {}): Promise<MediaHarness> {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'aiport-media-'));
  const openai = await startFakeOpenAIImages();
  const gemini = await startFakeGeminiImages();
  const runninghub = await startFakeRunningHub({
    pollsPerStep: options.pollsPerStep ?? 1,
    workflows: VIDEO_WORKFLOWS,
  });
  const prefix = `t-media-${randomBytes(4).toString('hex')}`;
  const redis = new Redis(options.redisUrl ?? TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const queues = createBullQueues(redis, prefix);
  const http: HttpClient = createHttpClient();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const ports = mediaTestPorts({
    dataDir,
    queue: queues,
    http,
    openaiUrl: openai.url,
    runninghubUrl: runninghub.url,
    geminiUrl: gemini.url,
  });
  const mediaOptions = mediaTestOptions(url, options.pollIntervalMs ?? 20);
  const core = createCore(
    {
      db: database,
      clock: options.clock ?? systemClock,
      mailer: { send: async () => {} },
      catalog: mediaTestCatalog(),
      queue: queues,
      storage: ports.storage,
      media: { images: ports.images, providers: ports.providers },
    },
    { publicUrl: url, jwtSecret: MEDIA_TEST_SECRET, welcomeCreditMrp: 0n, media: mediaOptions },
  );
  const media = core.media;
  if (media === undefined) throw new Error('core built no media service');
  const app = await buildApp({
    core,
    metrics: new Registry(),
    readiness: { check: async () => ({ postgres: true, redis: true }) },
  });
  await app.listen({ port, host: '127.0.0.1' });
  const logger = pino({ level: 'silent' });

  const harness: MediaHarness = {
    url,
    app,
    core,
    media,
    database,
    redis,
    queues,
    prefix,
    dataDir,
    openai,
    gemini,
    runninghub,
    workers: undefined,
    async startWorkers() {
      harness.workers = await startWorkers(
        [mediaTaskRegistry({ media, ...(options.deliver ? { deliver: options.deliver } : {}) })],
        {
          connection: redis,
          prefix,
          logger,
          queues: queues.queues,
          // Short locks: a task interrupted by a crash or a Redis restart is picked up again in seconds.
          lockDurationMs: 2_000,
          stalledIntervalMs: 1_000,
        },
      );
      return harness.workers;
    },
    async account(balanceIdr) {
      const email = `m${randomBytes(5).toString('hex')}@example.com`;
      const [row] = await database.sql<
        { id: string }[]
      >`INSERT INTO accounts (email) VALUES (${email}) RETURNING id`;
      const accountId = row!.id;
      if (balanceIdr > 0) {
        await core.ledger.credit('topup', {
          accountId,
          amountMrp: BigInt(balanceIdr) * 1000n,
          idempotencyKey: `test-topup:${accountId}`,
        });
      }
      const { secret } = await core.apiKeys.create(accountId, { name: 'media tests' });
      const client = new OpenAI({ apiKey: secret, baseURL: `${url}/v1`, maxRetries: 0, timeout: 15_000 });
      return { accountId, secret, client };
    },
    async close() {
      await harness.workers?.close();
      await app.close();
      await queues.close();
      await obliterate(redis, prefix);
      redis.disconnect();
      await http.close();
      await openai.close();
      await gemini.close();
      await runninghub.close();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  if (options.workers !== false) await harness.startWorkers();
  return harness;
}

/** Removes every key of this test file's queue prefix from the shared Redis. */
async function obliterate(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

/** Balance, held amount and the charges of an account, in milli-rupiah. */
export async function money(h: MediaHarness, accountId: string) {
  const balance = await h.core.ledger.balance(accountId);
  const charges = await h.database.sql<{ amount_mrp: bigint }[]>`
    SELECT amount_mrp FROM ledger_entries WHERE account_id = ${accountId} AND kind = 'charge'`;
  return { ...balance, charges: charges.map((c) => -c.amount_mrp) };
}
