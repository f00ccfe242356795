import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../core/ports/clock.js';
import type { Mail } from '../../core/ports/mailer.js';
import type { Notifier, NotifierMessage, NotifyTarget } from '../../core/ports/notifier.js';
import {
  createMootaRestClient,
  enqueueConfirmation,
  routeNotifier,
  STARS_CURRENCY,
} from '../../core/topups/index.js';
import { createBullQueues, startWorkers } from '../../workers/runtime/index.js';
import { TOPUP_TASKS, topupTaskRegistry } from '../../workers/topups/index.js';
import { type FakeMoota, startFakeMoota } from '../fakes/moota.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const clock = manualClock(new Date('2026-11-22T03:00:00Z'));
let t: TestApp;
let moota: FakeMoota;

// No MOOTA_WEBHOOK_SECRET here: the webhook must refuse everything.
beforeAll(async () => {
  t = await createTestApp({ clock, env: { STARS_IDR_PER_STAR: '300' } });
  moota = await startFakeMoota();
});
afterAll(async () => {
  await moota.close();
  await t.close();
});

let users = 0;
async function chatAccount(): Promise<string> {
  users += 1;
  return (await t.container.core.accounts.resolveIdentity('telegram', `credits-${users}`)).account.id;
}
const balance = async (accountId: string) => (await t.container.core.ledger.balance(accountId)).balanceMrp;

describe('the Moota webhook without a secret', () => {
  it('fails closed with a clear 503 and stores nothing', async () => {
    const url = `${await t.listen()}/webhooks/moota`;
    const delivery = await moota.deliver(url, [moota.addMutation({ amount: 50_000 })]);
    expect(delivery.status).toBe(503);
    expect(JSON.parse(delivery.responseText).error.message).toMatch(/not configured/);
    const [row] = await t.container.db.sql`SELECT count(*)::int AS n FROM bank_mutations`;
    expect(row!.n).toBe(0);
  });
});

describe('polling Moota', () => {
  it('feeds recent credit mutations through the same path, once', async () => {
    const accountId = await chatAccount();
    const request = await t.container.core.topups.createRequest({
      accountId,
      amountMrp: 45_000_000n,
      channel: 'telegram',
      replyTo: { platform: 'telegram', chatId: '42' },
    });
    const paying = moota.addMutation({
      amount: Number(request.transferAmountMrp / 1000n),
      date: '2026-11-22 09:30:00',
    });
    const nobodys = moota.addMutation({ amount: 99_999, date: '2026-11-22 09:31:00', note: 'nobody' });
    const debit = moota.addMutation({ amount: 10_000, type: 'DB', date: '2026-11-22 09:32:00' });
    const old = moota.addMutation({
      amount: 10_000,
      date: '2026-11-01 09:00:00',
      note: 'too old to ask for',
    });
    const client = createMootaRestClient({ baseUrl: moota.url, token: moota.token });
    const registry = topupTaskRegistry({
      topups: t.container.core.topups,
      notifier: { notify: async () => {} },
      moota: client,
      pollEveryMs: 60_000,
    });
    expect(registry.repeatable).toContainEqual({ queue: 'maintenance', task: 'moota.poll', everyMs: 60_000 });
    const context = { attemptsMade: 0, isFinalAttempt: false, updateProgress: async () => {} };
    await registry.processors.maintenance![TOPUP_TASKS.poll]!({}, context);
    await registry.processors.maintenance![TOPUP_TASKS.poll]!({}, context);
    expect(await balance(accountId)).toBe(request.transferAmountMrp);
    const lastQuery = new URL(moota.requests.at(-1)!.url, moota.url).searchParams;
    expect(Object.fromEntries(lastQuery)).toMatchObject({
      type: 'CR',
      start_date: '2026-11-20',
      end_date: '2026-11-22',
    });
    const ids = [paying, nobodys, debit, old].map((m) => m.mutation_id);
    const stored = await t.container.db.sql<{ mutation_id: string; status: string }[]>`
      SELECT mutation_id, status FROM bank_mutations WHERE mutation_id = ANY(${ids})`;
    // Debits are not asked for; mutations older than the lookback are not either.
    expect(Object.fromEntries(stored.map((r) => [r.mutation_id, r.status]))).toEqual({
      [paying.mutation_id]: 'matched',
      [nobodys.mutation_id]: 'unmatched',
    });
  });

  it('is not scheduled without a Moota token', () => {
    const registry = topupTaskRegistry({
      topups: t.container.core.topups,
      notifier: { notify: async () => {} },
    });
    expect(registry.repeatable?.map((r) => r.task)).not.toContain('moota.poll');
    expect(registry.processors.maintenance?.[TOPUP_TASKS.poll]).toBeUndefined();
  });
});

