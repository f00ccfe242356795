import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * Accounts under attack over real HTTP: scripted sign-ups cannot block an honest top-up, closed
 * accounts take no money, a suspended account's session is read-only, and a key never mints a
 * stronger key. Behind a trusted proxy (127.0.0.1), so a test can play many client addresses.
 */
let t: TestApp;
const PASSWORD = 'a sturdy passphrase';

async function call(
  method: string,
  path: string,
  options: { body?: unknown; token?: string; ip?: string } = {},
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
): Promise<{ status: number; body: Record<string, any> }> {
  const response = await fetch(`${t.url}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      'x-forwarded-for': options.ip ?? '198.51.100.1',
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

/** A session for an account, signed by our token service (login is exercised in login-abuse). */
async function sessionOf(email: string): Promise<string> {
  const [row] = await t.container.db.sql<{ id: string }[]>`SELECT id FROM accounts WHERE email = ${email}`;
  return (await t.container.core.sessions.create(row!.id)).token;
}

async function signup(email: string, ip: string) {
  return call('POST', '/auth/signup', { body: { email, password: PASSWORD }, ip });
}

beforeAll(async () => {
  t = await createTestApp({ env: { TRUSTED_PROXIES: '127.0.0.1' } });
  await t.listen();
});
afterAll(() => t.close());

describe('sign-up and top-up abuse', () => {
  it('limits sign-ups per address and per network', async () => {
    const fromOne = await Promise.all(
      Array.from({ length: 25 }, (_, i) => signup(`one${i}@example.com`, '203.0.113.10')),
    );
    expect(fromOne.filter((r) => r.status === 201)).toHaveLength(10);
    expect(fromOne.filter((r) => r.status === 429)).toHaveLength(15);
    const fromNetwork = await Promise.all(
      Array.from({ length: 40 }, (_, i) => signup(`net${i}@example.com`, `192.0.2.${i + 1}`)),
    );
    expect(fromNetwork.filter((r) => r.status === 201)).toHaveLength(30);
    // Another network is not affected.
    expect((await signup('elsewhere@example.com', '198.51.100.200')).status).toBe(201);
  });

  it('200 scripted sign-ups hoarding Rp 10.000 top-ups cannot block an honest person', async () => {
    // The attacker holds 200 networks (the worst case): every sign-up gets through.
    const bots = Array.from({ length: 200 }, (_, i) => `bot${i}@example.com`);
    for (let i = 0; i < bots.length; i += 25) {
      const batch = await Promise.all(
        bots.slice(i, i + 25).map((email, j) => signup(email, `10.${i + j}.0.1`)),
      );
      expect(batch.every((r) => r.status === 201)).toBe(true);
    }
    // Each asks, concurrently and again and again, for amounts whose unique suffixes overlap.
    let refused = 0;
    for (let i = 0; i < bots.length; i += 20) {
      const asks = await Promise.all(
        bots.slice(i, i + 20).flatMap((email) =>
          [10_000, 10_300, 10_600, 10_900, 10_000, 10_300].map(async (amount) =>
            call('POST', '/account/topups', {
              token: await sessionOf(email),
              body: { amount_idr: amount },
            }),
          ),
        ),
      );
      refused += asks.filter((r) => r.status === 409).length;
      expect(asks.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    }
    // Repeats reuse the open request; whichever amount comes fourth passes the open limit of three.
    expect(refused).toBeGreaterThanOrEqual(200);
    const [held] = await t.container.db.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM topup_requests WHERE status = 'pending'`;
    expect(held!.n).toBe(600);

    expect((await signup('honest@example.com', '198.51.100.7')).status).toBe(201);
    const honest = await call('POST', '/account/topups', {
      token: await sessionOf('honest@example.com'),
      body: { amount_idr: 10_000 },
    });
    expect(honest.status).toBe(201);
    expect(honest.body.status).toBe('pending');
  }, 180_000);
});

