import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpAt } from '../../core/admin/index.js';
import { manualClock } from '../../core/ports/clock.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const clock = manualClock(new Date('2026-11-01T00:00:10Z'));
let t: TestApp;
let token: string;
let adminId: string;
let accountId: string;

async function call(method: string, url: string, body?: unknown) {
  const response = await t.app.inject({
    method: method as 'GET',
    url,
    remoteAddress: '203.0.113.77',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
  return { status: response.statusCode, body: response.json() as Record<string, any> };
}

async function mutation(id: string, amountMrp: bigint) {
  await t.container.db.sql`
    INSERT INTO bank_mutations (mutation_id, type, amount_mrp, description, status)
    VALUES (${id}, 'CR', ${amountMrp}, 'TRF DARI BUDI', 'unmatched')`;
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  const admin = await t.container.core.adminUsers.create({
    email: 'money@aiport.id',
    password: 'an operator passphrase',
  });
  adminId = admin.id;
  const login = await t.app.inject({
    method: 'POST',
    url: '/admin/login',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({
      email: 'money@aiport.id',
      password: 'an operator passphrase',
      code: totpAt(admin.totpSecret, clock.now().getTime()),
    }),
  });
  token = login.json().token;
  const [row] = await t.container.db.sql<
    { id: string }[]
  >`INSERT INTO accounts (email) VALUES ('budi@example.com') RETURNING id`;
  accountId = row!.id;
});
afterAll(() => t.close());

describe('unmatched bank transfers', () => {
  it('lists, assigns once with a reason (audited with IP), and refuses a second assignment', async () => {
    await mutation('mut-1', 150_000_000n);
    await mutation('mut-2', 75_000_000n);
    const list = await call('GET', '/admin/mutations/unmatched');
    expect(list.body.data.map((m: { mutation_id: string }) => m.mutation_id)).toEqual(['mut-1', 'mut-2']);
    expect(list.body.data[0]).toMatchObject({ amount_idr: 150_000, status: 'unmatched' });

    expect((await call('POST', '/admin/mutations/mut-1/assign', { account_id: accountId })).status).toBe(400);
    const assigned = await call('POST', '/admin/mutations/mut-1/assign', {
      account_id: accountId,
      reason: 'Customer sent proof of transfer',
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({
      balance_idr: 150_000,
      mutation: { status: 'assigned', account_id: accountId },
    });
    const again = await call('POST', '/admin/mutations/mut-1/assign', {
      account_id: accountId,
      reason: 'again please',
    });
    expect(again.status).toBe(409);
    expect(await t.container.core.ledger.verify(accountId)).toEqual([]);

    const returned = await call('POST', '/admin/mutations/mut-2/returned', {
      reason: 'Sender asked for refund',
    });
    expect(returned.body.status).toBe('returned');
    expect((await call('GET', '/admin/mutations/unmatched')).body.data).toEqual([]);
    expect((await call('GET', '/admin/mutations/nope')).status).toBe(404);

    const audit = await t.container.db.sql`
      SELECT action, actor_id, host(ip) AS ip, reason FROM audit_log WHERE target_type = 'bank_mutation' ORDER BY id`;
    expect(audit).toEqual([
      {
        action: 'bank_mutation.assign',
        actor_id: adminId,
        ip: '203.0.113.77',
        reason: 'Customer sent proof of transfer',
      },
      {
        action: 'bank_mutation.return',
        actor_id: adminId,
        ip: '203.0.113.77',
        reason: 'Sender asked for refund',
      },
    ]);
  });
});

describe('vouchers', () => {
  it('creates and lists vouchers with a reason, audited', async () => {
    expect((await call('POST', '/admin/vouchers', { amount_idr: 10_000, max_uses: 100 })).status).toBe(400);
    const created = await call('POST', '/admin/vouchers', {
      code: 'promo-merdeka',
      amount_idr: 10_000,
      max_uses: 100,
      reason: 'Independence day campaign',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: 'PROMO-MERDEKA', amount_idr: 10_000, max_uses: 100, uses: 0 });
    expect((await call('GET', '/admin/vouchers')).body.data).toHaveLength(1);
    const [row] = await t.container.db.sql`
      SELECT actor_id, host(ip) AS ip, reason FROM audit_log WHERE action = 'voucher.create'`;
    expect(row).toEqual({ actor_id: adminId, ip: '203.0.113.77', reason: 'Independence day campaign' });
  });
});

describe('provider and route health', () => {
  it('shows the router snapshot', async () => {
    const health = await call('GET', '/admin/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ providers: expect.any(Array), routes: expect.any(Array) });
    expect(typeof health.body.models_served).toBe('number');
  });

  it('needs an admin session', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/admin/health' });
    expect(response.statusCode).toBe(401);
  });
});
