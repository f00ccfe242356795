import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkerRole } from '../../bin/workers.js';
import type { RunningWorkers } from '../../workers/runtime/index.js';
import { type AllFakes, startAllFakes } from '../fakes/all-fakes.js';
import { type Playground, startPlayground } from '../fakes/playground.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** Debian's chromium (`apt-get install -y chromium`; .ci/run installs it when missing). */
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(tmpdir(), 'aiport-playground');

describe.skipIf(!existsSync(CHROMIUM))('the playground page, driven in a browser', () => {
  let fakes: AllFakes;
  let app: TestApp;
  let playground: Playground;
  let browser: Browser;
  let page: Page;
  let workers: RunningWorkers;

  beforeAll(async () => {
    fakes = await startAllFakes();
    app = await createTestApp({ env: fakes.env });
    const aiportUrl = await app.listen();
    await app.container.bots.start();
    workers = await startWorkerRole(app.container);
    playground = await startPlayground(fakes, { aiportUrl });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(playground.url);
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await playground?.close();
    await workers?.close();
    await app?.container.bots.stop();
    await app?.close();
    await fakes?.close();
  });

  const telegram = () => page.getByTestId('telegram');
  async function sayOnTelegram(text: string) {
    await telegram()
      .getByPlaceholder(/Message the bot/)
      .fill(text);
    await telegram().getByRole('button', { name: 'Send' }).click();
  }
  const lastBotText = () => telegram().locator('.msg.bot').last();

  it('tops up by bank transfer: the bot quotes an exact amount, the fake bank delivers it signed', async () => {
    await sayOnTelegram('/topup 50000');
    const quote = telegram().locator('.msg.bot', { hasText: /Transfer tepat Rp/ });
    await expect.poll(() => quote.count(), { timeout: 45_000 }).toBe(1);
    const text = (await quote.textContent()) ?? '';
    const amount = /Transfer tepat Rp ([\d.]+)/.exec(text)![1]!.replaceAll('.', '');
    // The transfer code, e.g. AIP-6ABXW: letters, a dash, letters and digits.
    const code = /\b([A-Z]{2,8}-[A-Z0-9]{4,})\b/.exec(text)![1]!;
    expect(Number(amount)).toBeGreaterThanOrEqual(50_000);

    const bank = page.getByTestId('bank');
    await bank.getByPlaceholder(/Exact amount/).fill(amount);
    await bank.getByPlaceholder(/Note/).fill(code);
    await bank.getByRole('button', { name: 'Transfer' }).click();
    await expect
      .poll(() => bank.locator('.msg').last().textContent(), { timeout: 45_000 })
      .toMatch(/HTTP 200 .*"outcome":"matched"/);

    await sayOnTelegram('/balance');
    await expect
      .poll(() => lastBotText().textContent(), { timeout: 45_000 })
      .toContain(`Rp ${Number(amount).toLocaleString('id-ID')}`);
    await page.screenshot({ path: join(SCREENSHOTS, '1-topup.png'), fullPage: true });
  }, 120_000);

  it('holds a conversation with the Telegram bot and presses its buttons', async () => {
    await sayOnTelegram('Halo dari playground');
    await expect
      .poll(() => lastBotText().textContent(), { timeout: 45_000 })
      .toBe('Echo: Halo dari playground');

    await sayOnTelegram('/model');
    const menu = telegram().locator('.msg.bot').last();
    await expect.poll(() => menu.locator('button').count(), { timeout: 45_000 }).toBeGreaterThan(1);
    const choice = menu.locator('button', { hasText: 'Claude' }).first();
    // Buttons read "<model> · ±Rp <price>/pesan"; the confirmation names the model.
    const label = ((await choice.textContent()) ?? '').split(' · ')[0]!.trim();
    await choice.click();
    await expect.poll(() => telegram().textContent(), { timeout: 45_000 }).toContain(`ke ${label}`);

    await sayOnTelegram('Siapa kamu?');
    await expect.poll(() => lastBotText().textContent(), { timeout: 45_000 }).toContain('Siapa kamu?');
    await page.screenshot({ path: join(SCREENSHOTS, '2-conversation.png'), fullPage: true });
  }, 120_000);

  it('shows the image the bot made, as a person would see it', async () => {
    await sayOnTelegram('/image a red fox in the snow');
    const picture = telegram().locator('.msg.bot img').last();
    await expect.poll(() => picture.count(), { timeout: 45_000 }).toBe(1);
    await expect
      .poll(
        () =>
          picture.evaluate(
            (img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth,
          ),
        {
          timeout: 20_000,
        },
      )
      .toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, '3-image.png'), fullPage: true });
  }, 120_000);
  it('talks with the Slack app in a direct message, one continuing conversation', async () => {
    const slack = page.getByTestId('slack');
    const say = async (words: string) => {
      await slack.getByPlaceholder(/Message the app/).fill(words);
      await slack.getByRole('button', { name: 'Send' }).click();
    };
    // The playground's Slack person has no balance yet: the app answers in the DM, privately, with
    // Slack's own top-up command; a second message is answered in the same conversation.
    await say('Halo dari Slack');
    const bot = () => slack.locator('.msg.bot');
    await expect.poll(() => bot().count(), { timeout: 45_000 }).toBe(1);
    expect(await bot().last().textContent()).toContain('/aiport topup');
    await say('Pesan kedua');
    await expect.poll(() => bot().count(), { timeout: 45_000 }).toBe(2);
    await page.screenshot({ path: join(SCREENSHOTS, '4-slack.png'), fullPage: true });
  }, 120_000);
});
