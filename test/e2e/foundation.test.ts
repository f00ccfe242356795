import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../core/ports/clock.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const clock = manualClock(new Date('2026-11-01T00:00:00Z'));
let t: TestApp;

async function call(
  method: string,
  url: string,
  options: { body?: unknown; token?: string; raw?: string; type?: string } = {},
) {
  const response = await t.app.inject({
    method: method as 'GET',
    url,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined || options.raw !== undefined
        ? { 'content-type': options.type ?? 'application/json' }
        : {}),
    },
    ...(options.raw !== undefined
      ? { payload: options.raw }
      : options.body !== undefined
        ? { payload: JSON.stringify(options.body) }
        : {}),
  });
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
  return { status: response.statusCode, body: response.json() as Record<string, any> };
}

async function signupAndLogin(email: string): Promise<string> {
  expect(
    (await call('POST', '/auth/signup', { body: { email, password: 'a sturdy passphrase' } })).status,
  ).toBe(201);
  const login = await call('POST', '/auth/login', {
    body: { email: email.toUpperCase(), password: 'a sturdy passphrase' },
  });
  expect(login.status).toBe(200);
  return login.body.token as string;
}

beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

describe('accounts and sessions', () => {
  it('signs up with a normalized email, logs in case-insensitively, and shows the balance', async () => {
    const token = await signupAndLogin('  Budi@Example.COM ');
    const me = await call('GET', '/account', { token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      email: 'budi@example.com',
      balance_idr: 0,
      status: 'active',
      email_verified: false,
    });
  });

  it('refuses duplicate signups, bad emails, weak passwords and unknown fields clearly', async () => {
    await signupAndLogin('dup@example.com');
    const dup = await call('POST', '/auth/signup', {
      body: { email: 'DUP@example.com', password: 'a sturdy passphrase' },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toMatch(/already exists/);
    expect(
      (
        await call('POST', '/auth/signup', {
          body: { email: 'not-an-email', password: 'a sturdy passphrase' },
        })
      ).body.error.message,
    ).toMatch(/valid email/);
    expect(
      (await call('POST', '/auth/signup', { body: { email: 'w@example.com', password: 'short' } })).body.error
        .message,
    ).toMatch(/at least 10/);
    expect(
      (await call('POST', '/auth/signup', { body: { email: 'w@example.com', password: 'aaaaaaaaaaaa' } }))
        .body.error.message,
    ).toMatch(/too simple/);
    const unknown = await call('POST', '/auth/signup', {
      body: { email: 'u@example.com', password: 'a sturdy passphrase', admin: true },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/Unknown field: admin/);
    const wrongType = await call('POST', '/auth/signup', {
      body: { email: 42, password: 'a sturdy passphrase' },
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.param).toBe('email');
    const rows = await t.database.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM accounts WHERE email IN ('w@example.com', 'u@example.com')`;
    expect(rows[0]?.n).toBe(0);
  });

  it('answers malformed JSON, empty and oversized bodies with a 4xx, never a 500', async () => {
    const malformed = await call('POST', '/auth/login', { raw: '{"email":' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({
      type: 'invalid_request_error',
      message: 'The request body is not valid JSON',
    });
    expect((await call('POST', '/auth/login', { raw: '' })).status).toBe(400);
    const huge = await call('POST', '/auth/login', {
      raw: JSON.stringify({ email: 'x'.repeat(11 * 1024 * 1024) }),
    });
    expect(huge.status).toBe(413);
    expect((await call('POST', '/auth/login', { raw: 'email=a', type: 'application/xml' })).status).toBe(415);
  });

  it('refuses wrong passwords and unknown emails alike', async () => {
    await signupAndLogin('pw@example.com');
    const wrong = await call('POST', '/auth/login', {
      body: { email: 'pw@example.com', password: 'not the passphrase' },
    });
    const unknown = await call('POST', '/auth/login', {
      body: { email: 'nobody@example.com', password: 'not the passphrase' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it('verifies the email through the emailed link and refuses forged tokens', async () => {
    const account = await t.container.core.accounts.signup({
      email: 'verify@example.com',
      password: 'a sturdy passphrase',
    });
    const { token } = await t.container.core.tokens.issue({
      sub: account.id,
      purpose: 'verify-email',
      email: 'verify@example.com',
    });
    const ok = await call('GET', `/auth/verify-email?token=${encodeURIComponent(token)}`);
    expect(ok.body).toMatchObject({ verified: true, account: { email_verified: true } });
    expect((await call('GET', '/auth/verify-email?token=forged')).status).toBe(401);
    const session = await t.container.core.tokens.issue({ sub: account.id, purpose: 'session' });
    expect((await call('GET', `/auth/verify-email?token=${session.token}`)).status).toBe(401);
  });

  it('expires sessions after 24 hours', async () => {
    const token = await signupAndLogin('expiry@example.com');
    clock.advance(24 * 3600 * 1000 + 1000);
    expect((await call('GET', '/account', { token })).status).toBe(401);
    clock.advance(-(24 * 3600 * 1000 + 1000));
  });
});

describe('API keys', () => {
  it('creates a key shown once, stores only its hash, authenticates, revokes, expires and checks scopes', async () => {
    const session = await signupAndLogin('keys@example.com');
    const created = await call('POST', '/account/keys', {
      token: session,
      body: { name: 'ci', scopes: ['account', 'chat'] },
    });
    expect(created.status).toBe(201);
    const secret = created.body.secret as string;
    expect(secret).toMatch(/^aip_[A-Za-z0-9_-]{32}$/);
    expect(created.body.prefix).toBe(secret.slice(0, 12));
    const [stored] = await t.database.sql`SELECT hash FROM api_keys WHERE id = ${created.body.id}`;
    expect(stored!.hash).not.toContain(secret.slice(4));
    const listed = await call('GET', '/account/keys', { token: secret });
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    const wrong = await call('GET', '/account', { token: `${secret.slice(0, -1)}x` });
    expect(wrong.status).toBe(401);

    const imagesOnly = await call('POST', '/account/keys', {
      token: session,
      body: { name: 'img', scopes: ['images'] },
    });
    const noScope = await call('GET', '/account', { token: imagesOnly.body.secret });
    expect(noScope.status).toBe(403);
    expect(noScope.body.error.message).toMatch(/lacks the "account" scope/);

    const soon = new Date(clock.now().getTime() + 60_000).toISOString();
    const expiring = await call('POST', '/account/keys', {
      token: session,
      body: { name: 'tmp', expires_at: soon },
    });
    expect((await call('GET', '/account', { token: expiring.body.secret })).status).toBe(200);
    clock.advance(120_000);
    const expired = await call('GET', '/account', { token: expiring.body.secret });
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toMatch(/expired/);

    expect((await call('DELETE', `/account/keys/${created.body.id}`, { token: session })).status).toBe(200);
    expect((await call('GET', '/account', { token: secret })).status).toBe(401);
    expect((await call('DELETE', '/account/keys/not-a-uuid', { token: session })).status).toBe(400);
    expect(
      (await call('DELETE', '/account/keys/00000000-0000-4000-8000-000000000000', { token: session })).status,
    ).toBe(404);
    const audits = await t.database
      .sql`SELECT action FROM audit_log WHERE target_id = ${created.body.id} ORDER BY id`;
    expect(audits.map((a) => a.action)).toEqual(['api_key.create', 'api_key.revoke']);
  });
});

describe('ledger API', () => {
  it('pages through entries newest first with balances as rupiah numbers', async () => {
    const session = await signupAndLogin('ledger@example.com');
    const me = await call('GET', '/account', { token: session });
    for (let i = 1; i <= 3; i++) {
      await t.container.core.ledger.credit('topup', {
        accountId: me.body.id,
        amountMrp: 1_500_500n,
        idempotencyKey: `l${i}`,
      });
    }
    const first = await call('GET', '/account/ledger?limit=2', { token: session });
    expect(first.body.data).toHaveLength(2);
    expect(first.body.data[0]).toMatchObject({ amount_idr: 1500.5, kind: 'topup' });
    const second = await call('GET', `/account/ledger?limit=2&before=${first.body.next_before}`, {
      token: session,
    });
    expect(second.body.data).toHaveLength(1);
    expect((await call('GET', '/account/ledger?limit=0', { token: session })).status).toBe(400);
    expect((await call('GET', '/account', { token: session })).body.balance_idr).toBe(4501.5);
  });
});

describe('health', () => {
  it('reports liveness and readiness of PostgreSQL and Redis', async () => {
    expect((await call('GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await call('GET', '/readyz')).body).toEqual({
      status: 'ready',
      checks: { postgres: true, redis: true },
    });
  });

  it('serves /metrics only with METRICS_TOKEN, and only to its bearer', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    const token = 'metrics-token-0123456789';
    const guarded = await createTestApp({ env: { METRICS_TOKEN: token } });
    try {
      const anonymous = await guarded.app.inject({ method: 'GET', url: '/metrics' });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.body).not.toContain('aiport_http');
      const wrong = await guarded.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: 'Bearer metrics-token-012345678X' },
      });
      expect(wrong.statusCode).toBe(401);
      const right = await guarded.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(right.statusCode).toBe(200);
      expect(right.body).toContain('aiport_http_request_duration_seconds');
    } finally {
      await guarded.close();
    }
  });
});
