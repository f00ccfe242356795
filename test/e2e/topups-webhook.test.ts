import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../core/ports/clock.js';
import type { Notifier, NotifierMessage, NotifyTarget } from '../../core/ports/notifier.js';
import type { TopupRequest } from '../../core/topups/index.js';
import { topupTaskRegistry } from '../../workers/topups/index.js';
import { type FakeMoota, type FakeMootaMutation, startFakeMoota } from '../fakes/moota.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const clock = manualClock(new Date('2026-11-22T03:00:00Z'));
const SECRET = 'moota-webhook-secret-for-tests';
const OUR_ACCOUNT = '1234567890';
let t: TestApp;
let moota: FakeMoota;
let hook: string;

beforeAll(async () => {
  t = await createTestApp({
    clock,
    env: {
      MOOTA_WEBHOOK_SECRET: SECRET,
      BANK_ACCOUNTS: `BCA:${OUR_ACCOUNT}:PT AIport Indonesia;Mandiri:900-00-1234567-8:PT AIport Indonesia`,
    },
  });
  hook = `${await t.listen()}/webhooks/moota`;
  moota = await startFakeMoota({ webhookSecret: SECRET });
});
afterAll(async () => {
  await moota.close();
  await t.close();
});

let chatUsers = 0;
async function chatAccount(): Promise<string> {
  chatUsers += 1;
  const { account } = await t.container.core.accounts.resolveIdentity('telegram', `tg-${chatUsers}`);
  return account.id;
}

async function telegramTopup(accountId: string, amountIdr = 50_000): Promise<TopupRequest> {
  return t.container.core.topups.createRequest({
    accountId,
    amountMrp: BigInt(amountIdr) * 1000n,
    channel: 'telegram',
    replyTo: { platform: 'telegram', chatId: '777', threadId: '5' },
  });
}

