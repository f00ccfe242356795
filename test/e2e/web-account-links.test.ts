import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLinkCodes } from '../../core/chat/link-codes.js';
import { parseNotifyTask } from '../../core/notices/index.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** Linking chat accounts from the website, and the account's language, over the REST routes. */

const PASSWORD = 'a sturdy passphrase';
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function webUser(email: string) {
  await t.container.core.accounts.signup({ email, password: PASSWORD });
  const login = await t.app.inject({
    method: 'POST',
    url: '/auth/login',
    headers: { 'x-aiport-client': 'web', 'content-type': 'application/json' },
    payload: JSON.stringify({ email, password: PASSWORD }),
  });
  const cookie = /aiport_session=[^;]*/.exec(String(login.headers['set-cookie']))![0];
  const headers = { cookie, 'x-csrf-token': login.json().csrf_token as string };
  const call = async (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) => {
    const response = await t.app.inject({
      method,
      url,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: response.statusCode, body: response.json() };
  };
  return { id: login.json().account.id as string, call };
}

async function telegramUser(id: string, balanceMrp = 0n) {
  const { account } = await t.container.core.accounts.resolveIdentity('telegram', id, 'Budi');
  if (balanceMrp > 0n) {
    await t.container.core.ledger.credit('adjustment', {
      accountId: account.id,
      amountMrp: balanceMrp,
      idempotencyKey: `test:${account.id}`,
      reason: 'test',
    });
  }
  return account.id;
}

describe('linking chat accounts on the website', () => {
  it('enters a code from a bot: the chat account joins, its balance moves, its owner is told', async () => {
    const web = await webUser('linker@example.com');
    const botAccount = await telegramUser('5550001', 5_000_000n);
    const { code } = await t.container.core.webLinking.issue(botAccount);

    const wrong = await web.call('POST', '/account/links', { code: 'NOTACODE' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.param).toBe('code');

    const linked = await web.call('POST', '/account/links', { code: code.toLowerCase() });
    expect(linked).toEqual({
      status: 200,
      body: { linked: true, account_id: web.id, moved_idr: 5000 },
    });
    expect((await t.container.core.ledger.balance(web.id)).balanceMrp).toBe(5_000_000n);
    const list = await web.call('GET', '/account/links');
    expect(list.body.data).toEqual([expect.objectContaining({ platform: 'telegram', display_name: 'Budi' })]);
    // Used once: the same code again is refused.
    expect((await web.call('POST', '/account/links', { code })).status).toBe(400);

    const notices = await t.container.queues.queues.get('delivery')!.getJobs(['waiting', 'delayed']);
    const notice = notices
      .map((job) => parseNotifyTask(job.data))
      .find((n) => n.message.kind === 'account_linked');
    expect(notice).toEqual({
      target: { platform: 'telegram', chatId: '5550001', userId: '5550001' },
      message: { kind: 'account_linked', via: 'web', locale: 'id' },
    });
    const [audit] = await t.container.db.sql`
      SELECT action FROM audit_log WHERE actor_id = ${web.id} AND action = 'account.link'`;
    expect(audit).toBeDefined();
  });

  it('makes a code to enter in a bot, which links the bot account into this one', async () => {
    const web = await webUser('code-maker@example.com');
    const made = await web.call('POST', '/account/link-codes');
    expect(made.status).toBe(201);
    expect(made.body.code).toMatch(/^[A-Z2-9]{8}$/);
    const botAccount = await telegramUser('5550002');
    const result = await createLinkCodes(t.container.db, t.container.core.clock).redeem(made.body.code, {
      accountId: botAccount,
      platform: 'telegram',
    });
    expect(result.accountId).toBe(web.id);
    expect((await web.call('GET', '/account/links')).body.data).toHaveLength(1);
  });

  it('refuses to join two email accounts', async () => {
    const a = await webUser('first@example.com');
    const b = await webUser('second@example.com');
    const made = await a.call('POST', '/account/link-codes');
    const refused = await b.call('POST', '/account/links', { code: made.body.code });
    expect(refused.status).toBe(409);
    expect(refused.body.error.param).toBe('code');
  });
});

describe('the account language', () => {
  it('is saved on the account and validated', async () => {
    const web = await webUser('english@example.com');
    expect((await web.call('GET', '/account')).body.locale).toBe('id');
    const saved = await web.call('PATCH', '/account', { locale: 'en' });
    expect(saved.body.locale).toBe('en');
    const [row] = await t.container.db.sql`SELECT locale FROM accounts WHERE id = ${web.id}`;
    expect(row!.locale).toBe('en');
    const bad = await web.call('PATCH', '/account', { locale: 'fr' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('locale');
  });
});
