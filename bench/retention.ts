import { performance } from 'node:perf_hooks';
import { systemClock } from '../core/ports/clock.js';
import { createRetention } from '../core/retention/index.js';
import { createTestDatabase, prepareTemplate } from '../test/helpers/test-database.js';
import { quantile, report } from './report.js';

/**
 * Purges the content of ROWS aged jobs (default 1,000,000) with the real retention runner, while a
 * probe keeps writing new jobs, and reports rows/s, the longest single statement (each statement is
 * its own transaction, so that is the longest any lock was held) and the probe's worst latency.
 * Target: under 60 s in total, no statement over 1 s.
 */
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 2_500);
const ACCOUNTS = 100;

await prepareTemplate();
const db = await createTestDatabase();
const { sql } = db;

const accountIds = (
  await sql<
    { id: string }[]
  >`INSERT INTO accounts (id) SELECT gen_random_uuid() FROM generate_series(1, ${ACCOUNTS}) RETURNING id`
).map((r) => r.id);

const seedStarted = performance.now();
// One statement per 100k rows; content like a real short chat (a few hundred bytes of JSON).
for (let offset = 0; offset < ROWS; offset += 100_000) {
  const n = Math.min(100_000, ROWS - offset);
  await sql`
    INSERT INTO jobs (account_id, channel, kind, model, status, prompt, output, input_tokens, output_tokens, cost_mrp, created_at)
    SELECT (${sql.array(accountIds)}::uuid[])[1 + (g % ${ACCOUNTS})], 'api', 'chat', 'gpt-4o-mini', 'succeeded',
           jsonb_build_object('messages', jsonb_build_array(jsonb_build_object('role', 'user',
             'content', 'Tolong ringkas dokumen berikut untuk rapat besok pagi, nomor ' || g))),
           jsonb_build_object('text', repeat('Ringkasan: poin penting. ', 8) || g),
           120, 240, 1234, now() - interval '31 days' - (g * interval '1 second')
    FROM generate_series(${offset + 1}::int, ${offset + n}::int) g`;
}
// A few recent and held jobs the purge must leave alone.
await sql`
  INSERT INTO jobs (account_id, channel, kind, model, prompt, legal_hold, created_at)
  SELECT ${accountIds[0]!}, 'api', 'chat', 'm', '{"keep":true}', g % 2 = 0, now() - (CASE WHEN g % 2 = 0 THEN interval '60 days' ELSE interval '1 day' END)
  FROM generate_series(1, 1000) g`;
await sql`VACUUM ANALYZE jobs`;
const seedSeconds = (performance.now() - seedStarted) / 1000;

// The probe: live traffic writing jobs during the purge.
let probing = true;
const probeLatencies: number[] = [];
const probe = (async () => {
  while (probing) {
    const t0 = performance.now();
    await sql`INSERT INTO jobs (account_id, channel, kind, model, prompt) VALUES (${accountIds[1]!}, 'api', 'chat', 'm', '{"p":1}')`;
    probeLatencies.push(performance.now() - t0);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
})();

const statementMs: number[] = [];
const started = performance.now();
const result = await createRetention({ db, clock: systemClock }).run({
  batchSize: BATCH,
  onStatement: (step, _rows, ms) => {
    if (step === 'jobs.content') statementMs.push(ms);
  },
});
const seconds = (performance.now() - started) / 1000;
probing = false;
await probe;

const [left] = await sql<{ remaining: number; kept: number }[]>`
  SELECT count(*) FILTER (WHERE content_purged_at IS NULL AND created_at < now() - interval '30 days' AND NOT legal_hold)::int AS remaining,
         count(*) FILTER (WHERE prompt IS NOT NULL)::int AS kept
  FROM jobs`;

report('retention', {
  rows: ROWS,
  batch_size: BATCH,
  seed_seconds: Number(seedSeconds.toFixed(1)),
  purged: result.jobContents,
  total_seconds: Number(seconds.toFixed(2)),
  rows_per_second: Math.round(result.jobContents / seconds),
  statements: statementMs.length,
  longest_statement_ms: Number(Math.max(...statementMs).toFixed(1)),
  p50_statement_ms: Number(quantile(statementMs, 0.5).toFixed(1)),
  p99_statement_ms: Number(quantile(statementMs, 0.99).toFixed(1)),
  concurrent_insert_p99_ms: Number(quantile(probeLatencies, 0.99).toFixed(1)),
  concurrent_insert_max_ms: Number(Math.max(...probeLatencies).toFixed(1)),
  aged_rows_left_with_content: left!.remaining,
  rows_still_holding_content: left!.kept,
  target: { total_seconds: 60, longest_statement_ms: 1000 },
  met: seconds < 60 && Math.max(...statementMs) < 1000,
});
await db.drop();