describe('a closed account gets no money', () => {
  it('closing cancels open top-up requests; a transfer that later matches one waits unmatched for an admin', async () => {
    expect((await signup('closing@example.com', '198.51.100.8')).status).toBe(201);
    const token = await sessionOf('closing@example.com');
    const request = await call('POST', '/account/topups', { token, body: { amount_idr: 50_000 } });
    expect(request.status).toBe(201);
    const deleted = await call('DELETE', '/account', {
      token,
      body: { confirm: 'DELETE', password: PASSWORD },
    });
    expect(deleted.status).toBe(200);
    const [row] = await t.container.db.sql<{ status: string; account_id: string }[]>`
      SELECT status, account_id FROM topup_requests WHERE id = ${request.body.id}`;
    expect(row!.status).toBe('cancelled');

    const mutation = (id: string, amountIdr: number, note: string) => ({
      mutationId: id,
      bankId: 'bca',
      accountNumber: '',
      type: 'CR' as const,
      amountMrp: BigInt(amountIdr) * 1000n,
      balanceMrp: null,
      description: '',
      note,
      date: '2026-11-22 10:00:00',
      raw: {},
    });
    const result = await t.container.core.topups.ingestMutations([
      mutation('closed-by-code', 50_000, `topup ${request.body.code}`),
      mutation('closed-by-amount', request.body.transfer_amount_idr, ''),
    ]);
    expect(result.outcomes.map((o) => o.outcome)).toEqual(['unmatched', 'unmatched']);
    expect((await t.container.core.ledger.balance(row!.account_id)).balanceMrp).toBe(0n);
    const unmatched = await t.container.core.topups.listUnmatched();
    expect(unmatched.map((m) => m.mutationId)).toEqual(
      expect.arrayContaining(['closed-by-code', 'closed-by-amount']),
    );
  });
});

describe('a suspended account', () => {
  it('keeps a read-only session: no keys, no top-ups, no email change', async () => {
    expect((await signup('suspended@example.com', '198.51.100.9')).status).toBe(201);
    const token = await sessionOf('suspended@example.com');
    const key = await call('POST', '/account/keys', { token, body: { name: 'before', scopes: ['account'] } });
    expect(key.status).toBe(201);
    const [row] = await t.container.db.sql<{ id: string }[]>`
      SELECT id FROM accounts WHERE email = 'suspended@example.com'`;
    const admin = await t.container.core.adminUsers.create({
      email: 'ops@aiport.id',
      password: 'an operator passphrase',
    });
    await t.container.core.adminConsole.setSuspended(row!.id, true, 'Fraud review', {
      adminId: admin.id,
      ip: '203.0.113.9',
    });
    expect((await call('GET', '/account', { token })).status).toBe(200);
    for (const credential of [token, key.body.secret as string]) {
      const keys = await call('POST', '/account/keys', { token: credential, body: { name: 'after' } });
      expect(keys.status).toBe(403);
      const topup = await call('POST', '/account/topups', {
        token: credential,
        body: { amount_idr: 20_000 },
      });
      expect(topup.status).toBe(403);
      const email = await call('PATCH', '/account', {
        token: credential,
        body: { email: 'new@example.com' },
      });
      expect(email.status).toBe(403);
    }
    const [after] = await t.container.db.sql<{ email: string; keys: number; topups: number }[]>`
      SELECT a.email, (SELECT count(*)::int FROM api_keys k WHERE k.account_id = a.id) AS keys,
             (SELECT count(*)::int FROM topup_requests r WHERE r.account_id = a.id) AS topups
      FROM accounts a WHERE a.id = ${row!.id}`;
    expect(after).toEqual({ email: 'suspended@example.com', keys: 1, topups: 0 });
  });
});

describe('key scopes', () => {
  it('a key creates only keys with scopes it has; a session may grant any', async () => {
    expect((await signup('scopes@example.com', '198.51.100.11')).status).toBe(201);
    const token = await sessionOf('scopes@example.com');
    const accountOnly = await call('POST', '/account/keys', {
      token,
      body: { name: 'admin', scopes: ['account'] },
    });
    expect(accountOnly.status).toBe(201);
    const secret = accountOnly.body.secret as string;

    const escalate = await call('POST', '/account/keys', {
      token: secret,
      body: { name: 'all', scopes: ['chat', 'account'] },
    });
    expect(escalate.status).toBe(403);
    expect(escalate.body.error.message).toMatch(/cannot grant scopes it does not have \(chat\)/);
    // Without scopes a key-made key inherits its maker's, not every scope.
    const child = await call('POST', '/account/keys', { token: secret, body: { name: 'child' } });
    expect(child.status).toBe(201);
    expect(child.body.scopes).toEqual(['account']);
    const full = await call('POST', '/account/keys', { token, body: { name: 'full' } });
    expect(full.body.scopes).toEqual(['chat', 'images', 'videos', 'account']);
  });
});
