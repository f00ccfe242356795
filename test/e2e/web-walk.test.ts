import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpAt } from '../../core/admin/index.js';
import { type FakeMoota, startFakeMoota } from '../fakes/moota.js';
import { FAKE_OPENAI_KEY, type FakeOpenAI, startFakeOpenAI } from '../fakes/openai.js';
import { FakeTelegram } from '../fakes/telegram.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { CHROMIUM, launchBrowser, phonePage, shot } from './web-harness.js';

const MOOTA_SECRET = 'moota-webhook-secret-for-web';
const PASSWORD = 'a sturdy passphrase';
let t: TestApp;
let url: string;
let openai: FakeOpenAI;
let moota: FakeMoota;
let telegram: FakeTelegram;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  openai = await startFakeOpenAI();
  moota = await startFakeMoota({ webhookSecret: MOOTA_SECRET });
  telegram = await FakeTelegram.start();
  t = await createTestApp({
    env: {
      OPENAI_API_KEY: FAKE_OPENAI_KEY,
      OPENAI_BASE_URL: `${openai.url}/v1`,
      MOOTA_WEBHOOK_SECRET: MOOTA_SECRET,
      BANK_ACCOUNTS: 'BCA:1234567890:PT AIport Indonesia',
      // Stars refunds go back through the Bot API.
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_WEBHOOK_SECRET: 'web-walk-telegram-secret',
    },
  });
  url = await t.listen();
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
  await moota?.close();
  await telegram?.close();
  await openai?.close();
});

/** The last mail the development mailer captured for this address, its link pointed at this server. */
function mailedLink(to: string): string {
  const mail = [...t.container.outbox].reverse().find((m) => m.to === to);
  if (!mail?.link) throw new Error(`no mail to ${to}`);
  const link = new URL(mail.link);
  return `${url}${link.pathname}${link.search}${link.hash}`;
}

