import type { ChildProcess } from 'node:child_process';
import { availableParallelism, cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { FAKE_OPENAI_KEY, startFakeOpenAI } from '../test/fakes/openai.js';
import { startAiport } from './lib/aiport-process.js';
import { startPortkey } from './lib/portkey.js';
import { report } from './report.js';

/**
 * The gateway's cost for one busy customer and for many, side by side with calling the same fake
 * OpenAI upstream (fixed latency) directly and through the Portkey gateway, in one run.
 *
 * AIport runs as `npm start` runs it (bin/main.ts in a child process: every role, request logging
 * at `info` to stdout, billing with a hold, a settle and a job row per request, rate limits checked
 * in Redis on every request, set high so none is refused). Scenarios, non-stream and stream:
 * - throughput: THROUGHPUT_CONNECTIONS connections, req/s (target: one account >= 1.5x Portkey);
 * - latency: LATENCY_CONNECTIONS connections, p50/p99 added over calling the fake directly
 *   (target: <= 2 ms / <= 10 ms);
 * each with one account and one key on every connection ("one account"), and with one account and
 * key per connection ("many accounts").
 *
 * The load generator and the fake upstream share this process; AIport and Portkey each run in a
 * child process. Loopback only; every run is bounded by request count, the whole benchmark by
 * BENCH_TIMEOUT_S. `BENCH_WORKERS` passes `--workers N` to the app; `BENCH_GATEWAY_NODE_ARGS` adds
 * node flags to it (e.g. `--cpu-prof --cpu-prof-dir=prof`).
 */
const THROUGHPUT_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 4_000);
const THROUGHPUT_CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const LATENCY_REQUESTS = Number(process.env.BENCH_LATENCY_REQUESTS ?? 1_000);
const LATENCY_CONNECTIONS = Number(process.env.BENCH_LATENCY_CONNECTIONS ?? 10);
const UPSTREAM_LATENCY_MS = Number(process.env.BENCH_UPSTREAM_LATENCY_MS ?? 20);
const WARMUP_REQUESTS = Number(process.env.BENCH_WARMUP_REQUESTS ?? 1_000);
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT_S ?? 900);
const WORKERS = process.env.BENCH_WORKERS;
// Only some scenarios: BENCH_ONLY=one|many, and/or stream|non-stream (comma-separated).
const ONLY = process.env.BENCH_ONLY ?? '';

const children: ChildProcess[] = [];
function stopChildren(): void {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
const deadline = setTimeout(() => {
  process.stderr.write(`gateway bench: over ${TIMEOUT_S}s, stopping\n`);
  stopChildren();
  process.exit(1);
}, TIMEOUT_S * 1000);
deadline.unref();
// Also on a crash: a child must never outlive the benchmark.
process.on('exit', stopChildren);

const loadBefore = loadavg();
const fake = await startFakeOpenAI();
const aiport = await startAiport({
  upstreamUrl: `${fake.url}/v1`,
  upstreamKey: FAKE_OPENAI_KEY,
  args: WORKERS ? ['--workers', WORKERS] : [],
  nodeArgs: (process.env.BENCH_GATEWAY_NODE_ARGS ?? '').split(' ').filter(Boolean),
});
children.push(aiport.child);
const portkey = await startPortkey();
if ('child' in portkey) children.push(portkey.child);

const oneKey = await aiport.accountsWithKeys(1);
const manyKeys = await aiport.accountsWithKeys(THROUGHPUT_CONNECTIONS);

function body(stream: boolean): string {
  return JSON.stringify({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Halo, apa kabar? Tolong jawab singkat.' }],
    max_tokens: 64,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  });
}

/** The app database's committed transactions, once PostgreSQL has published them (up to a second late). */
async function settledCommits(): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  return aiport.commits();
}

interface Figures {
  db_commits_per_request?: number;
  requests: number;
  errors: number;
  non2xx: number;
  req_per_s: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
}

type Target = { kind: 'direct' } | { kind: 'aiport'; keys: string[] } | { kind: 'portkey'; url: string };

