import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeys } from '../../core/accounts/index.js';
import { createLedger, idrToMrp } from '../../core/ledger/index.js';
import { systemClock } from '../../core/ports/clock.js';
import { FAKE_OPENAI_KEY, type FakeOpenAI, startFakeOpenAI } from '../fakes/openai.js';
import { type AppProcess, startAppProcess } from '../helpers/app-process.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/**
 * `npm start -- --workers 2`: two app processes behind one port (node:cluster), serving requests
 * with exact billing, and stopping cleanly on SIGTERM (every process gone, exit code 0).
 */
let database: TestDatabase;
let openai: FakeOpenAI;
let app: AppProcess;

beforeAll(async () => {
  database = await createTestDatabase();
  openai = await startFakeOpenAI();
  app = await startAppProcess({
    databaseUrl: database.url,
    redisPrefix: `aiport-t-${randomBytes(4).toString('hex')}`,
    env: { OPENAI_API_KEY: FAKE_OPENAI_KEY, OPENAI_BASE_URL: `${openai.url}/v1`, LOG_LEVEL: 'warn' },
    args: ['--workers', '2'],
    // Three processes load the code on a shared machine.
    readyTimeoutMs: 170_000,
  });
}, 180_000);

afterAll(async () => {
  await app?.kill();
  await openai?.close();
  await database?.drop();
});

/** The pids of a process's direct children that run the app (Linux `ps`; not tsx's esbuild). */
function appChildrenOf(pid: number): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes('bin/main.ts'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

describe('npm start -- --workers 2', () => {
  it('serves from two processes with exact billing, then stops every process on SIGTERM', async () => {
    const pid = app.child.pid!;
    const workers = appChildrenOf(pid);
    expect(workers).toHaveLength(2);

    const [row] = await database.sql<{ id: string }[]>`INSERT INTO accounts DEFAULT VALUES RETURNING id`;
    const accountId = row!.id;
    const ledger = createLedger(database, systemClock);
    await ledger.credit('topup', {
      accountId,
      amountMrp: idrToMrp(10_000),
      idempotencyKey: `t:${accountId}`,
    });
    const { secret } = await createApiKeys(database, systemClock).create(accountId, { name: 'workers' });
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(`${app.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'halo' }] }),
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const charged = responses.reduce((sum, r) => sum + idrToMrp(r.headers.get('x-aiport-cost-idr')!), 0n);
    expect(charged).toBeGreaterThan(0n);
    expect((await ledger.balance(accountId)).balanceMrp).toBe(idrToMrp(10_000) - charged);
    expect(await ledger.verify(accountId)).toEqual([]);

    await app.stop(20_000);
    expect(app.child.exitCode).toBe(0);
    for (const worker of workers) expect(() => process.kill(worker, 0)).toThrow();
  });
});