describe('a person on a phone, from sign-up to deletion', () => {
  it('walks the whole path', async () => {
    const page = await phonePage(browser);
    const email = 'walker@example.com';

    // Sign up, with a first mistake that keeps what was typed.
    await page.goto(`${url}/#/signup`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Kata sandi').fill('short');
    await page.getByRole('button', { name: 'Daftar' }).click();
    // The API's error, worded in the page's language next to the field.
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/minimal 10 karakter/);
    expect(await page.getByRole('alert').first().textContent()).not.toMatch(/at least/);
    expect(await page.getByLabel('Email').inputValue()).toBe(email);
    await shot(page, '01-signup-error');
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await page.getByRole('button', { name: 'Daftar' }).click();
    await page.getByText('Cek email Anda').waitFor();
    await shot(page, '02-signup-sent');
    // Signed up on the Indonesian page: the verification email is in Indonesian only.
    const verification = [...t.container.outbox].reverse().find((m) => m.to === email)!;
    expect(verification.subject).toBe('Verifikasi email AIport Anda');
    expect(verification.text).not.toMatch(/Open this link/);

    // Verify with the captured link: it lands on the sign-in page.
    await page.goto(mailedLink(email));
    await page.getByText('Email terverifikasi').waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await page.getByRole('heading', { name: 'Dasbor' }).waitFor();
    expect(await page.getByTestId('balance').textContent()).toBe('Rp 0');
    await shot(page, '03-dashboard-empty');

    // An API key: the secret is shown once.
    await page.goto(`${url}/#/keys`);
    await page.getByLabel('Nama kunci').fill('laptop');
    await page.getByRole('button', { name: 'Buat kunci' }).click();
    const secret = await page.getByTestId('secret').textContent();
    expect(secret).toMatch(/^aip_/);
    await shot(page, '04-key-created');

    // A top-up, credited by a signed bank mutation while the page waits.
    await page.goto(`${url}/#/topup`);
    await page.getByLabel('Jumlah (rupiah)').fill('50000');
    await page.getByRole('button', { name: 'Buat permintaan transfer' }).click();
    await page.getByTestId('transfer-amount').waitFor();
    await shot(page, '05-topup-pending');
    const [request] = (await t.container.core.topups.listRequests(
      (
        await t.container.db.sql`SELECT id FROM accounts WHERE email = ${email}`
      )[0]!.id as string,
      { limit: 1 },
    )) as { transferAmountMrp: bigint; code: string }[];
    const mutation = moota.addMutation({
      amount: Number(request!.transferAmountMrp / 1000n),
      note: request!.code,
    });
    const delivery = await moota.deliver(`${url}/webhooks/moota`, [mutation]);
    expect(delivery.status).toBe(200);
    await expect
      .poll(() => page.getByTestId('topup-status').textContent(), { timeout: 30_000 })
      .toMatch(/Sudah masuk/);
    await shot(page, '06-topup-paid');

    // The playground streams an answer from the fake upstream and shows its cost.
    await page.goto(`${url}/#/playground`);
    await page.getByLabel('Pesan').fill('Halo, apa kabar?');
    await page.getByRole('button', { name: 'Kirim' }).click();
    await page.getByTestId('cost').waitFor({ timeout: 30_000 });
    expect((await page.getByTestId('answer').textContent())?.length).toBeGreaterThan(5);
    expect(await page.getByTestId('cost').textContent()).toMatch(/biaya Rp \d/);
    await shot(page, '07-playground');

    // Usage shows the row with its cost; the CSV export downloads.
    await page.goto(`${url}/#/usage`);
    const row = page.getByTestId('usage-table').locator('tbody tr').first();
    await row.waitFor();
    expect(await row.textContent()).toMatch(/gpt-4o-mini.*Rp \d/);
    await shot(page, '08-usage');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('csv').click()]);
    expect(await readFile((await csv.path())!, 'utf8')).toMatch(/gpt-4o-mini/);

    // Settings: the data export, then deletion with the password and the confirmation word.
    await page.goto(`${url}/#/settings`);
    const [exported] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
    expect(JSON.parse(await readFile((await exported.path())!, 'utf8'))).toBeTypeOf('object');
    // A code to enter in a bot, and a code from a bot that is wrong (said next to the field, kept).
    await page.getByRole('button', { name: 'Buat kode' }).click();
    expect(await page.getByTestId('link-code').textContent()).toMatch(/^\/link [A-Z2-9]{8}$/);
    await page.getByLabel('Kode penghubung').fill('WRONG123');
    await page.getByRole('button', { name: 'Hubungkan', exact: true }).click();
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toMatch(/Kode tautan salah, sudah dipakai, atau kedaluwarsa/);
    expect(await page.getByRole('alert').first().textContent()).not.toMatch(/wrong, used or expired/);
    expect(await page.getByLabel('Kode penghubung').inputValue()).toBe('WRONG123');
    await shot(page, '09-settings');
    await page.getByLabel('Kata sandi', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Ketik DELETE untuk konfirmasi').fill('DELETE');
    await page.getByRole('button', { name: 'Hapus akun saya selamanya' }).click();
    await page.getByText('Akun Anda sudah dihapus.').waitFor();
    const [gone] = await t.container.db.sql`SELECT status, email FROM accounts WHERE email = ${email}`;
    expect(gone).toBeUndefined();
    await shot(page, '10-deleted');
  }, 240_000);

  it('an admin signs in with TOTP and credits an unmatched transfer', async () => {
    const admin = { email: 'ops@aiport.id', password: 'an operator passphrase' };
    const enrollment = await t.container.core.adminUsers.create(admin);
    const customer = await t.container.core.accounts.signup({
      email: 'payer@example.com',
      password: PASSWORD,
    });
    const stray = moota.addMutation({ amount: 123_457, note: 'no code here' });
    await moota.deliver(`${url}/webhooks/moota`, [stray]);

    const page = await phonePage(browser);
    await page.goto(`${url}/#/admin`);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Kata sandi').fill(admin.password);
    await page.getByLabel('Kode TOTP (6 digit)').fill(totpAt(enrollment.totpSecret, Date.now()));
    await page.getByRole('button', { name: 'Masuk admin' }).click();
    const item = page.getByTestId('mutation').first();
    await item.waitFor();
    await shot(page, '11-admin-unmatched');
    await item.getByLabel('Id akun tujuan').fill(customer.id);
    await item.getByLabel('Alasan').fill('customer sent the receipt by email');
    await item.getByRole('button', { name: 'Kreditkan' }).click();
    await page.getByText('Tidak ada transfer yang menunggu.').waitFor();
    await shot(page, '12-admin-resolved');
    expect((await t.container.core.ledger.balance(customer.id)).balanceMrp).toBe(123_457_000n);

    // A voucher: created with a reason, then listed.
    await page.getByRole('tab', { name: 'Voucher' }).click();
    await page.getByLabel('Nilai (rupiah)').fill('25000');
    await page.getByLabel('Maks. pemakaian').fill('2');
    await page.getByLabel('Alasan').fill('launch campaign');
    await page.getByRole('button', { name: 'Buat voucher' }).click();
    const made = await page.getByTestId('voucher-created').locator('code').textContent();
    await expect.poll(() => page.getByTestId('vouchers').textContent()).toContain(made!);
    await shot(page, '12b-admin-vouchers');

    // A Telegram Stars purchase refunded: the credit is taken back, Telegram returns the Stars.
    await t.container.core.topups.creditStarPayment({
      chargeId: 'stxWalkCharge1',
      telegramUserId: '777',
      accountId: customer.id,
      stars: 100,
      payload: 'stars:100',
      currency: 'XTR',
    });
    await page.getByRole('tab', { name: 'Telegram Stars' }).click();
    const payment = page.getByTestId('star-payment').first();
    await payment.getByLabel('Alasan').fill('bought by mistake');
    await payment.getByRole('button', { name: 'Kembalikan Stars' }).click();
    await payment.getByText('sudah dikembalikan').waitFor();
    await shot(page, '12c-admin-stars');
    expect((await t.container.core.ledger.balance(customer.id)).balanceMrp).toBe(123_457_000n);
    expect(telegram.callsOf('refundStarPayment')).toHaveLength(1);
    const [audit] = await t.container.db
      .sql`SELECT count(*)::int AS n FROM audit_log WHERE actor_type = 'admin'`;
    expect(audit!.n).toBeGreaterThan(1);
  }, 120_000);
});
