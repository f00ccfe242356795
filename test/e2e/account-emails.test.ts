import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * Verification and reset emails speak one language: the account's (Indonesian by default, English
 * when chosen; at sign-up, the language of the page). Read from the development mailer's outbox.
 */

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function call(method: string, url: string, body?: unknown, token?: string) {
  const response = await t.app.inject({
    method: method as 'POST',
    url,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  return { status: response.statusCode, body: response.json() };
}

const lastMailTo = (to: string) => [...t.container.outbox].reverse().find((m) => m.to === to)!;

const INDONESIAN = /Buka tautan|Abaikan email|kata sandi|Verifikasi/;
const ENGLISH = /Open this link|Ignore this email|password|Verify/;

function expectOnly(mail: { subject: string; text: string }, language: 'id' | 'en') {
  const [own, other] = language === 'id' ? [INDONESIAN, ENGLISH] : [ENGLISH, INDONESIAN];
  expect(`${mail.subject}\n${mail.text}`).toMatch(own);
  expect(mail.subject).not.toMatch(other);
  expect(mail.text).not.toMatch(other);
  expect(mail.subject).not.toContain(' / ');
}

describe('account emails', () => {
  it('verify in the sign-up page language: English when chosen, Indonesian otherwise', async () => {
    const english = await call('POST', '/auth/signup', {
      email: 'reader-en@example.com',
      password: 'a sturdy passphrase',
      locale: 'en',
    });
    expect(english.status).toBe(201);
    expect(english.body.account.locale).toBe('en');
    const mailEn = lastMailTo('reader-en@example.com');
    expectOnly(mailEn, 'en');
    expect(mailEn.text).toContain(mailEn.link);

    const plain = await call('POST', '/auth/signup', {
      email: 'pembaca@example.com',
      password: 'a sturdy passphrase',
    });
    expect(plain.body.account.locale).toBe('id');
    expectOnly(lastMailTo('pembaca@example.com'), 'id');
  });

  it('reset a password in the account language, and follow a change of language', async () => {
    expect((await call('POST', '/auth/password-reset', { email: 'reader-en@example.com' })).status).toBe(202);
    expectOnly(lastMailTo('reader-en@example.com'), 'en');

    const login = await call('POST', '/auth/login', {
      email: 'reader-en@example.com',
      password: 'a sturdy passphrase',
    });
    const changed = await call('PATCH', '/account', { locale: 'id' }, login.body.token);
    expect(changed.body.locale).toBe('id');
    await call('POST', '/auth/password-reset', { email: 'reader-en@example.com' });
    expectOnly(lastMailTo('reader-en@example.com'), 'id');

    // A new email is verified in the account's language too.
    await call('PATCH', '/account', { locale: 'en' }, login.body.token);
    await call('PATCH', '/account', { email: 'reader-new@example.com' }, login.body.token);
    expectOnly(lastMailTo('reader-new@example.com'), 'en');
  });

  it('refuses a language it does not speak, naming the field', async () => {
    const refused = await call('POST', '/auth/signup', {
      email: 'lecteur@example.com',
      password: 'a sturdy passphrase',
      locale: 'fr',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.param).toBe('locale');
  });
});
