import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpAt } from '../../core/admin/index.js';
import { manualClock } from '../../core/ports/clock.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const clock = manualClock(new Date('2026-11-01T00:00:10Z'));
const ADMIN = { email: 'ops@aiport.id', password: 'an operator passphrase' };
let t: TestApp;
let secret: string;
let adminId: string;
let adminToken: string;

async function call(
  method: string,
  url: string,
  options: { body?: unknown; token?: string; ip?: string } = {},
) {
  const response = await t.app.inject({
    method: method as 'GET',
    url,
    remoteAddress: options.ip ?? '203.0.113.10',
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}),
  });
  return {
    status: response.statusCode,
    // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
    body: response.json() as Record<string, any>,
    headers: response.headers,
  };
}

const code = (offsetSteps = 0) => totpAt(secret, clock.now().getTime() + offsetSteps * 30_000);

async function login(c = code()) {
  return call('POST', '/admin/login', { body: { ...ADMIN, code: c } });
}

async function auditActions(): Promise<
  { action: string; actor_id: string | null; ip: string | null; reason: string | null }[]
> {
  return t.container.db
    .sql`SELECT action, actor_id, host(ip) AS ip, reason FROM audit_log WHERE actor_type = 'admin' ORDER BY id` as never;
}

let customer: { id: string; key: string };

beforeAll(async () => {
  t = await createTestApp({ clock });
  const enrollment = await t.container.core.adminUsers.create(ADMIN);
  secret = enrollment.totpSecret;
  adminId = enrollment.id;
  expect(enrollment.totpUri).toMatch(/^otpauth:\/\/totp\/AIport%20Admin:ops%40aiport\.id\?secret=/);

  await call('POST', '/auth/signup', {
    body: { email: 'siti@example.com', password: 'a sturdy passphrase', name: 'Siti' },
  });
  const userLogin = await call('POST', '/auth/login', {
    body: { email: 'siti@example.com', password: 'a sturdy passphrase' },
  });
  const key = await call('POST', '/account/keys', { token: userLogin.body.token, body: { name: 'app' } });
  customer = { id: userLogin.body.account.id, key: key.body.secret };
});
afterAll(() => t.close());

describe('admin sign-in', () => {
  it('needs password and TOTP; a used code is never accepted twice', async () => {
    expect((await call('POST', '/admin/login', { body: { ...ADMIN, code: '000000' } })).status).toBe(401);
    expect(
      (
        await call('POST', '/admin/login', {
          body: { ...ADMIN, password: 'wrong password here', code: code() },
        })
      ).status,
    ).toBe(401);
    const first = await login();
    expect(first.status).toBe(200);
    expect(first.body.admin).toEqual({ id: adminId, email: ADMIN.email });
    expect(first.body.expires_at).toBe(
      new Date(clock.now().getTime() + 30 * 60_000).toISOString().replace(/\.\d{3}Z$/, '.000Z'),
    );
    adminToken = first.body.token;

    const replay = await login();
    expect(replay.status).toBe(401);
    expect(replay.body.error.message).toBe('Wrong email, password or code');
    // An older step than the one used is refused too, even inside the drift window.
    expect((await login(code(-1))).status).toBe(401);
  });

  it('refuses a code three steps old, and accepts the next step once', async () => {
    clock.advance(30_000);
    expect((await login(code(-3))).status).toBe(401);
    const next = await login();
    expect(next.status).toBe(200);
    adminToken = next.body.token;
  });

  it('two logins racing with one code: exactly one wins', async () => {
    clock.advance(30_000);
    const c = code();
    const results = await Promise.all([login(c), login(c), login(c)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401]);
    adminToken = results.find((r) => r.status === 200)!.body.token;
  });

  it('sessions are short: 30 minutes', async () => {
    expect((await call('GET', '/admin/me', { token: adminToken })).status).toBe(200);
    expect((await call('GET', '/admin/me')).status).toBe(401);
    // A user session is not an admin session.
    const user = await call('POST', '/auth/login', {
      body: { email: 'siti@example.com', password: 'a sturdy passphrase' },
    });
    expect((await call('GET', '/admin/me', { token: user.body.token })).status).toBe(401);
    clock.advance(31 * 60_000);
    expect((await call('GET', '/admin/me', { token: adminToken })).status).toBe(401);
    clock.advance(30_000);
    adminToken = (await login()).body.token;
  });
});

