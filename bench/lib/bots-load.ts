import { randomInt } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { request } from 'undici';
import type { RecordedRequest } from '../../test/fakes/llm-server.js';
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

/**
 * Each update's prompt ends with its marker, `(#<update_id>)`: the upstream sees it in the last
 * user message and the answer echoes it, so both fakes can tell which update they are serving.
 */
const marker = (updateId: number) => `(#${updateId})`;
const MARKER = /\(#(\d+)\)\s*$/;

/**
 * Moments waited for: the upstream's first content token by update id; the first visible text and
 * the final message by chat id (a chat has one update in flight: its sender waits for the answer).
 */
const upstreamFirst = new Map<number, (at: number) => void>();
const firstText = new Map<number, (at: number) => void>();
const finished = new Map<number, (at: number) => void>();
const settle = (waiting: Map<number, (at: number) => void>, id: number, at: number) => {
  waiting.get(id)?.(at);
  waiting.delete(id);
};

// The fake upstream records each request, then (no latency scripted) writes the whole SSE stream in
// the same tick: the moment it records a request is when its first content token goes out.
const recordUpstream = openai.requests.push.bind(openai.requests);
openai.requests.push = (...requests: RecordedRequest[]) => {
  const at = performance.now();
  for (const request of requests) {
    const updateId = updateOfPrompt(request.body);
    if (updateId !== undefined) settle(upstreamFirst, updateId, at);
  }
  // Nothing is read back from the request log here; keep memory flat over thousands of updates.
  return recordUpstream();
};

const recordTelegram = telegram.calls.push.bind(telegram.calls);
telegram.calls.push = (...calls: TelegramCall[]) => {
  const at = performance.now();
  for (const call of calls) {
    const chatId = Number(call.params['chat_id']);
    const text = typeof call.params['text'] === 'string' ? call.params['text'] : '';
    if ((call.method === 'sendMessageDraft' && text !== '') || call.method === 'sendMessage') {
      settle(firstText, chatId, at);
    }
    if (call.method === 'sendMessage') settle(finished, chatId, at);
  }
  // Nothing is read back from the call log here either.
  return recordTelegram();
};

/** The update id in the last user message of an OpenAI chat-completions request body. */
function updateOfPrompt(body: unknown): number | undefined {
  const messages = (body as { messages?: { role?: string; content?: unknown }[] } | undefined)?.messages;
  const last = messages?.at(-1);
  if (last?.role !== 'user') return undefined;
  const text =
    typeof last.content === 'string'
      ? last.content
      : Array.isArray(last.content)
        ? last.content
            .map((part: { text?: unknown }) => (typeof part.text === 'string' ? part.text : ''))
            .join('')
        : '';
  const found = MARKER.exec(text)?.[1];
  return found === undefined ? undefined : Number(found);
}

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

/** One update's moments, in ms after its webhook POST was sent. */
interface Timings {
  /** The upstream sent its first content token. */
  upstream: number;
  /** The first non-empty draft or message reached the Bot API. */
  first: number;
  /** The answer's final message reached the Bot API. */
  final: number;
}

async function one(index: number): Promise<Timings> {
  const chatId = userBase + (index % users);
  const id = updateId++;
  const update = {
    update_id: id,
    message: {
      message_id: 1,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private', first_name: 'Bench' },
      from: { id: chatId, is_bot: false, first_name: 'Bench', language_code: 'id' },
      text: `Halo, apa kabar? Tolong jawab singkat saja ya. ${marker(id)}`,
    },
  };
  const upstream = new Promise<number>((resolve) => upstreamFirst.set(id, resolve));
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
  const [upstreamAt, firstAt, doneAt] = await Promise.all([upstream, first, done]);
  return { upstream: upstreamAt - t0, first: firstAt - t0, final: doneAt - t0 };
}

const ms = (values: number[], q: number) => Number(quantile(values, q).toFixed(1));

async function run(count: number) {
  let next = 0;
  const timings: Timings[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= count) return;
        timings.push(await one(i));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const afterUpstream = timings.map((t) => t.first - t.upstream);
  const firsts = timings.map((t) => t.first);
  const upstreams = timings.map((t) => t.upstream);
  const finals = timings.map((t) => t.final);
  return {
    updates: count,
    updates_per_second: Math.round(count / seconds),
    /** The latency: upstream's first content token -> first visible text. */
    first_text_after_upstream_token_p50_ms: ms(afterUpstream, 0.5),
    first_text_after_upstream_token_p99_ms: ms(afterUpstream, 0.99),
    /** Webhook POST -> upstream's first token: our admission work (dedupe ... hold) before the call. */
    upstream_token_after_webhook_p50_ms: ms(upstreams, 0.5),
    upstream_token_after_webhook_p99_ms: ms(upstreams, 0.99),
    /** Webhook POST -> first visible text (the figure reported before this split). */
    first_text_after_webhook_p50_ms: ms(firsts, 0.5),
    first_text_after_webhook_p99_ms: ms(firsts, 0.99),
    final_message_after_webhook_p50_ms: ms(finals, 0.5),
    final_message_after_webhook_p99_ms: ms(finals, 0.99),
  };
}

/** Tells the app's thread where each phase starts, so it can measure its own work per phase. */
const phase = (name: string) => port.postMessage({ type: 'phase', name });
phase('first_contact');
const firstContact = await run(users);
phase('returning');
const returning = await run(updates);
phase('end');
port.postMessage({ type: 'result', firstContact, returning });
await telegram.close();
await openai.close();
