import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../bin/cli.js';
import { type FakeMoota, startFakeMoota } from '../fakes/moota.js';
import { cli, pointCliAt } from '../helpers/cli-runner.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const SECRET = 'moota-secret-for-the-cli-test';
let t: TestApp;
let moota: FakeMoota;
let hook: string;
let restoreEnv: () => void;

beforeAll(async () => {
  t = await createTestApp({
    env: { MOOTA_WEBHOOK_SECRET: SECRET, BANK_ACCOUNTS: 'BCA:1234567890:PT AIport' },
  });
  hook = `${await t.listen()}/webhooks/moota`;
  moota = await startFakeMoota({ webhookSecret: SECRET });
  restoreEnv = pointCliAt(t);
});
afterAll(async () => {
  restoreEnv();
  await moota.close();
  await t.close();
});

const statusOf = async (id: string) =>
  (await t.database.sql<{ status: string }[]>`SELECT status FROM accounts WHERE id = ${id}`)[0]!.status;

describe('npm run cli -- <operator command>', () => {
  let accountId: string;
  const email = 'operator-target@example.com';

  beforeAll(async () => {
    accountId = (await t.container.core.accounts.signup({ email, password: 'a long passphrase 123' })).id;
  });

  it('explains every command with --help, and lists them all', async () => {
    const all = await cli('--help');
    expect(all.code).toBe(0);
    for (const [name, command] of Object.entries(commands)) {
      expect(all.out).toContain(name);
      const help = await cli(name, '--help');
      expect(help.code).toBe(0);
      expect(help.out).toContain(command.summary);
      expect(help.out).toContain(`usage: npm run cli -- ${command.usage}`);
    }
    const unknown = await cli('voucher:explode');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown command');
  });

  it('creates and lists vouchers that a person can then redeem', async () => {
    const created = await cli(
      'voucher:create',
      '--amount',
      '25000',
      '--uses',
      '2',
      '--reason',
      'launch promo',
    );
    expect(created.code).toBe(0);
    const code = /voucher (\S+):/.exec(created.out)![1]!;
    expect(created.out).toContain('Rp 25.000');
    expect((await cli('voucher:list')).out).toMatch(new RegExp(`${code}\\s+Rp 25\\.000\\s+used 0/2`));
    const redeemed = await t.container.core.topups.redeemVoucher(accountId, code);
    expect(redeemed.balanceMrp).toBe(25_000_000n);
    expect((await cli('voucher:list')).out).toMatch(new RegExp(`${code}.*used 1/2`));
    expect((await cli('voucher:create', '--amount', 'lots', '--reason', 'x')).code).toBe(2);
    expect((await cli('voucher:create', '--amount', '1000')).err).toContain('--reason is required');
  });

  it('finds and shows an account, suspends and reinstates it, with audit rows', async () => {
    expect((await cli('account:find', '--query', 'operator-target')).out).toContain(accountId);
    const shown = await cli('account:show', '--email', email);
    expect(shown.out).toContain(`account ${accountId}`);
    expect(shown.out).toMatch(/balance Rp 25\.000/);

    expect((await cli('account:suspend', '--id', accountId, '--reason', 'chargeback fraud')).out).toContain(
      'is suspended',
    );
    expect(await statusOf(accountId)).toBe('suspended');
    expect((await cli('account:reinstate', '--email', email, '--reason', 'cleared by bank')).code).toBe(0);
    expect(await statusOf(accountId)).toBe('active');
    const audit = await t.database.sql<{ action: string; actor_id: string }[]>`
      SELECT action, actor_id FROM audit_log WHERE target_id = ${accountId} ORDER BY id`;
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['account.view', 'account.suspend', 'account.unsuspend']),
    );
    expect(audit.every((a) => a.actor_id.startsWith('cli:'))).toBe(true);
    expect((await cli('account:suspend', '--email', 'nobody@example.com', '--reason', 'x y z')).code).toBe(2);
  });

  it('lists an unmatched bank transfer and assigns it once', async () => {
    const mutation = moota.addMutation({ amount: 77_777, description: 'TRF FROM SOMEONE NO CODE' });
    const delivery = await moota.deliver(hook, [mutation]);
    expect(delivery.status).toBe(200);
    const listed = await cli('transfers:unmatched');
    expect(listed.out).toContain(mutation.mutation_id);
    expect(listed.out).toContain('Rp 77.777');

    const assigned = await cli(
      'transfers:assign',
      '--mutation',
      mutation.mutation_id,
      '--email',
      email,
      '--reason',
      'customer sent receipt',
    );
    expect(assigned.code).toBe(0);
    expect(assigned.out).toContain('balance Rp 102.777');
    const again = await cli(
      'transfers:assign',
      '--mutation',
      mutation.mutation_id,
      '--id',
      accountId,
      '--reason',
      'again',
    );
    expect(again.code).toBe(1);
    expect((await t.container.core.ledger.balance(accountId)).balanceMrp).toBe(102_777_000n);
    expect((await cli('transfers:unmatched')).out).not.toContain(mutation.mutation_id);
  });

  it('revokes an API key so it no longer authenticates', async () => {
    const { key, secret } = await t.container.core.apiKeys.create(accountId, { name: 'leaked' });
    const call = () =>
      t.app.inject({ method: 'GET', url: '/v1/models', headers: { authorization: `Bearer ${secret}` } });
    expect((await call()).statusCode).toBe(200);
    const revoked = await cli('key:revoke', '--key', key.id, '--reason', 'posted on a forum');
    expect(revoked.code).toBe(0);
    expect((await call()).statusCode).toBe(401);
    expect((await cli('key:revoke', '--key', 'not-a-key', '--reason', 'x')).code).toBe(2);
  });

  it('verifies the ledger, and exits 1 naming an account whose cached balance drifted', async () => {
    const clean = await cli('ledger:verify');
    expect(clean.code).toBe(0);
    expect(clean.out).toContain('every balance and hold agrees with the ledger');
    await t.database.sql`UPDATE accounts SET balance_mrp = balance_mrp + 1 WHERE id = ${accountId}`;
    const drifted = await cli('ledger:verify', '--email', email);
    expect(drifted.code).toBe(1);
    expect(drifted.out).toContain(`MISMATCH ${accountId}`);
    await t.database.sql`UPDATE accounts SET balance_mrp = balance_mrp - 1 WHERE id = ${accountId}`;
  });
});
