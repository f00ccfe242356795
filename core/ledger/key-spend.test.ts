import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/test-database.js';
import { periodEnd, periodStart } from '../accounts/key-periods.js';
import { manualClock } from '../ports/clock.js';
import { createLedger, type Ledger } from './ledger.js';

let db: TestDatabase;
// 2026-11-02 is a Monday; 16:59:59Z is 23:59:59 WIB.
const clock = manualClock(new Date('2026-11-02T16:00:00Z'));
let ledger: Ledger;

async function fundedKey(
  balanceMrp: bigint,
  limits: { total?: bigint; period?: 'day' | 'week' | 'month'; periodMrp?: bigint; models?: string[] } = {},
): Promise<{ account: string; key: string }> {
  const [account] = await db.sql<{ id: string }[]>`INSERT INTO accounts DEFAULT VALUES RETURNING id`;
  await ledger.credit('topup', {
    accountId: account!.id,
    amountMrp: balanceMrp,
    idempotencyKey: `f:${account!.id}`,
  });
  const [key] = await db.sql<{ id: string }[]>`
    INSERT INTO api_keys (account_id, name, hash, prefix, scopes, total_limit_mrp, limit_period, period_limit_mrp, models)
    VALUES (${account!.id}, 'k', ${`h${account!.id}`}, 'aip_x', ${db.sql.array(['chat'])},
            ${limits.total ?? null}, ${limits.period ?? null}, ${limits.periodMrp ?? null},
            ${limits.models ? db.sql.array(limits.models) : null})
    RETURNING id`;
  return { account: account!.id, key: key!.id };
}

async function keyRow(id: string) {
  const [row] = await db.sql<{ spent_mrp: bigint; period_spent_mrp: bigint; held_mrp: bigint }[]>`
    SELECT spent_mrp, period_spent_mrp, held_mrp FROM api_keys WHERE id = ${id}`;
  return row!;
}

beforeAll(async () => {
  db = await createTestDatabase();
  ledger = createLedger(db, clock);
});
afterAll(() => db.drop());

describe('API-key spend limits in the ledger', () => {
  it('lets 100 concurrent holds and settles above the hold spend no more than the key has left', async () => {
    const { account, key } = await fundedKey(1_000_000n, { period: 'day', periodMrp: 10_000n });
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, async () => {
        const hold = await ledger.hold(account, 1_000n, { key: { keyId: key } });
        // Each upstream reports three times the hold: the key caps the charge, not the hold.
        return ledger.settle(hold.id, 3_000n);
      }),
    );
    const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((r) => r.reason.code === 'key_limit_reached')).toBe(true);
    const charged = results
      .filter((r) => r.status === 'fulfilled')
      .reduce((sum, r) => sum + (r as PromiseFulfilledResult<{ chargedMrp: bigint }>).value.chargedMrp, 0n);
    expect(charged).toBe(10_000n);
    expect(await keyRow(key)).toEqual({ spent_mrp: 10_000n, period_spent_mrp: 10_000n, held_mrp: 0n });
    expect((await ledger.balance(account)).balanceMrp).toBe(990_000n);
    expect(await ledger.verify(account)).toEqual([]);
  });

  it('resets the daily limit at 00:00 WIB and counts a charge in the period it is made', async () => {
    clock.set(new Date('2026-11-02T16:59:00Z'));
    const { account, key } = await fundedKey(100_000n, { period: 'day', periodMrp: 5_000n, total: 8_000n });
    const first = await ledger.hold(account, 5_000n, { key: { keyId: key } });
    await expect(ledger.hold(account, 1n, { key: { keyId: key } })).rejects.toMatchObject({
      code: 'key_limit_reached',
      details: { limit: 'day' },
    });
    clock.set(new Date('2026-11-02T17:00:00Z')); // midnight in Jakarta
    await ledger.settle(first.id, 4_000n);
    expect(await keyRow(key)).toMatchObject({ spent_mrp: 4_000n, period_spent_mrp: 4_000n });
    // The total limit now binds: 8,000 - 4,000 spent.
    await expect(ledger.hold(account, 4_001n, { key: { keyId: key } })).rejects.toMatchObject({
      details: { limit: 'total', remaining_mrp: 4_000n },
    });
    const second = await ledger.hold(account, 1_000n, { key: { keyId: key } });
    expect(await ledger.release(second.id)).toBe(true);
    expect(await keyRow(key)).toMatchObject({ held_mrp: 0n, spent_mrp: 4_000n });
  });

  it('refuses a model outside the allow-list in the hold, changing nothing', async () => {
    const { account, key } = await fundedKey(100_000n, { models: ['gpt-4o-mini'] });
    await expect(
      ledger.hold(account, 1_000n, { key: { keyId: key, model: 'claude-sonnet-4', kind: 'chat' } }),
    ).rejects.toMatchObject({ code: 'forbidden', details: { param: 'model' } });
    expect((await ledger.balance(account)).heldMrp).toBe(0n);
    await ledger.hold(account, 1_000n, { key: { keyId: key, model: 'gpt-4o-mini', kind: 'chat' } });
    expect(await keyRow(key)).toMatchObject({ held_mrp: 1_000n });
  });

  it('a balance refusal leaves the key untouched', async () => {
    const { account, key } = await fundedKey(500n, { total: 10_000n });
    await expect(ledger.hold(account, 1_000n, { key: { keyId: key } })).rejects.toMatchObject({
      code: 'insufficient_balance',
    });
    expect(await keyRow(key)).toMatchObject({ held_mrp: 0n });
  });
});

describe('key limit periods', () => {
  it('start at 00:00 WIB on the day, on Monday and on the first of the month', () => {
    const now = new Date('2026-11-04T18:30:00Z'); // Thursday 01:30 WIB
    expect(periodStart('day', now).toISOString()).toBe('2026-11-04T17:00:00.000Z');
    expect(periodStart('week', now).toISOString()).toBe('2026-11-01T17:00:00.000Z');
    expect(periodStart('month', now).toISOString()).toBe('2026-10-31T17:00:00.000Z');
    expect(periodEnd('day', now).toISOString()).toBe('2026-11-05T17:00:00.000Z');
    expect(periodEnd('week', now).toISOString()).toBe('2026-11-08T17:00:00.000Z');
    expect(periodEnd('month', now).toISOString()).toBe('2026-11-30T17:00:00.000Z');
    const beforeMidnight = new Date('2026-11-04T16:59:59Z'); // Wednesday 23:59:59 WIB
    expect(periodStart('day', beforeMidnight).toISOString()).toBe('2026-11-03T17:00:00.000Z');
  });
});