describe('mutations stored but never decided (a crash in between)', () => {
  it('are decided by the maintenance task, once', async () => {
    const accountId = await chatAccount();
    const request = await t.container.core.topups.createRequest({
      accountId,
      amountMrp: 11_000_000n,
      channel: 'api',
    });
    await t.container.db.sql`
      INSERT INTO bank_mutations (mutation_id, bank_id, account_number, type, amount_mrp, note, created_at)
      VALUES ('stuck-1', 'b', '1234567890', 'CR', ${request.transferAmountMrp}, '', ${clock.now()})`;
    const registry = topupTaskRegistry({
      topups: t.container.core.topups,
      notifier: { notify: async () => {} },
    });
    const run = () =>
      registry.processors.maintenance![TOPUP_TASKS.decideStuck]!(
        {},
        { attemptsMade: 0, isFinalAttempt: false, updateProgress: async () => {} },
      );
    await run();
    expect(await balance(accountId)).toBe(0n);
    clock.advance(5 * 60_000);
    await run();
    await run();
    expect(await balance(accountId)).toBe(request.transferAmountMrp);
  });
});

describe('confirmations through the real queue', () => {
  it('are delivered by the worker, to chat or by email, once per credited mutation', async () => {
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const prefix = `test-topups-${randomBytes(4).toString('hex')}`;
    const queues = createBullQueues(redis, prefix);
    const chats: { target: NotifyTarget; message: NotifierMessage }[] = [];
    const mails: Mail[] = [];
    const chat: Notifier = { notify: async (target, message) => void chats.push({ target, message }) };
    const notifier = routeNotifier({ chat, mailer: { send: async (mail) => void mails.push(mail) } });
    const workers = await startWorkers([topupTaskRegistry({ topups: t.container.core.topups, notifier })], {
      connection: redis,
      prefix,
      logger: pino({ level: 'silent' }),
      queues: queues.queues,
    });
    try {
      const message = { kind: 'topup_credited' as const, amountMrp: 50_123_000n, balanceMrp: 60_123_000n };
      await enqueueConfirmation(queues, {
        reference: 'topup-credited-m1',
        target: { platform: 'slack', chatId: 'C1', threadId: '171.1' },
        message: { ...message, locale: 'en' },
      });
      await enqueueConfirmation(queues, {
        reference: 'topup-credited-m1',
        target: { platform: 'slack', chatId: 'C1', threadId: '171.1' },
        message: { ...message, locale: 'en' },
      });
      await enqueueConfirmation(queues, {
        reference: 'topup-credited-m2',
        target: { email: 'ani@example.com' },
        message: { ...message, locale: 'id' },
      });
      for (let i = 0; i < 500 && chats.length + mails.length < 2; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(chats).toEqual([
        {
          target: { platform: 'slack', chatId: 'C1', threadId: '171.1' },
          message: { ...message, locale: 'en' },
        },
      ]);
      expect(mails).toEqual([
        {
          to: 'ani@example.com',
          subject: 'AIport: saldo bertambah Rp 50.123',
          text: expect.stringContaining('Saldo sekarang: Rp 60.123'),
        },
      ]);
    } finally {
      await workers.close();
      await queues.close();
      redis.disconnect();
    }
  });
});

describe('vouchers', () => {
  let token: string;
  let accountId: string;
  beforeAll(async () => {
    const email = 'voucher@example.com';
    const password = 'a sturdy passphrase';
    await t.app.inject({ method: 'POST', url: '/auth/signup', payload: { email, password } });
    const login = (
      await t.app.inject({ method: 'POST', url: '/auth/login', payload: { email, password } })
    ).json();
    token = login.token;
    accountId = login.account.id;
  });
  const redeem = (code: unknown) =>
    t.app.inject({
      method: 'POST',
      url: '/account/redeem',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ code }),
    });

  it('are redeemed once per account even when sent concurrently', async () => {
    const voucher = await t.container.core.topups.createVoucher({
      code: 'promo-nov',
      amountMrp: 25_000_000n,
      maxUses: 100,
      expiresAt: new Date('2026-12-31T00:00:00Z'),
      adminId: 'admin-1',
    });
    expect(voucher.code).toBe('PROMO-NOV');
    const results = await Promise.all(Array.from({ length: 10 }, () => redeem(' promo-nov ')));
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([200, ...Array(9).fill(409)]);
    const ok = results.find((r) => r.statusCode === 200)!.json();
    expect(ok).toMatchObject({ code: 'PROMO-NOV', amount_idr: 25_000, balance_idr: 25_000 });
    expect(results.find((r) => r.statusCode === 409)!.json().error.message).toMatch(/already redeemed/);
    expect(await balance(accountId)).toBe(25_000_000n);
    const [row] = await t.container.db.sql`SELECT uses FROM vouchers WHERE id = ${voucher.id}`;
    expect(row!.uses).toBe(1);
  });

  it('stop at their maximum uses and their expiry, and unknown codes are 404', async () => {
    const { topups } = t.container.core;
    const single = await topups.createVoucher({
      amountMrp: 5_000_000n,
      maxUses: 1,
      expiresAt: null,
      adminId: 'admin-1',
    });
    expect(single.code).toMatch(/^V-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    await topups.redeemVoucher(await chatAccount(), single.code);
    expect((await redeem(single.code)).json().error.message).toMatch(/used up/);

    await topups.createVoucher({
      code: 'SOON-GONE',
      amountMrp: 5_000_000n,
      maxUses: 5,
      expiresAt: new Date(clock.now().getTime() + 3_600_000),
      adminId: 'admin-1',
    });
    clock.advance(2 * 3_600_000);
    expect((await redeem('soon-gone')).json().error.message).toMatch(/expired/);
    expect((await redeem('NO-SUCH-CODE')).statusCode).toBe(404);
    expect((await redeem('')).statusCode).toBe(400);
    await expect(
      topups.createVoucher({ code: 'PROMO-NOV', amountMrp: 1n, maxUses: 1, expiresAt: null, adminId: 'a' }),
    ).rejects.toMatchObject({ code: 'conflict' });
    await expect(
      topups.createVoucher({ amountMrp: 0n, maxUses: 1, expiresAt: null, adminId: 'a' }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

describe('Telegram Stars', () => {
  it('offers packages at the configured rate and validates pre-checkout queries', () => {
    const { topups } = t.container.core;
    const packages = topups.starPackages();
    expect(packages.map((p) => [p.stars, p.amountMrp])).toEqual([
      [50, 15_000_000n],
      [100, 30_000_000n],
      [250, 75_000_000n],
      [500, 150_000_000n],
    ]);
    const good = { payload: 'stars:100', currency: STARS_CURRENCY, totalAmount: 100 };
    expect(topups.validatePreCheckout(good)).toMatchObject({ ok: true, package: { stars: 100 } });
    for (const bad of [
      { ...good, currency: 'IDR' },
      { ...good, totalAmount: 1 },
      { ...good, payload: 'stars:7' },
      { ...good, payload: 'something else' },
    ]) {
      expect(topups.validatePreCheckout(bad)).toMatchObject({ ok: false, errorMessage: expect.any(String) });
    }
  });

  it('credits a successful_payment delivered twice once, and refunds it once', async () => {
    const { topups } = t.container.core;
    const accountId = await chatAccount();
    const payment = {
      chargeId: 'tg-charge-1',
      telegramUserId: '9001',
      accountId,
      stars: 100,
      payload: 'stars:100',
      currency: 'XTR',
    };
    const [first, second] = await Promise.all([
      topups.creditStarPayment(payment),
      topups.creditStarPayment(payment),
    ]);
    expect([first.created, second.created].sort()).toEqual([false, true]);
    expect(await topups.creditStarPayment(payment)).toMatchObject({ created: false, amountMrp: 30_000_000n });
    expect(await balance(accountId)).toBe(30_000_000n);
    await expect(
      topups.creditStarPayment({ ...payment, accountId: await chatAccount() }),
    ).rejects.toMatchObject({
      code: 'idempotency_conflict',
    });

    const refunded = await topups.refundStarPayment('tg-charge-1', 'admin-1');
    expect(refunded).toMatchObject({ telegramUserId: '9001', stars: 100, alreadyRefunded: false });
    expect(await balance(accountId)).toBe(0n);
    expect(await topups.refundStarPayment('tg-charge-1', 'admin-1')).toMatchObject({ alreadyRefunded: true });
    expect(await balance(accountId)).toBe(0n);
    await expect(topups.refundStarPayment('nope', 'admin-1')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses a refund the balance no longer covers, clearly and without a trace', async () => {
    const { topups, ledger } = t.container.core;
    const accountId = await chatAccount();
    await topups.creditStarPayment({
      chargeId: 'tg-charge-2',
      telegramUserId: '9002',
      accountId,
      stars: 50,
      payload: 'stars:50',
      currency: 'XTR',
    });
    await ledger.debit('charge', { accountId, amountMrp: 1_000n, idempotencyKey: 'spent-a-little' });
    await expect(topups.refundStarPayment('tg-charge-2', 'admin-1')).rejects.toMatchObject({
      code: 'insufficient_balance',
      message: expect.stringMatching(/Cannot refund/),
    });
    const [row] = await t.container.db
      .sql`SELECT refunded_at FROM star_payments WHERE charge_id = 'tg-charge-2'`;
    expect(row!.refunded_at).toBeNull();
    expect(await balance(accountId)).toBe(14_999_000n);
  });

  it('refuses payments that are not ours or not whole Stars', async () => {
    const { topups } = t.container.core;
    const accountId = await chatAccount();
    const base = {
      chargeId: 'tg-charge-3',
      telegramUserId: '9003',
      accountId,
      stars: 50,
      payload: 'stars:50',
      currency: 'XTR',
    };
    await expect(topups.creditStarPayment({ ...base, payload: 'other-bot' })).rejects.toMatchObject({
      code: 'invalid_request',
    });
    await expect(topups.creditStarPayment({ ...base, stars: 0 })).rejects.toMatchObject({
      code: 'invalid_request',
    });
    // A payment in any other currency is not Stars, whatever its amount says.
    await expect(topups.creditStarPayment({ ...base, currency: 'USD' })).rejects.toMatchObject({
      code: 'invalid_request',
      message: expect.stringMatching(/XTR/),
    });
    expect(await balance(accountId)).toBe(0n);
  });
});

describe('the books', () => {
  it('balance for every account', async () => {
    expect(await t.container.core.ledger.verify()).toEqual([]);
  });
});
