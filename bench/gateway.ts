import { type ChildProcess, fork, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import autocannon from 'autocannon';
import { FAKE_OPENAI_KEY, startFakeOpenAI } from '../test/fakes/openai.js';
import { report } from './report.js';

/**
 * The gateway's added latency: autocannon against `/v1/chat/completions` (non-stream and stream),
 * side by side with calling the same fake OpenAI upstream (fixed latency) directly and through the
 * Portkey gateway (`@portkey-ai/gateway`, started locally on loopback). Billing, rate limits and job
 * rows are all on.
 *
 * Processes: the load generator and the fake upstream share this process; our gateway (the real
 * app, bench/lib/gateway-server.ts) and Portkey each run in a child process of their own, so the
 * gateway under test gets its own core as in production. Loopback only; every run is bounded by
 * request count, and the whole benchmark by BENCH_TIMEOUT_S.
 */
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 4_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const SEQUENTIAL_REQUESTS = Number(process.env.BENCH_SEQUENTIAL_REQUESTS ?? 300);
const UPSTREAM_LATENCY_MS = Number(process.env.BENCH_UPSTREAM_LATENCY_MS ?? 20);
// The pool the gateway process uses (production sets DATABASE_POOL_SIZE; 10 is its default).
const DB_POOL = Number(process.env.BENCH_DB_POOL ?? 25);
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT_S ?? 600);
const WARMUP_REQUESTS = Number(process.env.BENCH_WARMUP_REQUESTS ?? 500);

const children: ChildProcess[] = [];
function stopChildren(): void {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
}
const deadline = setTimeout(() => {
  process.stderr.write(`gateway bench: over ${TIMEOUT_S}s, stopping\n`);
  stopChildren();
  process.exit(1);
}, TIMEOUT_S * 1000);
deadline.unref();
// Also on a crash: a child must never outlive the benchmark.
process.on('exit', stopChildren);

const fake = await startFakeOpenAI();

interface Ready {
  type: 'ready';
  url: string;
  keys: string[];
  pool: number;
}
interface GatewayReport {
  type: 'report';
  jobs_by_status: Record<string, number>;
  ledger_mismatches: number;
}

const gateway = fork(new URL('./lib/gateway-server.ts', import.meta.url), [], {
  // BENCH_GATEWAY_NODE_ARGS: extra node flags for the gateway process, e.g. `--cpu-prof`.
  execArgv: ['--import', 'tsx', ...(process.env.BENCH_GATEWAY_NODE_ARGS ?? '').split(' ').filter(Boolean)],
  env: {
    ...process.env,
    BENCH_UPSTREAM_URL: `${fake.url}/v1`,
    BENCH_UPSTREAM_KEY: FAKE_OPENAI_KEY,
    BENCH_ACCOUNTS: String(CONNECTIONS),
    DATABASE_POOL_SIZE: String(DB_POOL),
  },
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
children.push(gateway);
function nextMessage<T>(type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type?: string }) => {
      if (message.type !== type) return;
      gateway.off('exit', onExit);
      gateway.off('message', onMessage);
      resolve(message as T);
    };
    const onExit = (code: number | null) => reject(new Error(`gateway process exited (${code})`));
    gateway.on('message', onMessage);
    gateway.once('exit', onExit);
  });
}
const ready = await nextMessage<Ready>('ready');
const { keys } = ready;

const portkey = await startPortkey();

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

let portkeyErrors = '';

