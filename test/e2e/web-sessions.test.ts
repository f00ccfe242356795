import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const PASSWORD = 'a sturdy passphrase';
let t: TestApp;

interface Call {
  body?: unknown;
  token?: string;
  cookie?: string;
  csrf?: string;
  web?: boolean;
}

async function call(method: string, url: string, options: Call = {}) {
  const response = await t.app.inject({
    method: method as 'GET',
    url,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.cookie ? { cookie: `aiport_session=${options.cookie}` } : {}),
      ...(options.csrf ? { 'x-csrf-token': options.csrf } : {}),
      ...(options.web ? { 'x-aiport-client': 'web' } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      'user-agent': 'session-test',
    },
    ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}),
  });
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
  const body = (response.body ? response.json() : {}) as Record<string, any>;
  return { status: response.statusCode, body, headers: response.headers };
}

function cookieOf(headers: Record<string, unknown>): string {
  const header = String(headers['set-cookie'] ?? '');
  const match = /aiport_session=([^;]*)/.exec(header);
  if (!match?.[1]) throw new Error(`no session cookie in ${header}`);
  return match[1];
}

async function signup(email: string) {
  expect((await call('POST', '/auth/signup', { body: { email, password: PASSWORD } })).status).toBe(201);
}

async function webLogin(email: string, password = PASSWORD) {
  const login = await call('POST', '/auth/login', { web: true, body: { email, password } });
  expect(login.status).toBe(200);
  return { cookie: cookieOf(login.headers), csrf: login.body.csrf_token as string, body: login.body };
}

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('cookie sessions', () => {
  it('the web login sets an HttpOnly SameSite cookie and never returns the token itself', async () => {
    await signup('cookie@example.com');
    const login = await call('POST', '/auth/login', {
      web: true,
      body: { email: 'cookie@example.com', password: PASSWORD },
    });
    const header = String(login.headers['set-cookie']);
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/SameSite=Lax/);
    expect(header).not.toMatch(/Secure/); // the test server's public URL is http
    expect(login.body.token).toBeUndefined();
    expect(login.body.csrf_token).toMatch(/^[\w-]{20,}$/);
    const session = await call('GET', '/auth/session', { cookie: cookieOf(login.headers) });
    expect(session.status).toBe(200);
    expect(session.body.account.email).toBe('cookie@example.com');
    expect(session.body.csrf_token).toBe(login.body.csrf_token);
  });

  it('writes with the cookie need the session CSRF token; reads do not', async () => {
    const { cookie, csrf } = await webLogin('cookie@example.com');
    const other = await webLogin('cookie@example.com');
    expect((await call('GET', '/account/keys', { cookie })).status).toBe(200);
    const missing = await call('POST', '/account/keys', { cookie, body: { name: 'x' } });
    expect(missing.status).toBe(403);
    expect(missing.body.error.message).toMatch(/CSRF/);
    // Another session's token does not pass for this one.
    expect(
      (await call('POST', '/account/keys', { cookie, csrf: other.csrf, body: { name: 'x' } })).status,
    ).toBe(403);
    expect((await call('POST', '/account/keys', { cookie, csrf, body: { name: 'x' } })).status).toBe(201);
  });

  it('logout ends the session server-side: the same cookie is refused afterwards', async () => {
    const { cookie, csrf } = await webLogin('cookie@example.com');
    const out = await call('POST', '/auth/logout', { cookie, csrf });
    expect(out.status).toBe(200);
    expect(String(out.headers['set-cookie'])).toMatch(/Max-Age=0/);
    const after = await call('GET', '/account', { cookie });
    expect(after.status).toBe(401);
  });

  it('a bearer session from the programmatic login is revoked by logout too', async () => {
    const login = await call('POST', '/auth/login', {
      body: { email: 'cookie@example.com', password: PASSWORD },
    });
    const token = login.body.token as string;
    expect(token).toMatch(/^ses_/);
    expect((await call('GET', '/account', { token })).status).toBe(200);
    expect((await call('POST', '/auth/logout', { token })).status).toBe(200);
    expect((await call('GET', '/account', { token })).status).toBe(401);
  });

  it('sessions are listed and one can be revoked; nobody can revoke another account’s session', async () => {
    await signup('list@example.com');
    const a = await webLogin('list@example.com');
    const b = await webLogin('list@example.com');
    const list = await call('GET', '/auth/sessions', { cookie: a.cookie });
    expect(list.body.data).toHaveLength(2);
    expect(list.body.data.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(list.body.data[0].user_agent).toBe('session-test');
    const bId = list.body.data.find((s: { current: boolean }) => !s.current).id;
    const stranger = await webLogin('cookie@example.com');
    expect((await call('DELETE', `/auth/sessions/${bId}`, stranger)).status).toBe(404);
    expect((await call('DELETE', `/auth/sessions/${bId}`, a)).status).toBe(200);
    expect((await call('GET', '/account', { cookie: b.cookie })).status).toBe(401);
    expect((await call('GET', '/account', { cookie: a.cookie })).status).toBe(200);
  });

  it('a password change keeps this session and revokes the others', async () => {
    await signup('change@example.com');
    const a = await webLogin('change@example.com');
    const b = await webLogin('change@example.com');
    const wrong = await call('POST', '/account/password', {
      ...a,
      body: { current_password: 'not it at all', new_password: 'another sturdy one' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.param).toBe('current_password');
    const changed = await call('POST', '/account/password', {
      ...a,
      body: { current_password: PASSWORD, new_password: 'another sturdy one' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.revoked_sessions).toBe(1);
    expect((await call('GET', '/account', { cookie: a.cookie })).status).toBe(200);
    expect((await call('GET', '/account', { cookie: b.cookie })).status).toBe(401);
    expect(
      (await call('POST', '/auth/login', { body: { email: 'change@example.com', password: PASSWORD } }))
        .status,
    ).toBe(401);
    await webLogin('change@example.com', 'another sturdy one');
  });

  it('password reset by email: the mailed link sets a new password once and ends every session', async () => {
    await signup('reset@example.com');
    const before = await webLogin('reset@example.com');
    // Unknown emails get the same answer and no mail.
    const mails = t.container.outbox.length;
    expect(
      (await call('POST', '/auth/password-reset', { body: { email: 'nobody@example.com' } })).status,
    ).toBe(202);
    expect(t.container.outbox.length).toBe(mails);
    expect(
      (await call('POST', '/auth/password-reset', { body: { email: 'Reset@Example.com' } })).status,
    ).toBe(202);
    const mail = t.container.outbox.at(-1);
    expect(mail?.to).toBe('reset@example.com');
    const token = decodeURIComponent(/token=([^&\s]+)/.exec(mail?.link ?? '')?.[1] ?? '');
    const weak = await call('POST', '/auth/password-reset/confirm', { body: { token, password: 'short' } });
    expect(weak.status).toBe(400);
    const ok = await call('POST', '/auth/password-reset/confirm', {
      body: { token, password: 'a brand new passphrase' },
    });
    expect(ok.status).toBe(200);
    expect((await call('GET', '/account', { cookie: before.cookie })).status).toBe(401);
    const again = await call('POST', '/auth/password-reset/confirm', {
      body: { token, password: 'yet another passphrase' },
    });
    expect(again.status).toBe(400);
    await webLogin('reset@example.com', 'a brand new passphrase');
  });

  it('an email change is re-verified: the address is unverified until the new link is opened', async () => {
    await signup('move@example.com');
    const s = await webLogin('move@example.com');
    const changed = await call('PATCH', '/account', { ...s, body: { email: 'moved@example.com' } });
    expect(changed.status).toBe(200);
    expect(changed.body.email_verified).toBe(false);
    const mail = t.container.outbox.at(-1);
    expect(mail?.to).toBe('moved@example.com');
    const link = new URL(mail?.link ?? '');
    expect((await call('GET', `${link.pathname}${link.search}`)).status).toBe(200);
    expect((await call('GET', '/account', { cookie: s.cookie })).body.email_verified).toBe(true);
  });

  it('a suspended account’s session is read-only: no keys, top-ups or email change; it can still sign out', async () => {
    await signup('suspended@example.com');
    const s = await webLogin('suspended@example.com');
    await t.container.db.sql`UPDATE accounts SET status = 'suspended' WHERE email = 'suspended@example.com'`;
    expect((await call('GET', '/account', { cookie: s.cookie })).status).toBe(200);
    expect((await call('GET', '/account/usage', { cookie: s.cookie })).status).toBe(200);
    for (const [method, url, body] of [
      ['POST', '/account/keys', { name: 'k' }],
      ['POST', '/account/topups', { amount_idr: 50000 }],
      ['PATCH', '/account', { email: 'elsewhere@example.com' }],
    ] as const) {
      const refused = await call(method, url, { ...s, body });
      expect(refused.status, url).toBe(403);
      expect(refused.body.error.code).toBe('account_suspended');
    }
    expect((await call('POST', '/auth/logout', s)).status).toBe(200);
  });
});
