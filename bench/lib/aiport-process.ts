import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createApiKeys } from '../../core/accounts/index.js';
import { createLedger, idrToMrp } from '../../core/ledger/index.js';
import { systemClock } from '../../core/ports/clock.js';
import { TEST_REDIS_URL } from '../../test/helpers/env.js';
import { createTestDatabase, prepareTemplate, type TestDatabase } from '../../test/helpers/test-database.js';
import { freePort } from './free-port.js';

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
  stop(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function startAiport(options: {
  upstreamUrl: string;
  upstreamKey: string;
  /** Extra `npm start` arguments, e.g. `--workers 2`. */
  args?: string[];
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  env?: Record<string, string>;
}): Promise<AiportProcess> {
  await prepareTemplate();
  const database = await createTestDatabase();
  const port = await freePort();
  // Node with tsx's loader, as `npm start` (tsx bin/main.ts) runs it, minus the tsx CLI's own
  // wrapper process (which would outlive a kill of its child).
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', 'bin/main.ts', ...(options.args ?? [])],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: `aiport-bench-${randomBytes(4).toString('hex')}`,
        PORT: String(port),
        OPENAI_API_KEY: options.upstreamKey,
        OPENAI_BASE_URL: options.upstreamUrl,
        RATE_LIMIT_RPM: '1000000000',
        RATE_LIMIT_TPM: '1000000000000',
        ...options.env,
      },
      // Logs go where a deployment sends them, a sink outside this process: the log lines are
      // still built and written by the app, as in production.
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the app exited (${child.exitCode}): ${stderr}`);
    if (i > 600) throw new Error(`the app did not answer /readyz within 60 s: ${stderr}`);
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const ledger = createLedger(database, systemClock);
  const apiKeys = createApiKeys(database, systemClock);

  return {
    url,
    database,
    child,
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
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
      await database.drop();
    },
  };
}
