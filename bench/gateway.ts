import autocannon from 'autocannon';
import { idrToMrp } from '../core/ledger/index.js';
import { FAKE_OPENAI_KEY, startFakeOpenAI } from '../test/fakes/openai.js';
import { createTestApp } from '../test/helpers/test-app.js';
import { prepareTemplate } from '../test/helpers/test-database.js';
import { report } from './report.js';

/**
 * The gateway's added latency: autocannon against `/v1/chat/completions` (non-stream and stream),
 * side by side with calling the same fake OpenAI upstream (fixed latency) directly. Billing, rate
 * limits and job rows are all on. Loopback only; bounded by request count. The Portkey comparison is
 * skipped: `@portkey-ai/gateway` is not installed in this project.
 */
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 4_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const SEQUENTIAL_REQUESTS = Number(process.env.BENCH_SEQUENTIAL_REQUESTS ?? 300);
const UPSTREAM_LATENCY_MS = Number(process.env.BENCH_UPSTREAM_LATENCY_MS ?? 20);

await prepareTemplate();
const fake = await startFakeOpenAI();
const t = await createTestApp({
  env: {
    OPENAI_API_KEY: FAKE_OPENAI_KEY,
    OPENAI_BASE_URL: `${fake.url}/v1`,
    RATE_LIMIT_RPM: '1000000000',
    RATE_LIMIT_TPM: '1000000000000',
    LOG_LEVEL: 'silent',
    DATABASE_POOL_SIZE: '20',
  },
});
const gatewayUrl = await t.listen();
const { core } = t.container;
// One account and key per connection, as many customers would be (one account's requests serialize
// on its balance row, which is the ledger's hot-account figure, not the gateway's overhead).
const keys: string[] = [];
for (let i = 0; i < CONNECTIONS; i++) {
  const [row] = await core.db.sql<{ id: string }[]>`INSERT INTO accounts DEFAULT VALUES RETURNING id`;
  const accountId = row!.id;
  await core.ledger.credit('topup', {
    accountId,
    amountMrp: idrToMrp(1_000_000_000),
    idempotencyKey: `bench:${accountId}`,
  });
  keys.push((await core.apiKeys.create(accountId, { name: 'bench', scopes: ['chat'] })).secret);
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

async function load(
  url: string,
  key: string | null,
  stream: boolean,
  amount: number,
  connections = CONNECTIONS,
): Promise<Figures> {
  let connection = 0;
  // Every upstream request of this run waits the same fixed time (one scripted fault per request;
  // a short queue, as the fake takes faults from the front of an array).
  fake.enqueue({ latencyMs: UPSTREAM_LATENCY_MS }, amount);
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    amount,
    timeout: 10,
    headers: { authorization: `Bearer ${key ?? keys[0]}`, 'content-type': 'application/json' },
    body: body(stream),
    ...(key === null
      ? {
          setupClient: (client: autocannon.Client) => {
            const own = keys[connection++ % keys.length]!;
            client.setHeaders({ authorization: `Bearer ${own}`, 'content-type': 'application/json' });
          },
        }
      : {}),
  });
  return {
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    req_per_s: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p90_ms: result.latency.p90,
    p99_ms: result.latency.p99,
  };
}

async function compare(stream: boolean, connections: number, amount: number) {
  const directUrl = `${fake.url}/v1/chat/completions`;
  const viaUrl = `${gatewayUrl}/v1/chat/completions`;
  // Warm both paths (connection pools, JIT, the tokenizer's tables).
  await load(directUrl, FAKE_OPENAI_KEY, stream, 500, connections);
  await load(viaUrl, null, stream, 500, connections);
  const direct = await load(directUrl, FAKE_OPENAI_KEY, stream, amount, connections);
  const gateway = await load(viaUrl, null, stream, amount, connections);
  return {
    mode: stream ? 'stream' : 'non-stream',
    connections,
    direct,
    gateway,
    added_p50_ms: gateway.p50_ms - direct.p50_ms,
    added_p99_ms: gateway.p99_ms - direct.p99_ms,
    req_per_s_ratio: Number((gateway.req_per_s / Math.max(1, direct.req_per_s)).toFixed(2)),
  };
}

// One connection first: the gateway's own added latency without queueing; then the loaded case.
const results = [
  await compare(false, 1, SEQUENTIAL_REQUESTS),
  await compare(true, 1, SEQUENTIAL_REQUESTS),
  await compare(false, CONNECTIONS, REQUESTS),
  await compare(true, CONNECTIONS, REQUESTS),
];
const jobs = await core.db.sql<{ status: string; n: number }[]>`
  SELECT status, count(*)::int AS n FROM jobs GROUP BY status ORDER BY status`;
const mismatches = await core.ledger.verify();
report('gateway', {
  setup: {
    requests_per_run: { sequential: SEQUENTIAL_REQUESTS, concurrent: REQUESTS },
    connections: CONNECTIONS,
    upstream_latency_ms: UPSTREAM_LATENCY_MS,
    billing: 'hold + settle + job row per request',
    accounts: `${CONNECTIONS} (one key per connection)`,
    rate_limits: 'on (Redis Lua, limits set high)',
    load_generator: 'autocannon in the same process as the gateway and the fake',
  },
  target: { added_p50_ms: 2, added_p99_ms: 10 },
  results,
  portkey: 'skipped: @portkey-ai/gateway is not installed',
  jobs_by_status: Object.fromEntries(jobs.map((j) => [j.status, j.n])),
  ledger_mismatches: mismatches.length,
});
await t.close();
await fake.close();
process.exit(0);
