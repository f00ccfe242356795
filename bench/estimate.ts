import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { fromOpenAiRequest } from '../api/v1/openai-request.js';
import { idrToMrp } from '../core/ledger/index.js';
import { chatHold, estimateInputTokens } from '../core/metering/index.js';
import { FAKE_OPENAI_KEY, startFakeOpenAI } from '../test/fakes/openai.js';
import { createTestApp } from '../test/helpers/test-app.js';
import { prepareTemplate } from '../test/helpers/test-database.js';
import { quantile, report } from './report.js';

/**
 * Estimation never blocks the server: the event-loop delay of the real app (PostgreSQL, Redis, rate
 * limits, billing on) while hostile chat requests arrive over HTTP: long runs of one character (the
 * tokenizer's quadratic case), megabyte messages, thousands of tiny messages and deep tool schemas.
 * They come from an account with Rp 1, so each one goes through admission (parse, validate, input
 * bound, then the balance pre-check of a large request, or the estimate, rate limit and hold of a
 * smaller one) and ends in 402 before any upstream call.
 * The client sends from a thread of its own, so its work is not counted as the server's.
 * Target: max delay under 20 ms. Wall-clock delay includes whatever else the machine runs (its
 * load average is reported beside it), so on Linux the loop's blocking is also measured in this
 * thread's CPU time between timer ticks (`event_loop_blocked_cpu_ms`; that clock advances in
 * scheduler ticks, so each figure is good to a few milliseconds), and the estimation step alone.
 * Bounded by BENCH_ROUNDS and BENCH_TIMEOUT_S (default 60 s). BENCH_INPUTS (names, comma-separated)
 * sends only those inputs, for looking at one case; the reported figures are those of a full run.
 *
 * BENCH_FUNDED=1 measures admitted large prompts instead (reported as `estimate-funded`): a 1 MB and
 * an 8 MB prompt from an account that can pay for them, so each is held, written as a job, sent to
 * the fake upstream (on a thread of its own: parsing megabytes is its work, not the app's), settled.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT_S ?? 60);

const deadline = setTimeout(() => {
  process.stderr.write(`estimate bench: over ${TIMEOUT_S}s, stopping\n`);
  process.exit(1);
}, TIMEOUT_S * 1000);
deadline.unref();

function deepSchema(depth: number): Record<string, unknown> {
  let schema: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < depth; i++) schema = { type: 'object', properties: { [`p${i}`]: schema } };
  return schema;
}

const user = (content: string) => ({ role: 'user', content });
const dense = Array.from({ length: 300_000 }, (_, i) => String.fromCharCode(0x4e00 + (i % 5000))).join('');
const FUNDED = process.env.BENCH_FUNDED === '1';
const FUNDED_INPUTS: Record<string, unknown> = {
  one_megabyte_prose: { messages: [user('halo apa kabar, semoga sehat selalu. '.repeat(28_000))] },
  eight_megabytes: { messages: [user('x'.repeat(8_000_000))] },
};
const HOSTILE: Record<string, unknown> = {
  run_63k_spaces: { messages: [user(' '.repeat(63_000))] },
  run_1m_letters: { messages: [user('a'.repeat(1_000_000))] },
  spaces_then_dense: { messages: [user(`${' '.repeat(70_000)}${dense}`)] },
  megabyte_prose: { messages: [user('halo apa kabar, semoga sehat selalu. '.repeat(28_000))] },
  eight_megabytes: { messages: [user('x'.repeat(8_000_000))] },
  tiny_messages_5000: { messages: Array.from({ length: 5_000 }, (_, i) => user(`m${i}`)) },
  deep_tool_schema: {
    messages: [user('halo')],
    tools: Array.from({ length: 64 }, (_, i) => ({
      type: 'function',
      function: { name: `t${i}`, description: 'd'.repeat(2_000), parameters: deepSchema(60) },
    })),
  },
};

await prepareTemplate();
const upstream = await startUpstream();
const t = await createTestApp({
  env: { OPENAI_API_KEY: FAKE_OPENAI_KEY, OPENAI_BASE_URL: `${upstream.url}/v1` },
});
const url = await t.listen();
const { core } = t.container;
const [row] = await core.db.sql<{ id: string }[]>`INSERT INTO accounts DEFAULT VALUES RETURNING id`;
await core.ledger.credit('topup', {
  accountId: row!.id,
  // Rp 1 refuses every hostile input; the funded run's Rp 100 million pays for all of its prompts.
  amountMrp: idrToMrp(FUNDED ? 100_000_000 : 1),
  idempotencyKey: `bench-estimate:${row!.id}`,
});
const { secret } = await core.apiKeys.create(row!.id, { name: 'bench' });
// Generous limits: the benchmark measures estimation, not the rate limiter's answers.
const limits = { requestsPerMinute: 100_000, tokensPerMinute: 1_000_000_000 };
await core.db.sql`UPDATE accounts SET limits = ${core.db.sql.json(limits)} WHERE id = ${row!.id}`;

const only = process.env.BENCH_INPUTS?.split(',');
const bodies = Object.entries(FUNDED ? FUNDED_INPUTS : HOSTILE)
  .filter(([name]) => !only || only.includes(name))
  .map(([name, body]) => ({
    name,
    text: JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 16, ...(body as object) }),
  }));

/**
 * The fake upstream: in this thread for the hostile inputs (none reaches it), on a thread of its own
 * for the funded ones (it reads and parses megabytes per request). `close` returns its call count.
 */
