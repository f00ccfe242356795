import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import type { EventLoopUtilization } from 'node:perf_hooks';
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
 * senders, each waiting for its answer's final message before its next update. Latency, on the
 * load thread's clock: the upstream's first content token -> first visible text (first non-empty
 * draft or message), and from the webhook POST to each of: upstream's first token, first visible
 * text, final message.
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
/** The app thread's event-loop use and the process's CPU time when each phase began (and `end`). */
const marks = new Map<string, { loop: EventLoopUtilization; cpu: NodeJS.CpuUsage }>();
load.on('message', (message: { type: string; name?: string }) => {
  if (message.type === 'phase' && message.name) {
    marks.set(message.name, { loop: performance.eventLoopUtilization(), cpu: process.cpuUsage() });
  }
});
const next = <T>(type: string) =>
  new Promise<T>((resolve, reject) => {
    const take = (message: { type: string }) => {
      if (message.type !== type) return;
      load.off('message', take);
      resolve(message as T);
    };
    load.on('message', take);
    load.once('error', reject);
  });
const fakes = await next<{ openaiUrl: string; telegramRoot: string; token: string }>('ready');

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

const loadBefore = loadavg();
const result = next<{ firstContact: object; returning: object }>('result');
load.postMessage({ origin });
const { firstContact, returning } = await result;
/**
 * The work per update in a phase, less sensitive to other load on the machine than updates/s:
 * the app thread's busy time (wall time its event loop was not idle, so it grows when the thread
 * waits for a core) and the CPU time of the whole process (app, fakes and load generator alike).
 */
const work = (from: string, to: string, updates: number) => {
  const start = marks.get(from)!;
  const end = marks.get(to)!;
  const used = performance.eventLoopUtilization(end.loop, start.loop);
  const cpuMs = (end.cpu.user + end.cpu.system - start.cpu.user - start.cpu.system) / 1000;
  return {
    app_thread_busy_ms_per_update: Number((used.active / updates).toFixed(2)),
    app_thread_utilization: Number(used.utilization.toFixed(2)),
    process_cpu_ms_per_update: Number((cpuMs / updates).toFixed(2)),
  };
};
await container.bots.drain();
const [jobs] = await database.sql<
  { n: number }[]
>`SELECT count(*)::int AS n FROM jobs WHERE channel = 'telegram'`;
const mismatches = await container.core.ledger.verify();

report('bots', {
  target_updates_per_second: 300,
  target_first_text_after_upstream_token_p50_ms: 50,
  concurrency: CONCURRENCY,
  users: USERS,
  /** Every update from someone already known: a chat turn with history. */
  returning_users: { ...returning, ...work('returning', 'end', UPDATES) },
  /** Each sender's first message: account, welcome credit and conversation created on the way. */
  first_contact: { ...firstContact, ...work('first_contact', 'returning', USERS) },
  telegram_jobs: jobs?.n,
  ledger_mismatches: mismatches.length,
  /** 1, 5 and 15 minute load averages of the machine, before and after the run. */
  load_average: {
    before: loadBefore.map((n) => Number(n.toFixed(2))),
    after: loadavg().map((n) => Number(n.toFixed(2))),
  },
  notes:
    'app in the main thread; fake Bot API, fake upstream and load generator in a worker thread; PostgreSQL and Redis local, all on one machine',
});

await load.terminate();
await app.close();
await container.close();
await database.drop();
