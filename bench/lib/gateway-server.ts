import { idrToMrp } from '../../core/ledger/index.js';
import { createTestApp } from '../../test/helpers/test-app.js';
import { prepareTemplate } from '../../test/helpers/test-database.js';

/**
 * The real application (config, container, HTTP app, built as `npm start` builds it) in a child
 * process of its own, so the gateway under load gets its own core as in production instead of
 * sharing one event loop with the load generator and the fake upstream.
 *
 * Protocol (Node IPC, the parent forks this file):
 * - env: BENCH_UPSTREAM_URL (the fake's base URL with /v1), BENCH_UPSTREAM_KEY, BENCH_ACCOUNTS,
 *   DATABASE_POOL_SIZE;
 * - this process sends `{ type: 'ready', url, keys, pool }` once listening on loopback;
 * - the parent sends `{ type: 'report' }`, answered by `{ type: 'report', jobs_by_status,
 *   ledger_mismatches }`, then `{ type: 'close' }`, after which this process closes and exits.
 */
const accounts = Number(process.env.BENCH_ACCOUNTS ?? 100);
const pool = process.env.DATABASE_POOL_SIZE ?? '10';

await prepareTemplate();
const t = await createTestApp({
  env: {
    OPENAI_API_KEY: process.env.BENCH_UPSTREAM_KEY ?? '',
    OPENAI_BASE_URL: process.env.BENCH_UPSTREAM_URL ?? '',
    RATE_LIMIT_RPM: '1000000000',
    RATE_LIMIT_TPM: '1000000000000',
    LOG_LEVEL: 'silent',
    DATABASE_POOL_SIZE: pool,
  },
});
const url = await t.listen();
const { core } = t.container;

// One account and key per connection, as many customers would be (one account's requests serialize
// on its balance row, which is the ledger's hot-account figure, not the gateway's overhead).
const keys: string[] = [];
for (let i = 0; i < accounts; i++) {
  const [row] = await core.db.sql<{ id: string }[]>`INSERT INTO accounts DEFAULT VALUES RETURNING id`;
  const accountId = row!.id;
  await core.ledger.credit('topup', {
    accountId,
    amountMrp: idrToMrp(1_000_000_000),
    idempotencyKey: `bench:${accountId}`,
  });
  keys.push((await core.apiKeys.create(accountId, { name: 'bench', scopes: ['chat'] })).secret);
}

process.on('message', (message: { type?: string }) => {
  void (async () => {
    if (message.type === 'report') {
      const jobs = await core.db.sql<{ status: string; n: number }[]>`
        SELECT status, count(*)::int AS n FROM jobs GROUP BY status ORDER BY status`;
      const mismatches = await core.ledger.verify();
      process.send?.({
        type: 'report',
        jobs_by_status: Object.fromEntries(jobs.map((j) => [j.status, j.n])),
        ledger_mismatches: mismatches.length,
      });
    } else if (message.type === 'close') {
      await t.close();
      process.exit(0);
    }
  })();
});
// The parent gone (killed, crashed) means nobody will ask us to close: do not linger.
process.on('disconnect', () => {
  setTimeout(() => process.exit(0), 5_000).unref();
  void t.close().finally(() => process.exit(0));
});
process.send?.({ type: 'ready', url, keys, pool: Number(pool) });