const idr = (request: TopupRequest) => Number(request.transferAmountMrp / 1000n);
const balance = async (accountId: string) => (await t.container.core.ledger.balance(accountId)).balanceMrp;
async function mutationCount(): Promise<number> {
  const [row] = await t.container.db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM bank_mutations`;
  return row!.n;
}
async function statusOf(mutationId: string): Promise<string | undefined> {
  const [row] = await t.container.db.sql<{ status: string }[]>`
    SELECT status FROM bank_mutations WHERE mutation_id = ${mutationId}`;
  return row?.status;
}
async function deliver(mutations: FakeMootaMutation[]) {
  const delivery = await moota.deliver(hook, mutations);
  return { ...delivery, body: JSON.parse(delivery.responseText) };
}

describe('REST top-up requests', () => {
  let token: string;
  beforeAll(async () => {
    const email = 'rest-topup@example.com';
    const password = 'a sturdy passphrase';
    await t.app.inject({ method: 'POST', url: '/auth/signup', payload: { email, password } });
    const login = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { email, password } });
    token = login.json().token;
  });

  const post = (payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url: '/account/topups',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    });

  it('gives a unique transfer amount, a code, our bank accounts and an expiry', async () => {
    const res = await post({ amount_idr: 50_000 });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.amount_idr).toBe(50_000);
    expect(body.transfer_amount_idr).toBe(50_000 + body.unique_suffix_idr);
    expect(body.unique_suffix_idr).toBeGreaterThanOrEqual(1);
    expect(body.unique_suffix_idr).toBeLessThanOrEqual(999);
    expect(body.code).toMatch(/^AIP-[2-9A-HJKMNP-TV-Z]{5}$/);
    expect(body.status).toBe('pending');
    expect(body.bank_accounts).toEqual([
      { bank: 'BCA', number: OUR_ACCOUNT, holder: 'PT AIport Indonesia' },
      { bank: 'Mandiri', number: '900-00-1234567-8', holder: 'PT AIport Indonesia' },
    ]);
    expect(body.expires_at).toBe('2026-11-23T03:00:00.000Z');
    clock.advance(1_000);
    expect((await post({ amount_idr: '75000' })).json().amount_idr).toBe(75_000);

    const list = await t.app.inject({
      method: 'GET',
      url: '/account/topups',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(list.json().data.map((r: { amount_idr: number }) => r.amount_idr)).toEqual([75_000, 50_000]);
  });

  it.each([
    [{ amount_idr: 9_999 }, /between Rp 10\.000 and Rp 50\.000\.000/],
    [{ amount_idr: 50_000_001 }, /between Rp 10\.000 and Rp 50\.000\.000/],
    [{ amount_idr: 50_000.5 }, /whole number/],
    [{ amount_idr: '50000.50' }, /whole number/],
    [{ amount_idr: 'lima puluh ribu' }, /whole number/],
    [{ amount_idr: -50_000 }, /positive/],
    [{}, /Missing required field "amount_idr"/],
    [{ amount_idr: 50_000, extra: 1 }, /Unknown field/],
  ])('refuses %j with a clear 400', async (payload, message) => {
    const res = await post(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(message);
  });

  it('confirms a paid REST request by email, the account having no chat', async () => {
    const created = (await post({ amount_idr: 88_000 })).json();
    const mutation = moota.addMutation({ amount: created.transfer_amount_idr, note: created.code });
    expect((await deliver([mutation])).body.mutations[0].outcome).toBe('matched');
    const job = await t.container.queues.queues
      .get('delivery')!
      .getJob(`notify_topup-credited-${mutation.mutation_id}`);
    expect(job?.data).toEqual({
      target: { email: 'rest-topup@example.com' },
      message: {
        kind: 'topup_credited',
        amount_mrp: String(created.transfer_amount_idr * 1000),
        balance_mrp: String(created.transfer_amount_idr * 1000),
        locale: 'id',
      },
    });
  });

  it('needs credentials', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/account/topups' });
    expect(res.statusCode).toBe(401);
  });
});

describe('POST /webhooks/moota', () => {
  it('matches by the code in the note and credits the transferred amount once', async () => {
    const accountId = await chatAccount();
    const request = await telegramTopup(accountId);
    // A different amount than asked: the code decides, and what arrived is credited.
    const mutation = moota.addMutation({
      amount: 60_000,
      note: `isi saldo ${request.code.toLowerCase()}`,
      description: 'TRSF E-BANKING CR 2211/FTSCY BUDI',
    });
    const res = await deliver([mutation]);
    expect(res.status).toBe(200);
    expect(res.body.mutations).toEqual([
      { mutation_id: mutation.mutation_id, outcome: 'matched', matched_by: 'code', amount_idr: 60_000 },
    ]);
    expect(await balance(accountId)).toBe(60_000_000n);
    const [paid] = await t.container.core.topups.listRequests(accountId);
    expect(paid).toMatchObject({ status: 'paid', mutationId: mutation.mutation_id });
  });

  it('matches by the unique amount when there is no code', async () => {
    const accountId = await chatAccount();
    const request = await telegramTopup(accountId, 125_000);
    const mutation = moota.addMutation({ amount: idr(request), description: 'SETORAN TUNAI' });
    const res = await deliver([mutation]);
    expect(res.body.mutations[0]).toMatchObject({ outcome: 'matched', matched_by: 'amount' });
    expect(await balance(accountId)).toBe(request.transferAmountMrp);
  });

  it('credits once when the same delivery arrives 10 times, one after another and all at once', async () => {
    const accountId = await chatAccount();
    const request = await telegramTopup(accountId, 20_000);
    const other = await telegramTopup(await chatAccount(), 30_000);
    const mutations = [
      moota.addMutation({ amount: idr(request), note: request.code }),
      moota.addMutation({ amount: idr(other) }),
    ];
    const first = await moota.deliver(hook, mutations);
    for (let i = 0; i < 9; i += 1) expect((await moota.resend(first)).status).toBe(200);
    const together = await moota.deliverConcurrently(hook, mutations, 10, { order: 'reverse' });
    expect(together.every((d) => d.status === 200)).toBe(true);
    expect(await balance(accountId)).toBe(request.transferAmountMrp);
    expect(await balance(other.accountId)).toBe(other.transferAmountMrp);
    const entries = await t.container.core.ledger.entries(accountId);
    expect(entries).toHaveLength(1);
  });

  it('credits concurrent first deliveries once', async () => {
    const accountId = await chatAccount();
    const request = await telegramTopup(accountId, 40_000);
    const mutation = moota.addMutation({ amount: idr(request), note: request.code });
    const all = await moota.deliverConcurrently(hook, [mutation], 10);
    expect(all.map((d) => d.status)).toEqual(Array(10).fill(200));
    const outcomes = all.map((d) => JSON.parse(d.responseText).mutations[0].outcome).sort();
    expect(outcomes.filter((o: string) => o === 'matched')).toHaveLength(1);
    expect(await balance(accountId)).toBe(request.transferAmountMrp);
  });

  it('matches a late transfer by its code after the request expired, but not by amount', async () => {
    const lateAccount = await chatAccount();
    const late = await telegramTopup(lateAccount, 15_000);
    const byAmountAccount = await chatAccount();
    const byAmount = await telegramTopup(byAmountAccount, 16_000);
    clock.advance(25 * 3_600_000);
    const lateMutation = moota.addMutation({ amount: idr(late), description: `TRF ${late.code}` });
    const amountMutation = moota.addMutation({ amount: idr(byAmount) });
    const res = await deliver([lateMutation, amountMutation]);
    expect(res.body.mutations.map((m: { outcome: string }) => m.outcome)).toEqual(['matched', 'unmatched']);
    expect(await balance(lateAccount)).toBe(late.transferAmountMrp);
    expect(await balance(byAmountAccount)).toBe(0n);
    expect((await t.container.core.topups.listRequests(lateAccount))[0]?.status).toBe('paid');
    expect((await t.container.core.topups.listRequests(byAmountAccount))[0]?.status).toBe('expired');
  });

  it('keeps unmatched money for the admin, who assigns it once (audited)', async () => {
    const mutation = moota.addMutation({ amount: 77_777, description: 'TRF DARI SESEORANG' });
    expect((await deliver([mutation])).body.mutations[0].outcome).toBe('unmatched');
    const { topups, db } = t.container.core;
    const unmatched = await topups.listUnmatched();
    expect(unmatched.map((m) => m.mutationId)).toContain(mutation.mutation_id);

    const accountId = await chatAccount();
    const assigned = await topups.assignMutation(
      mutation.mutation_id,
      accountId,
      'admin-1',
      'sender emailed',
    );
    expect(assigned.balanceMrp).toBe(77_777_000n);
    await expect(
      topups.assignMutation(mutation.mutation_id, accountId, 'admin-1', 'again'),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(await balance(accountId)).toBe(77_777_000n);
    const audit = await db.sql`
      SELECT actor_id, action, reason FROM audit_log WHERE target_id = ${mutation.mutation_id}`;
    expect(audit).toEqual([
      { actor_id: 'admin-1', action: 'bank_mutation.assign', reason: 'sender emailed' },
    ]);
    // A repeat delivery of assigned money changes nothing.
    expect((await deliver([mutation])).body.mutations[0].outcome).toBe('already_processed');
    expect(await balance(accountId)).toBe(77_777_000n);
  });

  it('flags money unmatched for 30 days for return, and records the return', async () => {
    const { topups } = t.container.core;
    const mutation = moota.addMutation({ amount: 12_345, description: 'TANPA KETERANGAN' });
    await deliver([mutation]);
    expect(await topups.flagStaleUnmatched(new Date(clock.now().getTime() + 29 * 86_400_000))).not.toContain(
      mutation.mutation_id,
    );
    clock.advance(31 * 86_400_000);
    expect(await topups.flagStaleUnmatched()).toContain(mutation.mutation_id);
    expect(await topups.flagStaleUnmatched()).toEqual([]);
    const flagged = await topups.listUnmatched({ flaggedOnly: true });
    expect(flagged.find((m) => m.mutationId === mutation.mutation_id)?.returnFlaggedAt).toEqual(clock.now());
    const returned = await topups.markReturned(mutation.mutation_id, 'admin-2', 'returned to BCA 111');
    expect(returned.status).toBe('returned');
    expect((await topups.listUnmatched()).map((m) => m.mutationId)).not.toContain(mutation.mutation_id);
  });

  it('queues one confirmation for the chat the request came from, and the processor sends it', async () => {
    const accountId = await chatAccount();
    const request = await telegramTopup(accountId, 33_000);
    const mutation = moota.addMutation({ amount: idr(request), note: request.code });
    await deliver([mutation]);
    await moota.deliver(hook, [mutation]);
    const job = await t.container.queues.queues
      .get('delivery')!
      .getJob(`notify_topup-credited-${mutation.mutation_id}`);
    expect(job?.name).toBe('notify');
    const sent: { target: NotifyTarget; message: NotifierMessage }[] = [];
    const notifier: Notifier = {
      notify: async (target, message) => {
        sent.push({ target, message });
      },
    };
    const registry = topupTaskRegistry({ topups: t.container.core.topups, notifier });
    await registry.processors.delivery!.notify!(job!.data, {
      attemptsMade: 0,
      isFinalAttempt: false,
      updateProgress: async () => {},
    });
    expect(sent).toEqual([
      {
        target: { platform: 'telegram', chatId: '777', threadId: '5' },
        message: {
          kind: 'topup_credited',
          amountMrp: request.transferAmountMrp,
          balanceMrp: request.transferAmountMrp,
          locale: 'id',
        },
      },
    ]);
  });
});

describe('bad input to the webhook', () => {
  it('refuses a wrong or missing signature with 401 and stores nothing', async () => {
    const before = await mutationCount();
    const mutation = moota.addMutation({ amount: 50_000 });
    const wrong = await moota.deliver(hook, [mutation], { secret: 'not-the-secret' });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.responseText).error.message).toMatch(/Signature/);
    expect((await moota.deliver(hook, [mutation], { signature: null })).status).toBe(401);
    expect((await moota.deliver(hook, [mutation], { signature: 'ab'.repeat(32) })).status).toBe(401);
    // Unsigned garbage is refused as unsigned, not parsed.
    expect((await moota.deliver(hook, [], { rawBody: '{not json', signature: null })).status).toBe(401);
    expect(await mutationCount()).toBe(before);
  });

  it('refuses a signed body that is not a JSON array of mutations with 400', async () => {
    const before = await mutationCount();
    for (const rawBody of ['{not json', '{"data":[]}', 'null']) {
      const res = await moota.deliver(hook, [], { rawBody });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.responseText).error.message).toMatch(/Moota webhook body/);
    }
    expect(await mutationCount()).toBe(before);
  });

  it('reads amounts sent as strings and as numbers alike', async () => {
    const asString = await telegramTopup(await chatAccount(), 21_000);
    const asNumber = await telegramTopup(await chatAccount(), 22_000);
    const a = moota.addMutation({ amount: idr(asString) });
    const b = moota.addMutation({ amount: idr(asNumber) });
    const items = [
      { ...a, amount: `${idr(asString)}.00` },
      { ...b, amount: idr(asNumber) },
    ];
    const res = await moota.deliver(hook, [], { rawBody: JSON.stringify(items) });
    expect(JSON.parse(res.responseText).mutations.map((m: { outcome: string }) => m.outcome)).toEqual([
      'matched',
      'matched',
    ]);
    expect(await balance(asString.accountId)).toBe(asString.transferAmountMrp);
    expect(await balance(asNumber.accountId)).toBe(asNumber.transferAmountMrp);
  });

  it('stores debits and other banks’ mutations as ignored, without crediting', async () => {
    const accountId = await chatAccount();
    const request = await telegramTopup(accountId, 23_000);
    const debit = moota.addMutation({ amount: idr(request), type: 'DB', note: request.code });
    const foreign = moota.addMutation({
      amount: idr(request),
      accountNumber: '5555555555',
      note: request.code,
    });
    const res = await deliver([debit, foreign]);
    expect(res.body.mutations).toEqual([
      { mutation_id: debit.mutation_id, outcome: 'ignored', reason: 'debit' },
      { mutation_id: foreign.mutation_id, outcome: 'ignored', reason: 'foreign_account' },
    ]);
    expect(await statusOf(debit.mutation_id)).toBe('ignored');
    expect(await balance(accountId)).toBe(0n);
    // Our second account, written with dashes, is ours.
    const mandiri = moota.addMutation({ amount: idr(request), accountNumber: '900001234567-8' });
    expect((await deliver([mandiri])).body.mutations[0].outcome).toBe('matched');
  });

  it('keeps good items of a body whose other items are unreadable', async () => {
    const accountId = await chatAccount();
    const request = await telegramTopup(accountId, 24_000);
    const good = moota.addMutation({ amount: idr(request) });
    const items = [
      { ...good, amount: idr(request) },
      { ...good, mutation_id: 'bad-amount', token: 'bad-amount', amount: 'sepuluh ribu' },
      { ...good, mutation_id: 'too-precise', token: 'too-precise', amount: '10000.1234' },
    ];
    const res = await moota.deliver(hook, [], { rawBody: JSON.stringify(items) });
    const body = JSON.parse(res.responseText);
    expect(res.status).toBe(200);
    expect(body.mutations).toHaveLength(1);
    expect(body.rejected.map((r: { mutation_id: string }) => r.mutation_id)).toEqual([
      'bad-amount',
      'too-precise',
    ]);
    expect(await statusOf('bad-amount')).toBeUndefined();
    expect(await balance(accountId)).toBe(request.transferAmountMrp);
  });

  it('leaves a transfer with a fraction of a rupiah unmatched rather than guessing', async () => {
    const request = await telegramTopup(await chatAccount(), 26_000);
    const odd = moota.addMutation({ amount: `${idr(request)}.50` });
    expect((await deliver([odd])).body.mutations[0].outcome).toBe('unmatched');
    expect(await balance(request.accountId)).toBe(0n);
  });

  it('never lets money be created or lost', async () => {
    expect(await t.container.core.ledger.verify()).toEqual([]);
  });
});