async function startUpstream(): Promise<{ url: string; close(): Promise<number> }> {
  if (!FUNDED) {
    const fake = await startFakeOpenAI();
    return {
      url: fake.url,
      async close() {
        const calls = fake.requests.length;
        await fake.close();
        return calls;
      },
    };
  }
  // The thread registers tsx itself: loader flags are not inherited by worker threads.
  const script = new URL('./lib/fake-upstream-thread.ts', import.meta.url).href;
  const thread = new Worker(
    `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(script)}); });`,
    { eval: true },
  );
  const next = (type: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const take = (message: Record<string, unknown>) => {
        if (message.type !== type) return;
        thread.off('message', take);
        resolve(message);
      };
      thread.on('message', take);
      thread.once('error', reject);
    });
  const { url } = await next('ready');
  return {
    url: String(url),
    async close() {
      const closed = next('closed');
      thread.postMessage({ type: 'close' });
      const { calls } = await closed;
      await thread.terminate();
      return Number(calls);
    },
  };
}

/**
 * The hostile client runs on a thread of its own: encoding and sending megabytes is the client's
 * work, and on this thread it would be counted as the server's event-loop delay.
 */
const CLIENT_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, secret, bodies } = workerData;
async function send(bytes) {
  const began = performance.now();
  const res = await fetch(url + '/v1/chat/completions', {
    method: 'POST',
    headers: { authorization: 'Bearer ' + secret, 'content-type': 'application/json' },
    body: bytes,
  });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - began };
}
parentPort.on('message', async ({ index, concurrency }) => {
  const results = await Promise.all(Array.from({ length: concurrency }, () => send(bodies[index])));
  parentPort.postMessage(results);
});
`;
const client = new Worker(CLIENT_SOURCE, {
  eval: true,
  workerData: { url, secret, bodies: bodies.map((b) => new TextEncoder().encode(b.text)) },
});
const replies: ((results: { status: number; ms: number }[]) => void)[] = [];
client.on('message', (results) => replies.shift()?.(results));

/** Sends one hostile body `concurrency` times at once, from the client thread. */
function sendAll(index: number, concurrency: number): Promise<{ status: number; ms: number }[]> {
  return new Promise((resolve) => {
    replies.push(resolve);
    client.postMessage({ index, concurrency });
  });
}

/**
 * This thread's time on a CPU, in ms (Linux: /proc schedstat, nanoseconds), or undefined elsewhere.
 * Wall-clock gaps on a shared machine also count the time other processes held the CPU; the CPU
 * time between two timer ticks is the synchronous work that really blocked the loop.
 */
const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;
const hasSchedstat = existsSync(SCHEDSTAT);
function threadCpuMs(): number {
  return Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[0]) / 1e6;
}

/**
 * The gaps of a 1 ms timer while `work` runs: how long the loop was blocked, in wall-clock time
 * and (where measurable) in this thread's CPU time.
 */
async function loopGaps(work: () => Promise<void>): Promise<{ wall: number[]; cpu: number[] }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  let last = performance.now();
  let lastCpu = hasSchedstat ? threadCpuMs() : 0;
  const timer = setInterval(() => {
    const now = performance.now();
    wall.push(Math.max(0, now - last - 1));
    last = now;
    if (hasSchedstat) {
      const nowCpu = threadCpuMs();
      cpu.push(nowCpu - lastCpu);
      lastCpu = nowCpu;
    }
  }, 1);
  await work();
  clearInterval(timer);
  return { wall, cpu };
}

interface KindFigures {
  statuses: Record<string, number>;
  latencies: number[];
  gaps: number[];
  cpuGaps: number[];
}
const histogram = monitorEventLoopDelay({ resolution: 1 });
/** Garbage-collection pauses on this thread while the hostile requests arrive (wall ms, by kind). */
const gcPauses: { kind: string; ms: number }[] = [];
const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak_callbacks',
};
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const detail: unknown = Reflect.get(entry, 'detail');
    const kind = typeof detail === 'object' && detail !== null ? Number(Reflect.get(detail, 'kind')) : 0;
    gcPauses.push({ kind: GC_KINDS[kind] ?? String(kind), ms: entry.duration });
  }
});
const perKind: Record<string, KindFigures> = {};
const began = performance.now();
histogram.enable();
gcObserver.observe({ entryTypes: ['gc'] });
for (let round = 0; round < ROUNDS; round++) {
  for (const [index, body] of bodies.entries()) {
    const entry = perKind[body.name] ?? { statuses: {}, latencies: [], gaps: [], cpuGaps: [] };
    perKind[body.name] = entry;
    const gaps = await loopGaps(async () => {
      const results = await sendAll(index, CONCURRENCY);
      for (const r of results) {
        entry.statuses[r.status] = (entry.statuses[r.status] ?? 0) + 1;
        entry.latencies.push(r.ms);
      }
    });
    entry.gaps.push(...gaps.wall);
    entry.cpuGaps.push(...gaps.cpu);
  }
}
histogram.disable();
gcObserver.disconnect();

// The estimation step alone (input bound + token estimate), as the gateway runs it, with the
// server idle: how long it blocks this thread (its synchronous part; the tokenizer itself runs on a
// thread of its own) and how long until the estimate is known. Wall-clock ms: this thread's CPU
// clock (schedstat) advances in scheduler ticks of milliseconds, too coarse for one call. Each time
// on a request of its own (a request's texts are measured once and remembered).
const benchModel = core.catalog.get('gpt-4o-mini', 'chat');
const estimation: Record<string, { blocking: number; answer: number }> = {};
for (const body of bodies) {
  let blocking = 0;
  let answer = 0;
  for (let i = 0; i < 10; i++) {
    const request = fromOpenAiRequest(JSON.parse(body.text));
    const began = performance.now();
    const hold = chatHold(benchModel, request);
    const counted = estimateInputTokens(request).then((estimate) => Math.min(estimate, hold.inputTokens));
    blocking = Math.max(blocking, performance.now() - began);
    await counted;
    answer = Math.max(answer, performance.now() - began);
  }
  estimation[body.name] = {
    blocking: Math.round(blocking * 100) / 100,
    answer: Math.round(answer * 100) / 100,
  };
}
const elapsedS = (performance.now() - began) / 1000;

await client.terminate();
await t.close();
const upstreamCalls = await upstream.close();

/** Over every input: the longest and 99th-percentile CPU time the loop spent between two ticks. */
function cpuFigures() {
  const all = Object.values(perKind).flatMap((e) => e.cpuGaps);
  return {
    max: Math.round(Math.max(...all) * 100) / 100,
    p99: Math.round(quantile(all, 0.99) * 100) / 100,
  };
}

const ms = (ns: number) => Math.round((ns / 1e6) * 100) / 100;
report(FUNDED ? 'estimate-funded' : 'estimate', {
  rounds: ROUNDS,
  concurrency: CONCURRENCY,
  requests: ROUNDS * CONCURRENCY * bodies.length,
  elapsed_s: Math.round(elapsedS * 10) / 10,
  upstream_calls: upstreamCalls,
  event_loop_delay_ms: {
    max: ms(histogram.max),
    p99: ms(histogram.percentile(99)),
    p50: ms(histogram.percentile(50)),
    mean: ms(histogram.mean),
  },
  ...(hasSchedstat ? { event_loop_blocked_cpu_ms: cpuFigures() } : {}),
  gc_pauses_ms: Object.fromEntries(
    [...new Set(gcPauses.map((p) => p.kind))].map((kind) => {
      const pauses = gcPauses.filter((p) => p.kind === kind).map((p) => p.ms);
      return [
        kind,
        {
          count: pauses.length,
          max: Math.round(Math.max(...pauses) * 100) / 100,
          total: Math.round(pauses.reduce((a, b) => a + b, 0) * 10) / 10,
        },
      ];
    }),
  ),
  target_max_ms: 20,
  load_average_1m: loadavg()[0],
  by_input: Object.fromEntries(
    Object.entries(perKind).map(([name, e]) => [
      name,
      {
        statuses: e.statuses,
        bytes: bodies.find((b) => b.name === name)!.text.length,
        loop_delay_max_ms: Math.round(Math.max(...e.gaps)),
        loop_delay_p99_ms: Math.round(quantile(e.gaps, 0.99)),
        ...(hasSchedstat
          ? {
              loop_block_cpu_max_ms: Math.round(Math.max(...e.cpuGaps) * 10) / 10,
              loop_block_cpu_p99_ms: Math.round(quantile(e.cpuGaps, 0.99) * 10) / 10,
            }
          : {}),
        estimation_blocking_max_ms: estimation[name]?.blocking,
        estimation_answer_max_ms: estimation[name]?.answer,
        request_p50_ms: Math.round(quantile(e.latencies, 0.5)),
      },
    ]),
  ),
});
process.exit(0);
