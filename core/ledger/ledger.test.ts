import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/test-database.js';
import { CoreError } from '../errors.js';
import { manualClock } from '../ports/clock.js';
import { createLedger, type Ledger } from './ledger.js';

let db: TestDatabase;
const clock = manualClock(new Date('2026-11-01T00:00:00Z'));
let ledger: Ledger;

async function newAccount(): Promise<string> {
  const [row] = await db.sql<{ id: string }[]>`INSERT INTO accounts DEFAULT VALUES RETURNING id`;
  return row!.id;
}

async function funded(amountMrp: bigint): Promise<string> {
  const id = await newAccount();
  await ledger.credit('topup', { accountId: id, amountMrp, idempotencyKey: `fund:${id}` });
  return id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  ledger = createLedger(db, clock);
});
afterAll(() => db.drop());

describe('ledger', () => {
  it('lets exactly as many concurrent holds succeed as the balance covers', async () => {
    const account = await funded(20_000n);
    const results = await Promise.allSettled(Array.from({ length: 200 }, () => ledger.hold(account, 1_000n)));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(ok).toHaveLength(20);
    expect(
      refused.every((r) => r.reason instanceof CoreError && r.reason.code === 'insufficient_balance'),
    ).toBe(true);
    const balance = await ledger.balance(account);
    expect(balance).toEqual({ balanceMrp: 20_000n, heldMrp: 20_000n, availableMrp: 0n });
    expect(await ledger.verify(account)).toEqual([]);
  });

  it('credits once for one idempotency key, even concurrently, and refuses the key with another amount', async () => {
    const account = await newAccount();
    const key = `topup:${account}:m1`;
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        ledger.credit('topup', { accountId: account, amountMrp: 5_000n, idempotencyKey: key }),
      ),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const [row] = await db.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM ledger_entries WHERE idempotency_key = ${key}`;
    expect(row?.n).toBe(1);
    expect((await ledger.balance(account)).balanceMrp).toBe(5_000n);
    await expect(
      ledger.credit('topup', { accountId: account, amountMrp: 6_000n, idempotencyKey: key }),
    ).rejects.toMatchObject({ code: 'idempotency_conflict' });
    expect(await ledger.verify(account)).toEqual([]);
  });

  it('settles once, the real cost even above the hold, from the free balance', async () => {
    const account = await funded(10_000n);
    const hold = await ledger.hold(account, 4_000n);
    const first = await ledger.settle(hold.id, 9_999n);
    expect(first).toEqual({ chargedMrp: 9_999n, uncollectedMrp: 0n, outcome: 'settled' });
    const second = await ledger.settle(hold.id, 1_000n);
    expect(second).toEqual({ chargedMrp: 0n, uncollectedMrp: 0n, outcome: 'already_settled' });
    expect(await ledger.balance(account)).toEqual({ balanceMrp: 1n, heldMrp: 0n, availableMrp: 1n });

    await ledger.credit('topup', {
      accountId: account,
      amountMrp: 4_765n,
      idempotencyKey: `more:${account}`,
    });
    const small = await ledger.hold(account, 3_000n);
    const concurrent = await Promise.all([ledger.settle(small.id, 1_234n), ledger.settle(small.id, 1_234n)]);
    expect(concurrent.map((r) => r.chargedMrp).sort()).toEqual([0n, 1_234n]);
    expect(await ledger.balance(account)).toEqual({ balanceMrp: 3_532n, heldMrp: 0n, availableMrp: 3_532n });
    expect(await ledger.verify(account)).toEqual([]);
  });

  it('charges above the hold only what no other hold reserves, and reports the rest as uncollected', async () => {
    const account = await funded(10_000n);
    const mine = await ledger.hold(account, 2_000n);
    const other = await ledger.hold(account, 5_000n);
    const result = await ledger.settle(mine.id, 50_000n, 'big answer');
    expect(result).toEqual({ chargedMrp: 5_000n, uncollectedMrp: 45_000n, outcome: 'settled' });
    expect(await ledger.balance(account)).toEqual({ balanceMrp: 5_000n, heldMrp: 5_000n, availableMrp: 0n });
    // The other hold is still fully covered.
    expect(await ledger.settle(other.id, 5_000n)).toMatchObject({ chargedMrp: 5_000n, uncollectedMrp: 0n });
    expect((await ledger.balance(account)).balanceMrp).toBe(0n);
    expect(await ledger.verify(account)).toEqual([]);
  });

  it('never takes a balance below zero when many holds settle above their amount at once', async () => {
    const account = await funded(30_000n);
    const holds = await Promise.all(Array.from({ length: 20 }, () => ledger.hold(account, 1_000n)));
    const results = await Promise.all(holds.map((h) => ledger.settle(h.id, 4_000n)));
    const charged = results.reduce((sum, r) => sum + r.chargedMrp, 0n);
    const uncollected = results.reduce((sum, r) => sum + r.uncollectedMrp, 0n);
    expect(charged).toBe(30_000n);
    expect(uncollected).toBe(80_000n - 30_000n);
    expect(await ledger.balance(account)).toEqual({ balanceMrp: 0n, heldMrp: 0n, availableMrp: 0n });
    expect(await ledger.verify(account)).toEqual([]);
  });

  it('releases without charging, and a released hold cannot be settled', async () => {
    const account = await funded(2_000n);
    const hold = await ledger.hold(account, 2_000n);
    expect(await ledger.release(hold.id)).toBe(true);
    expect(await ledger.release(hold.id)).toBe(false);
    expect(await ledger.settle(hold.id, 500n)).toEqual({
      chargedMrp: 0n,
      uncollectedMrp: 0n,
      outcome: 'already_released',
    });
    expect(await ledger.balance(account)).toEqual({ balanceMrp: 2_000n, heldMrp: 0n, availableMrp: 2_000n });
  });

  it('never debits below the available balance', async () => {
    const account = await funded(1_000n);
    await ledger.hold(account, 600n);
    await expect(
      ledger.debit('adjustment', { accountId: account, amountMrp: 500n, idempotencyKey: `adj:${account}` }),
    ).rejects.toMatchObject({ code: 'insufficient_balance' });
    const ok = await ledger.debit('adjustment', {
      accountId: account,
      amountMrp: 400n,
      idempotencyKey: `adj2:${account}`,
    });
    expect(ok.balanceMrp).toBe(600n);
    expect(await ledger.verify(account)).toEqual([]);
  });

  it('refuses zero and negative amounts', async () => {
    const account = await newAccount();
    await expect(
      ledger.credit('topup', { accountId: account, amountMrp: 0n, idempotencyKey: 'z' }),
    ).rejects.toMatchObject({
      code: 'invalid_request',
    });
    await expect(ledger.hold(account, -5n)).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('keeps balance equal to the sum of entries for every account after all of the above', async () => {
    expect(await ledger.verify()).toEqual([]);
  });
});
