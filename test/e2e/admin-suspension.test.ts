import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BotsHarness,
  deliverTelegram,
  newTelegramId,
  startBotsHarness,
  telegramTextUpdate,
} from './bots-harness.js';

/** A suspension by an admin reaches every channel: the API key and the chat bot both refuse politely. */
let h: BotsHarness;
beforeAll(async () => {
  h = await startBotsHarness();
});
afterAll(() => h.close());

const chat = (key: string) =>
  h.app.app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    payload: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  });

describe('suspension', () => {
  it('makes keys and the bot refuse politely, and reinstating restores both', async () => {
    const user = { id: newTelegramId(), first_name: 'Joko', language_code: 'en' };
    const { core } = h.app.container;
    expect(await deliverTelegram(h, telegramTextUpdate(user, user.id, 'hello'))).toBe(200);
    const { account } = await core.accounts.resolveIdentity('telegram', String(user.id));
    const { secret } = await core.apiKeys.create(account.id, { name: 'k' });
    const admin = await core.adminUsers.create({
      email: 'susp@aiport.id',
      password: 'an operator passphrase',
    });

    await core.adminConsole.setSuspended(account.id, true, 'Fraud review', {
      adminId: admin.id,
      ip: '203.0.113.9',
    });
    const viaKey = await chat(secret);
    expect(viaKey.statusCode).toBe(403);
    expect(viaKey.json().error.message).toBe('This account is suspended. Contact support.');
    const before = h.telegram.transcript(user.id).messages.length;
    expect(await deliverTelegram(h, telegramTextUpdate(user, user.id, 'are you there?'))).toBe(200);
    const replies = h.telegram
      .transcript(user.id)
      .messages.slice(before)
      .map((m) => m.text);
    expect(replies).toEqual(['Your account is suspended. Please contact AIport support.']);
    const jobs = await h.app.database.sql`SELECT 1 FROM jobs WHERE account_id = ${account.id}`;

    await core.adminConsole.setSuspended(account.id, false, 'Cleared', {
      adminId: admin.id,
      ip: '203.0.113.9',
    });
    expect((await chat(secret)).statusCode).toBe(200);
    expect(await deliverTelegram(h, telegramTextUpdate(user, user.id, 'back again'))).toBe(200);
    expect(await h.app.database.sql`SELECT 1 FROM jobs WHERE account_id = ${account.id}`).toHaveLength(
      jobs.length + 2,
    );

    const audit = await h.app.database.sql`
      SELECT action, reason, host(ip) AS ip FROM audit_log WHERE target_id = ${account.id} ORDER BY id`;
    expect(audit).toEqual([
      { action: 'account.suspend', reason: 'Fraud review', ip: '203.0.113.9' },
      { action: 'account.unsuspend', reason: 'Cleared', ip: '203.0.113.9' },
    ]);
  });
});
