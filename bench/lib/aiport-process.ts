import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createApiKeys } from '../../core/accounts/index.js';
import { createLedger, idrToMrp } from '../../core/ledger/index.js';
import { systemClock } from '../../core/ports/clock.js';
import { startAppProcess } from '../../test/helpers/app-process.js';
import { createTestDatabase, prepareTemplate, type TestDatabase } from '../../test/helpers/test-database.js';

/**
 * The application exactly as `npm start` runs it (bin/main.ts: migrate, then every role, request
 * logging at its default `info` level to stdout), in a child process of its own on a fresh
 * database. Only what a deployment sets differs: the upstream's address, the port, a Redis prefix
 * of its own, and rate limits set high (still checked on every request, never reached).
 *
 * The benchmark process writes the accounts and keys before the load and checks the ledger after,
 * on the same database, through the core's own ledger and key modules.
 */
export interface AiportProcess {
  url: string;
  database: TestDatabase;
  child: ChildProcess;
  /** `n` accounts, each credited generously, with one chat key each; returns the secrets. */
  accountsWithKeys(n: number): Promise<string[]>;
  jobsByStatus(): Promise<Record<string, number>>;
  ledgerMismatches(): Promise<number>;
  /** Transactions committed in the app's database so far (a deterministic cost, unlike time). */
  commits(): Promise<number>;
  stop(): Promise<void>;
}

export async function startAiport(options: {
  upstreamUrl: string;
  upstreamKey: string;
  /** `npm start` arguments, e.g. `--workers 2`; none: its defaults (one process per core). */
  args?: string[];
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
}): Promise<AiportProcess> {
  await prepareTemplate();
  const database = await createTestDatabase();
  const app = await startAppProcess({
    databaseUrl: database.url,
    redisPrefix: `aiport-bench-${randomBytes(4).toString('hex')}`,
    env: {
      OPENAI_API_KEY: options.upstreamKey,
      OPENAI_BASE_URL: options.upstreamUrl,
      RATE_LIMIT_RPM: '1000000000',
      RATE_LIMIT_TPM: '1000000000000',
    },
    args: options.args ?? [],
    // Every process loads the code on start; a shared machine can take a while.
    readyTimeoutMs: 180_000,
    ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}),
    // Logs go where a deployment sends them, a sink outside this process: the app still builds
    // and writes every line, as in production.
    logs: 'ignore',
  });
  const ledger = createLedger(database, systemClock);
  const apiKeys = createApiKeys(database, systemClock);
  const name = new URL(database.url).pathname.slice(1);

  return {
    url: app.url,
    database,
    child: app.child,
    async accountsWithKeys(n) {
      const keys: string[] = [];
      for (let i = 0; i < n; i++) {
        const [row] = await database.sql<{ id: string }[]>`INSERT INTO accounts DEFAULT VALUES RETURNING id`;
        const accountId = row!.id;
        await ledger.credit('topup', {
          accountId,
          amountMrp: idrToMrp(1_000_000_000),
          idempotencyKey: `bench:${accountId}`,
        });
        keys.push((await apiKeys.create(accountId, { name: 'bench', scopes: ['chat'] })).secret);
      }
      return keys;
    },
    async jobsByStatus() {
      const rows = await database.sql<{ status: string; n: number }[]>`
        SELECT status, count(*)::int AS n FROM jobs GROUP BY status ORDER BY status`;
      return Object.fromEntries(rows.map((r) => [r.status, r.n]));
    },
    async ledgerMismatches() {
      return (await ledger.verify()).length;
    },
    async commits() {
      // The statistics are a snapshot per transaction: clear it to read the current figure.
      await database.sql`SELECT pg_stat_clear_snapshot()`;
      const [row] = await database.sql<{ n: bigint }[]>`
        SELECT xact_commit AS n FROM pg_stat_database WHERE datname = ${name}`;
      return Number(row?.n ?? 0);
    },
    async stop() {
      await app.stop();
      await database.drop();
    },
  };
}
