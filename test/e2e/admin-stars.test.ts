import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpAt } from '../../core/admin/index.js';
import { manualClock } from '../../core/ports/clock.js';
import { FakeTelegram } from '../fakes/telegram.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const clock = manualClock(new Date('2026-11-01T00:00:10Z'));
let telegram: FakeTelegram;
let t: TestApp;
let token: string;
let accountId: string;

async function refund(chargeId: string, reason = 'buyer asked within the refund window') {
  const response = await t.app.inject({
    method: 'POST',
    url: `/admin/star-payments/${chargeId}/refund`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    payload: JSON.stringify({ reason }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
  return { status: response.statusCode, body: response.json() as Record<string, any> };
}

async function buyStars(chargeId: string, stars: number) {
  return t.container.core.topups.creditStarPayment({
    chargeId,
    telegramUserId: '777',
    accountId,
    stars,
    payload: `stars:${stars}`,
    currency: 'XTR',
  });
}

beforeAll(async () => {
  telegram = await FakeTelegram.start();
  t = await createTestApp({
    clock,
    env: {
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_WEBHOOK_SECRET: 'stars-test-secret',
      STARS_IDR_PER_STAR: '250',
    },
  });
  const admin = await t.container.core.adminUsers.create({
    email: 'stars@aiport.id',
    password: 'an operator passphrase',
  });
  const login = await t.app.inject({
    method: 'POST',
    url: '/admin/login',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({
      email: 'stars@aiport.id',
      password: 'an operator passphrase',
      code: totpAt(admin.totpSecret, clock.now().getTime()),
    }),
  });
  token = login.json().token;
  const { account } = await t.container.core.accounts.resolveIdentity('telegram', '777');
  accountId = account.id;
});
afterAll(async () => {
  await t.close();
  await telegram.close();
});

describe('Telegram Stars refunds from the admin', () => {
  it('takes the credit back, then has Telegram return the Stars; a retry after a Telegram failure refunds once', async () => {
    await buyStars('charge-1', 100);
    expect((await t.container.core.ledger.balance(accountId)).balanceMrp).toBe(25_000_000n);

    telegram.injectError('refundStarPayment', {
      errorCode: 400,
      description: 'Bad Request: CHARGE_NOT_FOUND',
    });
    const failed = await refund('charge-1');
    expect(failed.status).toBe(502);
    expect(failed.body.error.message).toMatch(
      /Telegram did not refund the Stars: Bad Request: CHARGE_NOT_FOUND/,
    );
    expect((await t.container.core.ledger.balance(accountId)).balanceMrp).toBe(0n);

    const retried = await refund('charge-1');
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ charge_id: 'charge-1', stars: 100, amount_idr: 25_000 });
    expect((await t.container.core.ledger.balance(accountId)).balanceMrp).toBe(0n);
    const calls = telegram.callsOf('refundStarPayment');
    expect(calls.at(-1)?.params).toMatchObject({ user_id: 777, telegram_payment_charge_id: 'charge-1' });
    expect(await t.container.core.ledger.verify(accountId)).toEqual([]);
    const audits = await t.database.sql`SELECT action FROM audit_log WHERE target_id = 'charge-1'`;
    expect(audits.map((a) => a.action)).toContain('star_payment.refund');
  });

  it('refuses when the credit was already spent, without touching Telegram', async () => {
    await buyStars('charge-2', 50);
    await t.container.core.ledger.debit('adjustment', {
      accountId,
      amountMrp: 10_000_000n,
      idempotencyKey: 'spent-some',
    });
    const before = telegram.callsOf('refundStarPayment').length;
    const refused = await refund('charge-2');
    expect(refused.status).toBe(402);
    expect(refused.body.error.message).toMatch(/Cannot refund/);
    expect(telegram.callsOf('refundStarPayment')).toHaveLength(before);
  });

  it('refuses without a reason and for unknown payments', async () => {
    expect((await refund('charge-3', '')).status).toBe(400);
    expect((await refund('no-such-charge')).status).toBe(404);
  });
});
