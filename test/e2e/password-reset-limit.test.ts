import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** `/auth/password-reset` is bounded per address, per network and per email, alike for unknown emails. */

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await t.container.core.accounts.signup({ email: 'known@example.com', password: 'a sturdy passphrase' });
});
afterAll(async () => {
  await t?.close();
});

async function reset(email: string, from: string) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/auth/password-reset',
    remoteAddress: from,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ email }),
  });
  return { status: response.statusCode, body: response.json() };
}

describe('password reset requests', () => {
  it('are limited per email, the same whether or not an account has it', async () => {
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 4; i++) {
      // Each from another network: only the email's limit is in play.
      known.push((await reset('Known@Example.com', `10.0.${i}.1`)).status);
      unknown.push((await reset('nobody@example.com', `10.1.${i}.1`)).status);
    }
    expect(known).toEqual([202, 202, 202, 429]);
    expect(unknown).toEqual(known);
    const limited = await reset('known@example.com', '10.9.9.9');
    expect(limited.body.error.code).toBe('rate_limited');
    expect(limited.body).toEqual((await reset('nobody@example.com', '10.9.9.8')).body);
    const resets = t.container.outbox.filter(
      (m) => m.to === 'known@example.com' && m.link?.includes('reset'),
    );
    expect(resets).toHaveLength(3);
  });

  it('are limited per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await reset(`person${i}@example.com`, '192.0.2.7')).status);
    expect(statuses.slice(0, 10).every((s) => s === 202)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});
