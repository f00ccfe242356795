import { randomBytes, randomInt } from 'node:crypto';
import pino from 'pino';
import { request } from 'undici';
import { parseConfig } from '../bin/config.js';
import { buildContainer } from '../bin/container.js';
import { buildHttp } from '../bin/http.js';
import { FAKE_OPENAI_KEY, startFakeOpenAI } from '../test/fakes/openai.js';
import { FakeTelegram, type TelegramCall } from '../test/fakes/telegram.js';
import { TEST_REDIS_URL } from '../test/helpers/env.js';
import { createTestDatabase, prepareTemplate } from '../test/helpers/test-database.js';
import { quantile, report } from './report.js';

/**
 * Telegram webhook updates per second, end to end: signed webhook POST -> dedupe, identity (a new
 * account with welcome credit for every sender), history, gateway (hold, zero-latency fake OpenAI
 * upstream, settle, job row) -> streamed reply into the fake Bot API (draft, then sendMessage).
 * Closed loop: CONCURRENCY senders, each waiting for its answer's final message before the next
 * update. Latency: webhook POST -> first visible text (first non-empty draft or message).
 */
const UPDATES = Number(process.env.BENCH_UPDATES ?? 3_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
/** People: their first messages are measured apart (account creation), then they keep chatting. */
const USERS = Number(process.env.BENCH_USERS ?? 600);
const SECRET = 'bench-secret';

await prepareTemplate();
const database = await createTestDatabase();
const openai = await startFakeOpenAI();
const telegram = await FakeTelegram.start();
const config = parseConfig({
  NODE_ENV: 'test',
  JWT_SECRET: randomBytes(32).toString('hex'),
  DATABASE_URL: database.url,
  DATABASE_POOL_SIZE: process.env.BENCH_POOL ?? '20',
  REDIS_URL: TEST_REDIS_URL,
  OPENAI_API_KEY: FAKE_OPENAI_KEY,
  OPENAI_BASE_URL: `${openai.url}/v1`,
  TELEGRAM_BOT_TOKEN: telegram.token,
  TELEGRAM_API_ROOT: telegram.apiRoot,
  TELEGRAM_WEBHOOK_SECRET: SECRET,
  WELCOME_CREDIT_IDR: '1000',
  RATE_LIMIT_RPM: '100000',
});
const container = buildContainer(config, pino({ level: 'silent' }));
const app = await buildHttp(container);
const origin = await app.listen({ port: 0, host: '127.0.0.1' });

// Time every call the fake Bot API receives, by chat: the first visible text and the final message.
const firstText = new Map<number, (at: number) => void>();
const finished = new Map<number, (at: number) => void>();
const record = telegram.calls.push.bind(telegram.calls);
telegram.calls.push = (...calls: TelegramCall[]) => {
  const at = performance.now();
  for (const call of calls) {
    const chatId = Number(call.params['chat_id']);
    const text = typeof call.params['text'] === 'string' ? call.params['text'] : '';
    if ((call.method === 'sendMessageDraft' && text !== '') || call.method === 'sendMessage') {
      firstText.get(chatId)?.(at);
      firstText.delete(chatId);
    }
    if (call.method === 'sendMessage') {
      finished.get(chatId)?.(at);
      finished.delete(chatId);
    }
  }
  // The transcript is not needed here; keep memory flat over thousands of updates.
  return record();
};

let updateId = randomInt(1, 2 ** 40);
const userBase = randomInt(1_000_000, 2 ** 40);

async function one(index: number): Promise<{ firstMs: number; totalMs: number }> {
  const chatId = userBase + (index % USERS);
  const update = {
    update_id: updateId++,
    message: {
      message_id: 1,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private', first_name: 'Bench' },
      from: { id: chatId, is_bot: false, first_name: 'Bench', language_code: 'id' },
      text: 'Halo, apa kabar? Tolong jawab singkat saja ya.',
    },
  };
  const first = new Promise<number>((resolve) => firstText.set(chatId, resolve));
  const done = new Promise<number>((resolve) => finished.set(chatId, resolve));
  const t0 = performance.now();
  const response = await request(`${origin}/telegram/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: JSON.stringify(update),
  });
  await response.body.dump();
  if (response.statusCode !== 200) throw new Error(`webhook answered ${response.statusCode}`);
  const [firstAt, doneAt] = await Promise.all([first, done]);
  return { firstMs: firstAt - t0, totalMs: doneAt - t0 };
}

async function run(count: number) {
  let next = 0;
  const firsts: number[] = [];
  const totals: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (;;) {
        const i = next++;
        if (i >= count) return;
        const { firstMs, totalMs } = await one(i);
        firsts.push(firstMs);
        totals.push(totalMs);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    updates: count,
    updates_per_second: Math.round(count / seconds),
    first_text_p50_ms: Number(quantile(firsts, 0.5).toFixed(1)),
    first_text_p99_ms: Number(quantile(firsts, 0.99).toFixed(1)),
    final_message_p50_ms: Number(quantile(totals, 0.5).toFixed(1)),
    final_message_p99_ms: Number(quantile(totals, 0.99).toFixed(1)),
  };
}

const firstContact = await run(USERS);
const returning = await run(UPDATES);
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
    'one process holds the app, the fake Bot API, the fake upstream and the load generator; PostgreSQL and Redis local; the machine was shared with other test runs',
});

await app.close();
await container.close();
await telegram.close();
await openai.close();
await database.drop();
