import { createLedger } from '../core/ledger/index.js';
import { systemClock } from '../core/ports/clock.js';
import { createTestDatabase, prepareTemplate } from '../test/helpers/test-database.js';
import { quantile, report } from './report.js';

/**
 * Hold + settle pairs per second against the local PostgreSQL: spread over many accounts, and all on
 * one hot account (every pair then serializes on one row lock). Bounded by pair count.
 */
const PAIRS = Number(process.env.BENCH_PAIRS ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const ACCOUNTS = 1_000;

await prepareTemplate();
const db = await createTestDatabase();
const ledger = createLedger(db, systemClock);
const { sql } = db;

const ids = (
  await sql<{ id: string }[]>`
  INSERT INTO accounts (id) SELECT gen_random_uuid() FROM generate_series(1, ${ACCOUNTS}) RETURNING id`
).map((r) => r.id);
for (const id of ids) {
  await ledger.credit('topup', { accountId: id, amountMrp: 10n ** 15n, idempotencyKey: `bench:${id}` });
}

async function run(label: string, pick: (i: number) => string) {
  let next = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (;;) {
        const i = next++;
        if (i >= PAIRS) return;
        const t0 = performance.now();
        const hold = await ledger.hold(pick(i), 5_000n);
        await ledger.settle(hold.id, 1_234n);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    label,
    pairs: PAIRS,
    concurrency: CONCURRENCY,
    pairs_per_second: Math.round(PAIRS / seconds),
    p50_ms: Number(quantile(latencies, 0.5).toFixed(2)),
    p99_ms: Number(quantile(latencies, 0.99).toFixed(2)),
  };
}

const spread = await run('many accounts', (i) => ids[i % ids.length]!);
const hot = await run('one hot account', () => ids[0]!);
const mismatches = await ledger.verify();
report('ledger', {
  target_pairs_per_second: 2000,
  results: [spread, hot],
  invariant_mismatches: mismatches.length,
});
await db.drop();
