import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BotsHarness,
  deliverSlack,
  deliverTelegram,
  newTelegramId,
  startBotsHarness,
  telegramTextUpdate,
} from './bots-harness.js';

/** Without BANK_ACCOUNTS no bank transfer is offered: /topup says so and offers what there is. */
let h: BotsHarness;

beforeAll(async () => {
  h = await startBotsHarness({ BANK_ACCOUNTS: '' });
});
afterAll(() => h.close());

describe('/topup without bank accounts', () => {
  it('Telegram: says bank transfer is unavailable, offers Stars (labelled as Stars) and vouchers, creates no request', async () => {
    const user = { id: newTelegramId(), first_name: 'Tanpa Bank', language_code: 'en' };
    await deliverTelegram(h, telegramTextUpdate(user, user.id, '/topup 50000'));
    const reply = h.telegram.callsOf('sendMessage').at(-1)!;
    expect(reply.params['text']).toBe(
      [
        'Top-up by bank transfer is not available yet.',
        'You can pay with Telegram Stars: choose a package below.',
        'Have a voucher code? Redeem it with /redeem CODE.',
      ].join('\n'),
    );
    const buttons = (
      reply.params['reply_markup'] as { inline_keyboard: { text: string }[][] }
    ).inline_keyboard.flat();
    expect(buttons.length).toBeGreaterThan(0);
    for (const button of buttons) expect(button.text).toMatch(/^⭐ \d+ Stars → Rp [\d,]+ balance$/);
    const [row] = await h.app.database.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM topup_requests`;
    expect(row!.n).toBe(0);
  });

  it('Slack: says so with Slack’s own syntax and no Stars', async () => {
    const responseUrl = h.slack.createResponseUrl();
    const form = new URLSearchParams({
      team_id: 'T0FAKE',
      channel_id: 'C0TOPUP',
      user_id: `U${randomInt(1, 2 ** 40)}`,
      command: '/aiport',
      text: 'topup 50000',
      response_url: responseUrl,
      trigger_id: `1.${randomInt(1, 2 ** 40)}.t`,
    }).toString();
    await deliverSlack(h, form, 'application/x-www-form-urlencoded');
    const [post] = h.slack.responses.get(responseUrl.split('/').at(-1)!)!;
    expect(post!['text']).toBe(
      'Isi saldo lewat transfer bank belum tersedia.\nPunya kode voucher? Tukarkan dengan /aiport redeem KODE.',
    );
    expect(post!['response_type']).toBe('ephemeral');
  });
});
