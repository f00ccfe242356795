import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpAt } from '../../core/admin/index.js';
import { manualClock } from '../../core/ports/clock.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const clock = manualClock(new Date('2026-11-01T00:00:10Z'));
const DASHBOARD = 'https://app.aiport.test';
let t: TestApp;

async function call(
  method: string,
  url: string,
  options: { body?: unknown; ip?: string; headers?: Record<string, string> } = {},
) {
  const response = await t.app.inject({
    method: method as 'GET',
    url,
    remoteAddress: options.ip ?? '198.51.100.20',
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}),
  });
  return { status: response.statusCode, headers: response.headers, text: response.body };
}

beforeAll(async () => {
  t = await createTestApp({ clock, env: { PUBLIC_URL: `${DASHBOARD}/` } });
  await call('POST', '/auth/signup', {
    body: { email: 'dewi@example.com', password: 'a sturdy passphrase' },
  });
});
afterAll(() => t.close());

const userLogin = (password: string, ip?: string) =>
  call('POST', '/auth/login', { body: { email: 'DEWI@example.com', password }, ...(ip ? { ip } : {}) });

describe('failed sign-ins', () => {
  it('throttle a person after five failures, then lock that address, without checking the password', async () => {
    for (let i = 0; i < 5; i++) expect((await userLogin(`wrong password ${i}`)).status).toBe(401);
    const throttled = await userLogin('a sturdy passphrase');
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('1');
    clock.advance(1_000);
    expect((await userLogin('a sturdy passphrase', '198.51.100.21')).status).toBe(200);

    // Ten failures from one address (waiting out each delay) lock that address for the window...
    for (let i = 0; i < 10; i++) {
      const r = await userLogin(`wrong again ${i}`, '198.51.100.30');
      expect(r.status).toBe(401);
      clock.advance(61_000);
    }
    const locked = await userLogin('a sturdy passphrase', '198.51.100.30');
    expect(locked.status).toBe(429);
    expect(locked.text).toMatch(/locked/);
    // ...but not the account: its owner signs in from the address they used before.
    expect((await userLogin('a sturdy passphrase', '198.51.100.21')).status).toBe(200);
    clock.advance(15 * 60_000);
    expect((await userLogin('a sturdy passphrase', '198.51.100.30')).status).toBe(200);
  });

  it('throttle an IP that tries many accounts', async () => {
    const ip = '192.0.2.200';
    for (let i = 0; i < 20; i++) {
      await call('POST', '/auth/login', {
        body: { email: `nobody${i}@example.com`, password: 'whatever pass' },
        ip,
      });
    }
    expect((await userLogin('a sturdy passphrase', ip)).status).toBe(429);
    expect((await userLogin('a sturdy passphrase', '192.0.2.201')).status).toBe(200);
  });

  it('throttle admin sign-in too, separately from people', async () => {
    const admin = await t.container.core.adminUsers.create({
      email: 'root@aiport.id',
      password: 'an operator passphrase',
    });
    const adminLogin = (code: string) =>
      call('POST', '/admin/login', {
        body: { email: 'root@aiport.id', password: 'an operator passphrase', code },
        ip: '203.0.113.50',
      });
    for (let i = 0; i < 5; i++) expect((await adminLogin('123456')).status).toBe(401);
    const throttled = await adminLogin(totpAt(admin.totpSecret, clock.now().getTime()));
    expect(throttled.status).toBe(429);
    clock.advance(2_000);
    expect((await adminLogin(totpAt(admin.totpSecret, clock.now().getTime()))).status).toBe(200);
  });
});

describe('security headers', () => {
  it('are on every response, with a strict CSP on HTML pages', async () => {
    const json = await call('GET', '/healthz');
    expect(json.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
    });
    // The emailed verification link now redirects to the web app: its page carries the policy.
    const page = await call('GET', '/', { headers: { accept: 'text/html' } });
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
  });
});

describe('CORS', () => {
  const preflight = (url: string, origin: string) =>
    call('OPTIONS', url, {
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });

  it('lets any origin call /v1 without credentials', async () => {
    const r = await preflight('/v1/chat/completions', 'https://someone-elses-app.example');
    expect(r.headers['access-control-allow-origin']).toBe('*');
    expect(r.headers['access-control-allow-credentials']).toBeUndefined();
    expect(String(r.headers['access-control-allow-headers'])).toMatch(/authorization/);
  });

  it('lets only the dashboard origin call /account and /auth, with credentials', async () => {
    const ok = await preflight('/account/keys', DASHBOARD);
    expect(ok.headers['access-control-allow-origin']).toBe(DASHBOARD);
    expect(ok.headers['access-control-allow-credentials']).toBe('true');
    const evil = await preflight('/auth/login', 'https://evil.example');
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await call('GET', '/account', { headers: { origin: 'https://evil.example' } });
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends no CORS headers for /admin', async () => {
    const r = await preflight('/admin/login', DASHBOARD);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });
});