describe('admin actions', () => {
  it('searches accounts and shows balance, ledger and job metadata without content', async () => {
    await t.container.db.sql`
      INSERT INTO jobs (account_id, channel, kind, model, status, prompt, output, cost_mrp)
      VALUES (${customer.id}, 'api', 'chat', 'gpt-4o-mini', 'succeeded', '{"secret":"PROMPT-TEXT"}', '{"t":"OUTPUT-TEXT"}', 1500)`;
    const search = await call('GET', '/admin/accounts?q=SITI@', { token: adminToken });
    expect(search.body.data).toEqual([
      expect.objectContaining({ id: customer.id, email: 'siti@example.com' }),
    ]);
    expect((await call('GET', '/admin/accounts?q=x', { token: adminToken })).status).toBe(400);

    const detail = await call('GET', `/admin/accounts/${customer.id}`, { token: adminToken });
    expect(detail.status).toBe(200);
    expect(detail.body.account).toMatchObject({ id: customer.id, balance_idr: 0, legal_hold: false });
    expect(detail.body.jobs).toEqual([expect.objectContaining({ model: 'gpt-4o-mini', cost_idr: 1.5 })]);
    expect(JSON.stringify(detail.body)).not.toMatch(/PROMPT-TEXT|OUTPUT-TEXT/);
    expect((await call('GET', `/admin/accounts/${randomUUID()}`, { token: adminToken })).status).toBe(404);
  });

  it('adjusts a balance with a reason, once per idempotency key', async () => {
    const body = {
      amount_idr: 25_000.5,
      reason: 'Goodwill for outage #12',
      idempotency_key: 'adj-0001-goodwill',
    };
    const credit = await call('POST', `/admin/accounts/${customer.id}/balance`, { token: adminToken, body });
    expect(credit.status).toBe(200);
    expect(credit.body).toMatchObject({ balance_idr: 25_000.5, created: true });
    const retry = await call('POST', `/admin/accounts/${customer.id}/balance`, { token: adminToken, body });
    expect(retry.body).toMatchObject({ balance_idr: 25_000.5, created: false });
    const debit = await call('POST', `/admin/accounts/${customer.id}/balance`, {
      token: adminToken,
      body: { amount_idr: -500.5, reason: 'Reverse duplicate credit', idempotency_key: 'adj-0002-reverse' },
    });
    expect(debit.body.balance_idr).toBe(24_500);
    const tooMuch = await call('POST', `/admin/accounts/${customer.id}/balance`, {
      token: adminToken,
      body: { amount_idr: -1_000_000, reason: 'Too much', idempotency_key: 'adj-0003-toomuch' },
    });
    expect(tooMuch.status).toBe(402);
    expect(await t.container.core.ledger.verify(customer.id)).toEqual([]);
  });

  it('refuses any action without a reason, changing nothing', async () => {
    const before = (await auditActions()).length;
    const noReason = await call('POST', `/admin/accounts/${customer.id}/balance`, {
      token: adminToken,
      body: { amount_idr: 100, idempotency_key: 'adj-0004-noreason' },
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toMatch(/reason/);
    const blank = await call('POST', `/admin/accounts/${customer.id}/suspend`, {
      token: adminToken,
      body: { reason: '   ' },
    });
    expect(blank.status).toBe(400);
    expect(
      (await call('POST', `/admin/accounts/${customer.id}/suspend`, { token: adminToken, body: {} })).status,
    ).toBe(400);
    expect((await t.container.core.ledger.balance(customer.id)).balanceMrp).toBe(24_500_000n);
    expect((await call('GET', '/account', { token: customer.key })).status).toBe(200);
    expect((await auditActions()).length).toBe(before);
  });

  it('suspends (keys refuse politely) and reinstates', async () => {
    const suspend = await call('POST', `/admin/accounts/${customer.id}/suspend`, {
      token: adminToken,
      body: { reason: 'Chargeback investigation' },
    });
    expect(suspend.body).toEqual({ id: customer.id, status: 'suspended' });
    const refused = await call('GET', '/account', { token: customer.key });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({
      code: 'account_suspended',
      message: 'This account is suspended. Contact support.',
    });
    await call('POST', `/admin/accounts/${customer.id}/unsuspend`, {
      token: adminToken,
      body: { reason: 'Resolved' },
    });
    expect((await call('GET', '/account', { token: customer.key })).status).toBe(200);
  });

  it('puts a job or an account under legal hold, and refuses a missing job clearly', async () => {
    const missing = await call('POST', `/admin/jobs/${randomUUID()}/legal-hold`, {
      token: adminToken,
      body: { hold: true, reason: 'Police request 2026/77' },
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(/No job .* nothing was put on hold/);
    const [job] = await t.container.db.sql`SELECT id FROM jobs WHERE account_id = ${customer.id}`;
    const held = await call('POST', `/admin/jobs/${job!.id}/legal-hold`, {
      token: adminToken,
      body: { hold: true, reason: 'Police request 2026/77' },
    });
    expect(held.body).toEqual({ type: 'job', id: job!.id, legal_hold: true });
    const account = await call('POST', `/admin/accounts/${customer.id}/legal-hold`, {
      token: adminToken,
      body: { hold: true, reason: 'Police request 2026/77' },
    });
    expect(account.body.legal_hold).toBe(true);
    const [rows] = await t.container.db
      .sql`SELECT a.legal_hold AS account, j.legal_hold AS job FROM accounts a JOIN jobs j ON j.account_id = a.id WHERE a.id = ${customer.id}`;
    expect(rows).toEqual({ account: true, job: true });
  });

  it('every admin action wrote an audit row with who, what, before/after, reason and IP', async () => {
    const rows = await auditActions();
    const changes = rows.filter((r) => r.action !== 'admin.login' && r.action !== 'admin.login_refused');
    expect(changes.map((r) => r.action)).toEqual([
      'account.view',
      'account.balance_adjust',
      'account.balance_adjust',
      'account.suspend',
      'account.unsuspend',
      'job.legal_hold',
      'account.legal_hold',
    ]);
    for (const row of changes) expect(row).toMatchObject({ actor_id: adminId, ip: '203.0.113.10' });
    expect(changes[1]!.reason).toBe('Goodwill for outage #12');
    const audit = await call('GET', `/admin/audit?target_type=account&target_id=${customer.id}`, {
      token: adminToken,
    });
    const suspend = audit.body.data.find((r: { action: string }) => r.action === 'account.suspend');
    expect(suspend).toMatchObject({
      before: { status: 'active' },
      after: { status: 'suspended' },
      reason: 'Chargeback investigation',
    });
    const adjust = audit.body.data.find((r: { action: string }) => r.action === 'account.balance_adjust');
    expect(adjust.before).toEqual({ balance_mrp: '25000500' });
    expect(rows.filter((r) => r.action === 'admin.login').length).toBeGreaterThanOrEqual(4);
    // Key creation by the customer is audited too.
    const [keyAudit] = await t.container.db
      .sql`SELECT actor_id FROM audit_log WHERE action = 'api_key.create'`;
    expect(keyAudit!.actor_id).toBe(customer.id);
  });
});
