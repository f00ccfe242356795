import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/test-database.js';
import { manualClock } from '../ports/clock.js';
import { type KeyNotice, keyNoticesDue } from './key-notices.js';
import { createLedger } from './ledger.js';

let db: TestDatabase;
// Monday 2026-11-02, 10:00 WIB.
const clock = manualClock(new Date('2026-11-02T03:00:00Z'));

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

/** Two ledgers on one database, as two processes would have, each telling its own list. */
function twoProcesses() {
  const told: KeyNotice[] = [];
  const hooks = { onKeyNotices: async (notices: KeyNotice[]) => void told.push(...notices) };
  return { told, ledgers: [createLedger(db, clock, hooks), createLedger(db, clock, hooks)] as const };
}

async function fundedKey(limits: { total?: bigint; periodMrp?: bigint }) {
  const [account] = await db.sql<{ id: string }[]>`INSERT INTO accounts DEFAULT VALUES RETURNING id`;
  await createLedger(db, clock).credit('topup', {
    accountId: account!.id,
    amountMrp: 10_000_000n,
    idempotencyKey: `f:${account!.id}`,
  });
  const [key] = await db.sql<{ id: string }[]>`
    INSERT INTO api_keys (account_id, name, hash, prefix, scopes, total_limit_mrp, limit_period, period_limit_mrp)
    VALUES (${account!.id}, 'k', ${`h${account!.id}`}, 'aip_x', ${db.sql.array(['chat'])},
            ${limits.total ?? null}, ${limits.periodMrp ? 'day' : null}, ${limits.periodMrp ?? null})
    RETURNING id`;
  return { account: account!.id, key: key!.id };
}

const summary = (notices: KeyNotice[]) =>
  notices.map((n) => `${n.limit}@${n.periodStart.toISOString()}:${n.thresholdPercent}`).sort();

describe('API-key limit notices', () => {
  it('are due at 80% and 100% of each limit, in the current period only, never for a zero limit', () => {
    const now = clock.now();
    const start = new Date('2026-11-01T17:00:00Z');
    const state = {
      total_limit_mrp: 10_000n,
      limit_period: 'day' as const,
      period_limit_mrp: 1_000n,
      spent_mrp: 7_999n,
      period_spent_mrp: 1_000n,
      period_start: start,
    };
    expect(summary(keyNoticesDue('k', state, now))).toEqual([
      'day@2026-11-01T17:00:00.000Z:100',
      'day@2026-11-01T17:00:00.000Z:80',
    ]);
    expect(summary(keyNoticesDue('k', { ...state, spent_mrp: 8_000n }, now))).toContain(
      'total@1970-01-01T00:00:00.000Z:80',
    );
    // Spent yesterday does not count today.
    const yesterday = new Date(start.getTime() - 86_400_000);
    expect(keyNoticesDue('k', { ...state, period_start: yesterday }, now)).toEqual([]);
    expect(keyNoticesDue('k', { ...state, total_limit_mrp: 0n, period_limit_mrp: 0n }, now)).toEqual([]);
  });

  it('go out once per threshold when concurrent settles in two processes cross them, and again next period', async () => {
    const { told, ledgers } = twoProcesses();
    const { account, key } = await fundedKey({ periodMrp: 10_000n });
    const run = (n: number) =>
      Promise.allSettled(
        Array.from({ length: n }, async (_, i) => {
          const ledger = ledgers[i % 2]!;
          const hold = await ledger.hold(account, 500n, { key: { keyId: key } });
          return ledger.settle(hold.id, 900n);
        }),
      );
    await run(60);
    expect(summary(told)).toEqual(['day@2026-11-01T17:00:00.000Z:100', 'day@2026-11-01T17:00:00.000Z:80']);
    const atHundred = told.find((n) => n.thresholdPercent === 100)!;
    expect(atHundred).toMatchObject({ limitMrp: 10_000n, resetsAt: new Date('2026-11-02T17:00:00Z') });
    expect(atHundred.spentMrp).toBeGreaterThanOrEqual(10_000n);

    // Refused requests on a full key tell nothing new.
    await run(10);
    expect(told).toHaveLength(2);

    clock.set(new Date('2026-11-02T17:30:00Z'));
    await run(60);
    expect(summary(told)).toEqual([
      'day@2026-11-01T17:00:00.000Z:100',
      'day@2026-11-01T17:00:00.000Z:80',
      'day@2026-11-02T17:00:00.000Z:100',
      'day@2026-11-02T17:00:00.000Z:80',
    ]);
  });

  it('go out on a refusal when a lowered limit is already passed', async () => {
    const { told, ledgers } = twoProcesses();
    const { account, key } = await fundedKey({ total: 100_000n });
    const hold = await ledgers[0].hold(account, 1_000n, { key: { keyId: key } });
    await ledgers[0].settle(hold.id, 5_000n);
    expect(told).toEqual([]);
    await db.sql`UPDATE api_keys SET total_limit_mrp = 5000 WHERE id = ${key}`;
    await expect(ledgers[1].hold(account, 1_000n, { key: { keyId: key } })).rejects.toMatchObject({
      code: 'key_limit_reached',
    });
    expect(summary(told)).toEqual([
      'total@1970-01-01T00:00:00.000Z:100',
      'total@1970-01-01T00:00:00.000Z:80',
    ]);
    expect(told[0]).toMatchObject({ resetsAt: null, spentMrp: 5_000n });
  });
});
