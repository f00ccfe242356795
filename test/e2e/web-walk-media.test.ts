import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkerRole } from '../../bin/workers.js';
import type { RunningWorkers } from '../../workers/runtime/index.js';
import { type AllFakes, startAllFakes } from '../fakes/all-fakes.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { CHROMIUM, launchBrowser, phonePage, shot } from './web-harness.js';

/**
 * The playground's images and video on a phone, against the fakes of the shipped catalog: an image
 * generated, then edited from an upload, and a video submitted, followed and played, each billed
 * like the API with its cost on the page.
 */

const PASSWORD = 'a sturdy passphrase';
let fakes: AllFakes;
let t: TestApp;
let url: string;
let workers: RunningWorkers;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  fakes = await startAllFakes();
  t = await createTestApp({ env: fakes.env });
  url = await t.listen();
  workers = await startWorkerRole(t.container);
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await workers?.close();
  await t?.close();
  await fakes?.close();
});

async function money(accountId: string) {
  const [row] = await t.container.db.sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM jobs WHERE account_id = ${accountId}`;
  const { balanceMrp } = await t.container.core.ledger.balance(accountId);
  return { balanceMrp, jobs: row!.n };
}

describe('the playground on a phone: images and video', () => {
  it('generates and edits an image, then makes a video and plays it', async () => {
    const email = 'maker@example.com';
    const account = await t.container.core.accounts.signup({ email, password: PASSWORD });
    await t.container.core.ledger.credit('adjustment', {
      accountId: account.id,
      amountMrp: 100_000_000n,
      idempotencyKey: `test:${account.id}`,
      reason: 'test balance',
    });
    const page = await phonePage(browser);
    await page.goto(`${url}/#/login?next=${encodeURIComponent('/playground?tab=image')}`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();

    // An empty description is refused by the server, next to the field, and costs nothing.
    await page.getByRole('button', { name: 'Buat gambar' }).click();
    await page.getByRole('alert').first().waitFor();
    expect((await money(account.id)).balanceMrp).toBe(100_000_000n);

    // Generate: the picture shows with its cost (gpt-image-2 is Rp 700 per image).
    await page.getByLabel('Deskripsi gambar').fill('a red bicycle by a canal');
    await page.getByRole('button', { name: 'Buat gambar' }).click();
    const generated = page.getByTestId('image-result').first();
    await generated.waitFor({ timeout: 30_000 });
    await expect
      .poll(() => generated.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBeGreaterThan(0);
    expect(await page.getByTestId('image-cost').textContent()).toBe('biaya Rp 700');
    await shot(page, '13-playground-image');

    // Edit an uploaded photo: the button says so, and the edit is billed too.
    const photo = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#2266aa' } })
      .png()
      .toBuffer();
    await page
      .getByLabel('Gambar untuk diedit (opsional)')
      .setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: photo });
    await page.getByLabel('Deskripsi gambar').fill('make the sky orange');
    await page.getByRole('button', { name: 'Edit gambar', exact: true }).click();
    await page.getByRole('heading', { name: 'Hasil edit' }).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('image-cost').textContent()).toBe('biaya Rp 700');
    await shot(page, '14-playground-image-edit');
    const [edit] = await t.container.db.sql<{ kind: string; status: string }[]>`
      SELECT kind, status FROM jobs WHERE account_id = ${account.id} ORDER BY created_at DESC LIMIT 1`;
    expect(edit).toEqual({ kind: 'image_edit', status: 'succeeded' });
    expect((await money(account.id)).balanceMrp).toBe(98_600_000n);

    // A video: submitted, followed, then played from our server (wan-2.2, 5 s at Rp 1.500 a second).
    await page.getByRole('link', { name: 'Video' }).click();
    await page.getByLabel('Deskripsi video').fill('waves on a beach at sunset');
    await page.getByRole('button', { name: 'Buat video' }).click();
    await page.getByTestId('video-progress').waitFor({ timeout: 30_000 });
    await shot(page, '15-playground-video-progress');
    const video = page.getByTestId('video-result');
    await video.waitFor({ timeout: 60_000 });
    await expect
      .poll(() => video.evaluate((v) => (v as unknown as { readyState: number }).readyState), {
        timeout: 15_000,
      })
      .toBeGreaterThan(0);
    expect(await page.getByTestId('video-cost').textContent()).toBe('biaya Rp 7.500');
    await shot(page, '16-playground-video-done');
    expect(await money(account.id)).toEqual({ balanceMrp: 91_100_000n, jobs: 3 });
  }, 180_000);
});

describe('the media routes with a session', () => {
  it('take the session cookie only with its CSRF token on writes, and the owner alone reads a video', async () => {
    const email = 'cookie-media@example.com';
    await t.container.core.accounts.signup({ email, password: PASSWORD });
    const login = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'x-aiport-client': 'web', 'content-type': 'application/json' },
      payload: JSON.stringify({ email, password: PASSWORD }),
    });
    const cookie = /aiport_session=[^;]*/.exec(String(login.headers['set-cookie']))![0];
    const csrf = login.json().csrf_token as string;
    const generate = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/images/generations',
        headers: { 'content-type': 'application/json', ...headers },
        payload: JSON.stringify({ model: 'gpt-image-2', prompt: 'a cat' }),
      });
    const forged = await generate({ cookie });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error.message).toMatch(/CSRF/);
    expect((await generate({})).statusCode).toBe(401);
    // With the token the request is the person's own: no balance, so it is refused for money, not auth.
    const poor = await generate({ cookie, 'x-csrf-token': csrf });
    expect(poor.statusCode).toBe(402);
    const [other] = await t.container.db.sql<{ id: string }[]>`
      SELECT id FROM jobs WHERE kind = 'video' LIMIT 1`;
    const stranger = await t.app.inject({
      method: 'GET',
      url: `/v1/videos/${other!.id}`,
      headers: { cookie },
    });
    expect(stranger.statusCode).toBe(404);
  });
});