function headersFor(target: Target, key: string): Record<string, string> {
  const base = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
  if (target.kind !== 'portkey') return base;
  // Portkey takes the provider and the upstream base URL per request, in headers.
  return { ...base, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${fake.url}/v1` };
}

function urlFor(target: Target): string {
  if (target.kind === 'direct') return `${fake.url}/v1/chat/completions`;
  if (target.kind === 'aiport') return `${aiport.url}/v1/chat/completions`;
  return `${target.url}/v1/chat/completions`;
}

async function load(target: Target, stream: boolean, amount: number, connections: number): Promise<Figures> {
  let connection = 0;
  const keys = target.kind === 'aiport' ? target.keys : [FAKE_OPENAI_KEY];
  // Every upstream request of this run waits the same fixed time (one scripted fault per request).
  fake.enqueue({ latencyMs: UPSTREAM_LATENCY_MS }, amount);
  const commitsBefore = target.kind === 'aiport' ? await settledCommits() : 0;
  const began = performance.now();
  let lastResponse = began;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon(
      {
        url: urlFor(target),
        method: 'POST',
        connections,
        amount,
        timeout: 10,
        headers: headersFor(target, keys[0]!),
        body: body(stream),
        // The key of each connection: the same one for one account, one per connection for many.
        setupClient: (client: autocannon.Client) => {
          client.setHeaders(headersFor(target, keys[connection++ % keys.length]!));
        },
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    run.on('response', () => {
      lastResponse = performance.now();
    });
  });
  // The fake records every request; nothing reads them here, so keep its memory flat.
  fake.requests.length = 0;
  const commits = target.kind === 'aiport' ? (await settledCommits()) - commitsBefore : undefined;
  return {
    ...(commits === undefined
      ? {}
      : { db_commits_per_request: Number((commits / result.requests.total).toFixed(2)) }),
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    // From the first request to the last answer: autocannon ends a run (and its `duration`) only at
    // its next one-second tick, which rounds every run up to whole seconds (4,000 requests in 7.1 s
    // read as 500 req/s, the same as in 7.9 s).
    req_per_s: Math.round(result.requests.total / Math.max(0.001, (lastResponse - began) / 1000)),
    p50_ms: result.latency.p50,
    p90_ms: result.latency.p90,
    p99_ms: result.latency.p99,
  };
}

/** One request through Portkey: whether this mode works there at all (and if not, its answer). */
async function portkeyProbe(stream: boolean): Promise<string | null> {
  if (!('url' in portkey)) return portkey.skipped;
  fake.enqueue({ latencyMs: 0 }, 1);
  const res = await fetch(urlFor({ kind: 'portkey', url: portkey.url }), {
    method: 'POST',
    headers: headersFor({ kind: 'portkey', url: portkey.url }, FAKE_OPENAI_KEY),
    body: body(stream),
  });
  const text = await res.text();
  if (res.ok && (!stream || text.includes('[DONE]'))) return null;
  await new Promise((resolve) => setTimeout(resolve, 200));
  const logged = /\w*Error: [^\n]*/.exec(portkey.errors())?.[0];
  return `HTTP ${res.status}: ${text.slice(0, 200)}${logged ? `; Portkey logged: ${logged.slice(0, 200)}` : ''}`;
}

function added(via: Figures, direct: Figures) {
  return {
    added_p50_ms: via.p50_ms - direct.p50_ms,
    added_p99_ms: via.p99_ms - direct.p99_ms,
  };
}

const one: Target = { kind: 'aiport', keys: oneKey };
const many: Target = { kind: 'aiport', keys: manyKeys };
const only = ONLY.split(',').filter(Boolean);
const wanted = (name: string) => only.length === 0 || only.includes(name);
const runOne = wanted('one') || !only.some((o) => o === 'many');
const runMany = wanted('many') || !only.some((o) => o === 'one');
const runStream = (stream: boolean) =>
  wanted(stream ? 'stream' : 'non-stream') || !only.some((o) => o === 'stream' || o === 'non-stream');

/** Direct, AIport (one account, then many) and Portkey on one mode, in that order, back to back. */
async function scenario(stream: boolean, connections: number, amount: number) {
  const portkeyBroken = await portkeyProbe(stream);
  const direct = await load({ kind: 'direct' }, stream, amount, connections);
  const oneFigures = !runOne ? null : await load(one, stream, amount, connections);
  const manyFigures = !runMany ? null : await load(many, stream, amount, connections);
  const portkeyFigures =
    portkeyBroken || !('url' in portkey)
      ? null
      : await load({ kind: 'portkey', url: portkey.url }, stream, amount, connections);
  const ratio = (f: Figures | null) =>
    f && portkeyFigures ? Number((f.req_per_s / Math.max(1, portkeyFigures.req_per_s)).toFixed(2)) : null;
  return {
    mode: stream ? 'stream' : 'non-stream',
    connections,
    direct,
    one_account: oneFigures && {
      ...oneFigures,
      ...added(oneFigures, direct),
      vs_portkey_req_per_s: ratio(oneFigures),
    },
    many_accounts: manyFigures && {
      ...manyFigures,
      ...added(manyFigures, direct),
      vs_portkey_req_per_s: ratio(manyFigures),
    },
    portkey: portkeyFigures
      ? { ...portkeyFigures, ...added(portkeyFigures, direct) }
      : { skipped: portkeyBroken },
  };
}

// Warm every path (connection pools, JIT, the tokenizer's tables) in both modes.
for (const stream of [false, true]) {
  if (!runStream(stream)) continue;
  await load({ kind: 'direct' }, stream, WARMUP_REQUESTS, THROUGHPUT_CONNECTIONS);
  if (runOne) await load(one, stream, WARMUP_REQUESTS, THROUGHPUT_CONNECTIONS);
  if (runMany) await load(many, stream, WARMUP_REQUESTS, THROUGHPUT_CONNECTIONS);
  if ('url' in portkey && !(await portkeyProbe(stream)))
    await load({ kind: 'portkey', url: portkey.url }, stream, WARMUP_REQUESTS, THROUGHPUT_CONNECTIONS);
}

const results: Awaited<ReturnType<typeof scenario>>[] = [];
for (const stream of [false, true]) {
  if (!runStream(stream)) continue;
  results.push(await scenario(stream, THROUGHPUT_CONNECTIONS, THROUGHPUT_REQUESTS));
  results.push(await scenario(stream, LATENCY_CONNECTIONS, LATENCY_REQUESTS));
}

const jobsByStatus = await aiport.jobsByStatus();
const mismatches = await aiport.ledgerMismatches();
const throughputOf = (mode: string) =>
  results.find((r) => r.mode === mode && r.connections === THROUGHPUT_CONNECTIONS);
const latencyOf = (mode: string) =>
  results.find((r) => r.mode === mode && r.connections === LATENCY_CONNECTIONS);
const verdict = (mode: string, who: 'one_account' | 'many_accounts') => ({
  req_per_s_vs_portkey: throughputOf(mode)?.[who]?.vs_portkey_req_per_s ?? null,
  added_p50_ms: latencyOf(mode)?.[who]?.added_p50_ms ?? null,
  added_p99_ms: latencyOf(mode)?.[who]?.added_p99_ms ?? null,
});
report('gateway', {
  setup: {
    app: `npm start (bin/main.ts, every role, ${WORKERS ? `--workers ${WORKERS}` : `${availableParallelism()} processes (the default: one per core)`}), LOG_LEVEL info (default) to stdout`,
    billing:
      'hold + settle + job row per request (group commit: batches of concurrent requests, one pipelined transaction each; holds commit without waiting for the WAL flush, settles wait for it)',
    rate_limits: 'on (Redis, spent from local slices of each counter: sliced-limiter.ts; limits set high)',
    upstream_latency_ms: UPSTREAM_LATENCY_MS,
    throughput: { connections: THROUGHPUT_CONNECTIONS, requests: THROUGHPUT_REQUESTS },
    latency: { connections: LATENCY_CONNECTIONS, requests: LATENCY_REQUESTS },
    one_account: '1 account, 1 key on every connection',
    many_accounts: `${THROUGHPUT_CONNECTIONS} accounts, one key per connection`,
    portkey:
      'url' in portkey
        ? '@portkey-ai/gateway build/start-server.js --headless, NODE_ENV=production, x-portkey-custom-host = the fake; with lib/portkey-headers-shim.mjs so its OpenAI streams run under Node at all; its stream reader waits 25 ms before passing on the first chunk (its own code), which its stream figures include'
        : `skipped: ${portkey.skipped}`,
    processes: 'autocannon + fake upstream in the bench process; AIport and Portkey each in a child process',
    cpus: cpus().length,
    load_average_1m: { before: Number(loadBefore[0]!.toFixed(2)), after: Number(loadavg()[0]!.toFixed(2)) },
  },
  targets: { req_per_s_vs_portkey: 1.5, added_p50_ms: 2, added_p99_ms: 10 },
  measured: {
    'non-stream': {
      one_account: verdict('non-stream', 'one_account'),
      many_accounts: verdict('non-stream', 'many_accounts'),
    },
    stream: {
      one_account: verdict('stream', 'one_account'),
      many_accounts: verdict('stream', 'many_accounts'),
    },
  },
  results,
  jobs_by_status: jobsByStatus,
  ledger_mismatches: mismatches,
});
await aiport.stop();
stopChildren();
await fake.close();
process.exit(0);