/** Portkey's published Node server (its package bin), or why it could not be started. */
async function startPortkey(): Promise<{ url: string } | { skipped: string }> {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve('@portkey-ai/gateway/build/start-server.js');
  } catch {
    return { skipped: '@portkey-ai/gateway is not installed' };
  }
  const port = await freePort();
  // NODE_ENV=production and --headless: no console UI, no browser, no dev logging.
  const child = spawn(process.execPath, [entry, `--port=${port}`, '--headless'], {
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  // Its own error log, kept short: a failing mode is reported with Portkey's own reason.
  child.stderr?.on('data', (chunk: Buffer) => {
    portkeyErrors = (portkeyErrors + chunk.toString()).slice(-4_000);
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100 && child.exitCode === null; i++) {
    const up = await fetch(url).then(
      () => true,
      () => false,
    );
    if (up) return { url };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { skipped: `the Portkey server did not start on ${url} (exit code ${child.exitCode})` };
}

function body(stream: boolean): string {
  return JSON.stringify({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Halo, apa kabar? Tolong jawab singkat.' }],
    max_tokens: 64,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  });
}

interface Figures {
  requests: number;
  errors: number;
  non2xx: number;
  req_per_s: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
}

type Target = 'direct' | 'aiport' | 'portkey';

function headersFor(target: Target, key: string): Record<string, string> {
  const base = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
  if (target !== 'portkey') return base;
  // Portkey takes the provider and the upstream base URL per request, in headers.
  return { ...base, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${fake.url}/v1` };
}

function urlFor(target: Target): string {
  if (target === 'direct') return `${fake.url}/v1/chat/completions`;
  if (target === 'aiport') return `${ready.url}/v1/chat/completions`;
  return `${(portkey as { url: string }).url}/v1/chat/completions`;
}

async function load(target: Target, stream: boolean, amount: number, connections: number): Promise<Figures> {
  let connection = 0;
  // Every upstream request of this run waits the same fixed time (one scripted fault per request;
  // a short queue, as the fake takes faults from the front of an array).
  fake.enqueue({ latencyMs: UPSTREAM_LATENCY_MS }, amount);
  const result = await autocannon({
    url: urlFor(target),
    method: 'POST',
    connections,
    amount,
    timeout: 10,
    headers: headersFor(target, target === 'aiport' ? keys[0]! : FAKE_OPENAI_KEY),
    body: body(stream),
    // One of our keys (one account) per connection.
    ...(target === 'aiport'
      ? {
          setupClient: (client: autocannon.Client) => {
            client.setHeaders(headersFor(target, keys[connection++ % keys.length]!));
          },
        }
      : {}),
  });
  return {
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    // Over the run's real duration: autocannon's per-second average counts whole-second buckets,
    // which quantizes a run of a few seconds (4000 requests in 8.x s would read 444 or 500).
    req_per_s: Math.round(result.requests.total / Math.max(0.001, result.duration)),
    p50_ms: result.latency.p50,
    p90_ms: result.latency.p90,
    p99_ms: result.latency.p99,
  };
}

/** One request through Portkey: whether this mode works there at all (and if not, its answer). */
async function portkeyProbe(stream: boolean): Promise<string | null> {
  if (!('url' in portkey)) return portkey.skipped;
  fake.enqueue({ latencyMs: 0 }, 1);
  const res = await fetch(urlFor('portkey'), {
    method: 'POST',
    headers: headersFor('portkey', FAKE_OPENAI_KEY),
    body: body(stream),
  });
  const text = await res.text();
  if (res.ok && (!stream || text.includes('[DONE]'))) return null;
  // Give its error log a moment to arrive, then quote the first error line it wrote.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const logged = /\w*Error: [^\n]*/.exec(portkeyErrors)?.[0];
  return `HTTP ${res.status}: ${text.slice(0, 200)}${logged ? `; Portkey logged: ${logged.slice(0, 200)}` : ''}`;
}

function added(via: Figures, direct: Figures) {
  return {
    added_p50_ms: via.p50_ms - direct.p50_ms,
    added_p99_ms: via.p99_ms - direct.p99_ms,
    req_per_s_ratio: Number((via.req_per_s / Math.max(1, direct.req_per_s)).toFixed(2)),
  };
}

async function compare(stream: boolean, connections: number, amount: number) {
  const portkeyBroken = await portkeyProbe(stream);
  // Warm every path (connection pools, JIT, the tokenizer's tables).
  const warmup = Math.max(WARMUP_REQUESTS, connections);
  await load('direct', stream, warmup, connections);
  await load('aiport', stream, warmup, connections);
  if (!portkeyBroken) await load('portkey', stream, warmup, connections);
  const direct = await load('direct', stream, amount, connections);
  const aiport = await load('aiport', stream, amount, connections);
  const portkeyFigures = portkeyBroken ? null : await load('portkey', stream, amount, connections);
  return {
    mode: stream ? 'stream' : 'non-stream',
    connections,
    direct,
    gateway: aiport,
    ...added(aiport, direct),
    portkey: portkeyFigures
      ? { ...portkeyFigures, ...added(portkeyFigures, direct) }
      : { skipped: portkeyBroken },
  };
}

// One connection first: the gateway's own added latency without queueing; then the loaded case.
const results = [
  await compare(false, 1, SEQUENTIAL_REQUESTS),
  await compare(true, 1, SEQUENTIAL_REQUESTS),
  await compare(false, CONNECTIONS, REQUESTS),
  await compare(true, CONNECTIONS, REQUESTS),
];
gateway.send({ type: 'report' });
const checks = await nextMessage<GatewayReport>('report');
report('gateway', {
  setup: {
    requests_per_run: { sequential: SEQUENTIAL_REQUESTS, concurrent: REQUESTS },
    connections: CONNECTIONS,
    upstream_latency_ms: UPSTREAM_LATENCY_MS,
    billing: 'hold + settle + job row per request',
    accounts: `${CONNECTIONS} (one key per connection)`,
    rate_limits: 'on (Redis Lua, limits set high)',
    database_pool_size: ready.pool,
    processes:
      'autocannon + fake upstream in the bench process; the gateway (the real app) and Portkey each in their own child process',
  },
  target: { added_p50_ms: 2, added_p99_ms: 10 },
  results,
  portkey:
    'url' in portkey
      ? 'started: @portkey-ai/gateway build/start-server.js --headless, NODE_ENV=production, provider openai, x-portkey-custom-host = the fake'
      : `skipped: ${portkey.skipped}`,
  jobs_by_status: checks.jobs_by_status,
  ledger_mismatches: checks.ledger_mismatches,
});
gateway.send({ type: 'close' });
await new Promise((resolve) => gateway.once('exit', resolve));
stopChildren();
await fake.close();
process.exit(0);
