import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/test-database.js';
import { manualClock } from '../ports/clock.js';
import { createTopups, type Topups } from './topups.js';

const clock = manualClock(new Date('2026-11-22T00:00:00Z'));
const options = {
  minIdr: 10_000,
  maxIdr: 50_000_000,
  expiryHours: 24,
  bankAccounts: [],
  starsIdrPerStar: 250,
  maxPendingPerAccount: 100_000,
};
let db: TestDatabase;
let topups: Topups;
let accounts: string[];

beforeAll(async () => {
  db = await createTestDatabase();
  topups = createTopups({ db, clock }, options);
  const rows = await db.sql<{ id: string }[]>`
    INSERT INTO accounts (email) SELECT 'p' || g || '@example.com' FROM generate_series(1, 4) g RETURNING id`;
  accounts = rows.map((r) => r.id);
});
afterAll(() => db.drop());

/** Transfer amounts held by more than one live pending request: must always be none. */
async function sharedPendingAmounts(): Promise<bigint[]> {
  const rows = await db.sql<{ transfer_amount_idr: bigint }[]>`
    SELECT transfer_amount_idr FROM topup_requests
    WHERE status = 'pending' AND expires_at > ${clock.now()}
    GROUP BY transfer_amount_idr HAVING count(*) > 1`;
  return rows.map((r) => r.transfer_amount_idr);
}

// Base amounts whose suffix ranges overlap, so requests of different amounts compete for transfer amounts.
const AMOUNTS = [10_000, 10_400, 10_998, 11_000];

type Step =
  | { kind: 'create'; account: number; amount: number; together: number }
  | { kind: 'pay'; pick: number }
  | { kind: 'wait'; hours: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('create' as const),
    account: fc.nat({ max: 3 }),
    amount: fc.constantFrom(...AMOUNTS),
    together: fc.integer({ min: 1, max: 6 }),
  }),
  fc.record({ kind: fc.constant('pay' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('wait' as const), hours: fc.integer({ min: 1, max: 30 }) }),
);

describe('unique transfer amounts', () => {
  it('no two pending requests ever share a transfer amount, under any sequence of requests, payments and expiry', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        for (const s of steps) {
          if (s.kind === 'create') {
            const created = await Promise.all(
              Array.from({ length: s.together }, () =>
                topups.createRequest({
                  accountId: accounts[s.account]!,
                  amountMrp: BigInt(s.amount) * 1000n,
                  channel: 'api',
                }),
              ),
            );
            for (const request of created) {
              expect(request.uniqueSuffixIdr).toBeGreaterThanOrEqual(1);
              expect(request.uniqueSuffixIdr).toBeLessThanOrEqual(999);
              expect(request.transferAmountMrp).toBe(
                request.amountMrp + BigInt(request.uniqueSuffixIdr) * 1000n,
              );
            }
          } else if (s.kind === 'pay') {
            const pending = await db.sql<{ transfer_amount_idr: bigint }[]>`
              SELECT transfer_amount_idr FROM topup_requests
              WHERE status = 'pending' AND expires_at > ${clock.now()} ORDER BY transfer_amount_idr`;
            const target = pending[s.pick % Math.max(pending.length, 1)];
            if (target) {
              const id = `pay-${target.transfer_amount_idr}-${clock.now().getTime()}-${s.pick}`;
              const result = await topups.ingestMutations([
                {
                  mutationId: id,
                  bankId: 'b',
                  accountNumber: '',
                  type: 'CR',
                  amountMrp: target.transfer_amount_idr * 1000n,
                  balanceMrp: null,
                  description: '',
                  note: '',
                  date: '2026-11-22 10:00:00',
                  raw: {},
                },
              ]);
              expect(result.outcomes[0]).toMatchObject({ outcome: 'matched', matchedBy: 'amount' });
            }
          } else {
            clock.advance(s.hours * 3_600_000);
          }
          expect(await sharedPendingAmounts()).toEqual([]);
        }
      }),
      { numRuns: 25 },
    );
    expect(await db.sql`SELECT 1 FROM topup_requests LIMIT 1`).toHaveLength(1);
  });

  it('cannot hold one transfer amount in two pending requests, even written directly', async () => {
    const later = new Date(clock.now().getTime() + 3_600_000);
    const insert = (code: string) => db.sql`
      INSERT INTO topup_requests (account_id, amount_idr, unique_suffix, transfer_amount_idr, code, channel, expires_at)
      VALUES (${accounts[0]!}, 30000, 7, 30007, ${code}, 'api', ${later})`;
    await insert('DIRECT-1');
    await expect(insert('DIRECT-2')).rejects.toMatchObject({ code: '23505' });
  });

  it('falls back to a code-only request when every suffix of an amount is taken, matched by its code alone', async () => {
    const amount = 20_000n;
    const later = new Date(clock.now().getTime() + 3_600_000);
    await db.sql`
      INSERT INTO topup_requests (account_id, amount_idr, unique_suffix, transfer_amount_idr, code, channel, expires_at)
      SELECT ${accounts[0]!}, ${amount}, g, ${amount} + g, 'FILL-' || g, 'api', ${later}
      FROM generate_series(1, 999) g`;
    const request = await topups.createRequest({
      accountId: accounts[1]!,
      amountMrp: amount * 1000n,
      channel: 'api',
    });
    expect(request).toMatchObject({ status: 'pending', uniqueSuffixIdr: 0, codeRequired: true });
    expect(request.transferAmountMrp).toBe(amount * 1000n);
    const mutation = (id: string, note: string) => ({
      mutationId: id,
      bankId: 'b',
      accountNumber: '',
      type: 'CR' as const,
      amountMrp: amount * 1000n,
      balanceMrp: null,
      description: '',
      note,
      date: '2026-11-22 10:00:00',
      raw: {},
    });
    // The bare amount matches nobody; the code does.
    expect((await topups.ingestMutations([mutation('code-only-1', '')])).outcomes[0]).toMatchObject({
      outcome: 'unmatched',
    });
    expect(
      (await topups.ingestMutations([mutation('code-only-2', `topup ${request.code}`)])).outcomes[0],
    ).toMatchObject({ outcome: 'matched', matchedBy: 'code', accountId: accounts[1] });
    clock.advance(2 * 3_600_000);
  });

  it('reuses the open request of one person and amount, even when asked concurrently', async () => {
    const [row] = await db.sql<{ id: string }[]>`INSERT INTO accounts DEFAULT VALUES RETURNING id`;
    const asked = await Promise.all(
      Array.from({ length: 10 }, () =>
        topups.createRequest({ accountId: row!.id, amountMrp: 25_000_000n, channel: 'api' }),
      ),
    );
    expect(new Set(asked.map((r) => r.id)).size).toBe(1);
    const rows = await db.sql`SELECT 1 FROM topup_requests WHERE account_id = ${row!.id}`;
    expect(rows).toHaveLength(1);
  });

  it('refuses amounts out of bounds or with a fraction of a rupiah', async () => {
    const ask = (amountMrp: bigint) =>
      topups.createRequest({ accountId: accounts[0]!, amountMrp, channel: 'api' });
    await expect(ask(9_999_000n)).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(ask(50_000_001_000n)).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(ask(10_000_500n)).rejects.toMatchObject({ message: expect.stringMatching(/whole number/) });
  });
});
