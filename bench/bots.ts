import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import pino from 'pino';
import { parseConfig } from '../bin/config.js';
import { buildContainer } from '../bin/container.js';
import { buildHttp } from '../bin/http.js';
import { FAKE_OPENAI_KEY } from '../test/fakes/openai.js';
import { TEST_REDIS_URL } from '../test/helpers/env.js';
import { createTestDatabase, prepareTemplate } from '../test/helpers/test-database.js';
import { report } from './report.js';

/**
 * Telegram webhook updates per second, end to end: webhook POST -> dedupe, identity, abuse limits
 * and chat lock, history, gateway (hold, zero-latency fake OpenAI upstream, settle, job row) ->
 * streamed reply into the fake Bot API (draft, then sendMessage). The app runs in this thread; the
 * fakes and the load generator in a worker thread (bench/lib/bots-load.ts). Closed loop: CONCURRENCY
 * senders, each waiting for its answer's final message before its next update. Latency: webhook
 * POST -> first visible text (first non-empty draft or message).
 */
const UPDATES = Number(process.env.BENCH_UPDATES ?? 3_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
/** People: their first messages are measured apart (account creation), then they keep chatting. */
const USERS = Number(process.env.BENCH_USERS ?? 600);
const SECRET = 'bench-secret';

await prepareTemplate();
const database = await createTestDatabase();
// The worker registers tsx itself: loader flags are not inherited by worker threads.
const loadScript = new URL('./lib/bots-load.ts', import.meta.url).href;
const load = new Worker(
  `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(loadScript)}); });`,
  { eval: true, workerData: { updates: UPDATES, concurrency: CONCURRENCY, users: USERS, secret: SECRET } },
);
const next = <T>() =>
  new Promise<T>((resolve, reject) => {
    load.once('message', resolve);
    load.once('error', reject);
  });
const fakes = await next<{ openaiUrl: string; telegramRoot: string; token: string }>();

const config = parseConfig({
  NODE_ENV: 'test',
  JWT_SECRET: randomBytes(32).toString('hex'),
  DATABASE_URL: database.url,
  DATABASE_POOL_SIZE: process.env.BENCH_POOL ?? '20',
  REDIS_URL: TEST_REDIS_URL,
  OPENAI_API_KEY: FAKE_OPENAI_KEY,
  OPENAI_BASE_URL: `${fakes.openaiUrl}/v1`,
  TELEGRAM_BOT_TOKEN: fakes.token,
  TELEGRAM_API_ROOT: fakes.telegramRoot,
  TELEGRAM_WEBHOOK_SECRET: SECRET,
  WELCOME_CREDIT_IDR: '1000',
  RATE_LIMIT_RPM: '100000',
});
const container = buildContainer(config, pino({ level: 'silent' }));
const app = await buildHttp(container);
const origin = await app.listen({ port: 0, host: '127.0.0.1' });

const result = next<{ firstContact: unknown; returning: unknown }>();
load.postMessage({ origin });
const { firstContact, returning } = await result;
await container.bots.drain();
const [jobs] = await database.sql<
  { n: number }[]
>`SELECT count(*)::int AS n FROM jobs WHERE channel = 'telegram'`;
const mismatches = await container.core.ledger.verify();

report('bots', {
  target_updates_per_second: 300,
  concurrency: CONCURRENCY,
  users: USERS,
  /** Every update from someone already known: a chat turn with history. */
  returning_users: returning,
  /** Each sender's first message: account, welcome credit and conversation created on the way. */
  first_contact: firstContact,
  telegram_jobs: jobs?.n,
  ledger_mismatches: mismatches.length,
  notes:
    'app in the main thread; fake Bot API, fake upstream and load generator in a worker thread; PostgreSQL and Redis local, all on one machine',
});

await load.terminate();
await app.close();
await container.close();
await database.drop();
