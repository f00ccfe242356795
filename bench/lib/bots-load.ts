import { randomInt } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { request } from 'undici';
import { startFakeOpenAI } from '../../test/fakes/openai.js';
import { FakeTelegram, type TelegramCall } from '../../test/fakes/telegram.js';
import { quantile } from '../report.js';

/**
 * The other side of bench/bots.ts, in its own thread so it does not share the app's event loop:
 * the fake upstream, the fake Bot API and the load generator. Messages: it posts `ready` with the
 * fakes' addresses, waits for `go` with the app's origin, then posts `result`.
 */
const { updates, concurrency, users, secret } = workerData as {
  updates: number;
  concurrency: number;
  users: number;
  secret: string;
};
const port = parentPort!;

const openai = await startFakeOpenAI();
const telegram = await FakeTelegram.start();

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
  // Nothing is read back from the call log here; keep memory flat over thousands of updates.
  return record();
};

port.postMessage({
  type: 'ready',
  openaiUrl: openai.url,
  telegramRoot: telegram.apiRoot,
  token: telegram.token,
});
const origin = await new Promise<string>((resolve) =>
  port.once('message', (message: { origin: string }) => resolve(message.origin)),
);

let updateId = randomInt(1, 2 ** 40);
const userBase = randomInt(1_000_000, 2 ** 40);

async function one(index: number): Promise<{ firstMs: number; totalMs: number }> {
  const chatId = userBase + (index % users);
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
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
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
    Array.from({ length: concurrency }, async () => {
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

const firstContact = await run(users);
const returning = await run(updates);
port.postMessage({ type: 'result', firstContact, returning });
await telegram.close();
await openai.close();
