import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * Sign-in under attack, over real HTTP with real concurrent requests: the throttle counts before the
 * password check, the client address is the socket's unless a trusted proxy says otherwise, and
 * nobody can lock someone else out.
 */
let direct: TestApp;
let proxied: TestApp;

async function post(t: TestApp, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${t.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const PASSWORD = 'a sturdy passphrase';

beforeAll(async () => {
  direct = await createTestApp();
  proxied = await createTestApp({ env: { TRUSTED_PROXIES: '127.0.0.1' } });
  for (const t of [direct, proxied]) {
    await t.listen();
    for (const email of ['dewi@example.com', 'rudi@example.com', 'sari@example.com']) {
      expect((await post(t, '/auth/signup', { email, password: PASSWORD })).status).toBe(201);
    }
  }
});
afterAll(async () => {
  await direct.close();
  await proxied.close();
});

describe('login throttling under concurrency', () => {
  it('lets no more than the lock limit of 40 concurrent wrong passwords reach the password check', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        post(direct, '/auth/login', { email: 'dewi@example.com', password: `wrong guess ${i}` }),
      ),
    );
    const checked = results.filter((r) => r.status === 401).length;
    expect(checked).toBeGreaterThan(0);
    // Five pass at once; the progressive wait (1 s, 2 s, ...) of the real clock may admit one or two
    // more while the burst lasts; the hard lock at ten holds whatever the timing.
    expect(checked).toBeLessThanOrEqual(10);
    expect(results.filter((r) => r.status === 429)).toHaveLength(40 - checked);
  });

  it('does the same for the admin sign-in', async () => {
    await direct.container.core.adminUsers.create({
      email: 'root@aiport.id',
      password: 'an operator passphrase',
    });
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        post(direct, '/admin/login', {
          email: 'root@aiport.id',
          password: 'wrong operator pass',
          code: '000000',
        }),
      ),
    );
    expect(results.filter((r) => r.status === 401).length).toBeLessThanOrEqual(10);
    expect(results.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(20);
  });
});

describe('the client address', () => {
  it('ignores X-Forwarded-For without a trusted proxy: sprayed logins with rotating headers are throttled', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      const r = await post(
        direct,
        '/auth/login',
        { email: `nobody${i}@example.com`, password: 'whatever pass' },
        { 'x-forwarded-for': `203.0.113.${i}` },
      );
      statuses.push(r.status);
    }
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(20);
  });

  it('records the address the trusted proxy saw in audit rows, not one the client wrote', async () => {
    const session = await post(proxied, '/auth/login', { email: 'rudi@example.com', password: PASSWORD });
    expect(session.status).toBe(200);
    const created = await post(
      proxied,
      '/account/keys',
      { name: 'ci' },
      { authorization: `Bearer ${session.body.token}`, 'x-forwarded-for': '198.51.100.77' },
    );
    expect(created.status).toBe(201);
    const [row] = await proxied.container.db.sql<{ ip: string }[]>`
      SELECT host(ip) AS ip FROM audit_log WHERE action = 'api_key.create'`;
    // Behind the trusted proxy (127.0.0.1) the forwarded address is the client's.
    expect(row?.ip).toBe('198.51.100.77');

    const forged = await post(
      proxied,
      '/account/keys',
      { name: 'ci2' },
      { authorization: `Bearer ${session.body.token}`, 'x-forwarded-for': '198.51.100.78, 10.9.9.9' },
    );
    expect(forged.status).toBe(201);
    const rows = await proxied.container.db.sql<{ ip: string }[]>`
      SELECT host(ip) AS ip FROM audit_log WHERE action = 'api_key.create' ORDER BY id`;
    // Only the proxy's own hop is believed: the rightmost address it saw, not one the client wrote.
    expect(rows[1]?.ip).toBe('10.9.9.9');
  });

  it('throttles per forwarded address behind a trusted proxy, so one client cannot block another', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await post(
        proxied,
        '/auth/login',
        { email: 'sari@example.com', password: `wrong ${i}` },
        { 'x-forwarded-for': '203.0.113.9' },
      );
      expect(r.status).toBe(401);
    }
    const attacker = await post(
      proxied,
      '/auth/login',
      { email: 'sari@example.com', password: PASSWORD },
      { 'x-forwarded-for': '203.0.113.9' },
    );
    expect(attacker.status).toBe(429);
    const owner = await post(
      proxied,
      '/auth/login',
      { email: 'sari@example.com', password: PASSWORD },
      { 'x-forwarded-for': '198.51.100.5' },
    );
    expect(owner.status).toBe(200);
  });
});

describe('lockout cannot be used against the owner', () => {
  it('many addresses failing for one account slow strangers down, never lock the owner’s known address', async () => {
    const owner = { 'x-forwarded-for': '198.51.100.60' };
    expect(
      (await post(proxied, '/auth/login', { email: 'dewi@example.com', password: PASSWORD }, owner)).status,
    ).toBe(200);
    for (let i = 0; i < 30; i++) {
      await post(
        proxied,
        '/auth/login',
        { email: 'dewi@example.com', password: `spray ${i}` },
        { 'x-forwarded-for': `192.0.2.${i + 1}` },
      );
    }
    const stranger = await post(
      proxied,
      '/auth/login',
      { email: 'dewi@example.com', password: PASSWORD },
      { 'x-forwarded-for': '192.0.2.200' },
    );
    expect(stranger.status).toBe(429);
    expect(String((stranger.body.error as { message: string }).message)).not.toMatch(/locked/);
    const back = await post(proxied, '/auth/login', { email: 'dewi@example.com', password: PASSWORD }, owner);
    expect(back.status).toBe(200);
  });
});
