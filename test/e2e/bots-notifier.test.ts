import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCoreError } from '../../core/errors.js';
import { type BotsHarness, newTelegramId, startBotsHarness } from './bots-harness.js';

let h: BotsHarness;

beforeAll(async () => {
  h = await startBotsHarness();
});
afterAll(() => h.close());

const credited = { kind: 'topup_credited' as const, amountMrp: 50_123_000n, balanceMrp: 55_123_000n };

describe('bot notifier (top-up confirmations)', () => {
  it('confirms in the Telegram chat the request came from, in the account language', async () => {
    const chatId = newTelegramId();
    await h.bots.notifier.notify(
      { platform: 'telegram', chatId: String(chatId) },
      { ...credited, locale: 'en' },
    );
    expect(h.telegram.transcript(chatId).messages.map((m) => m.text)).toEqual([
      'Top-up of Rp 50,123 received. Balance now: Rp 55,123.',
    ]);
  });

  it('confirms in the Slack channel and thread', async () => {
    await h.bots.notifier.notify(
      { platform: 'slack', chatId: 'C0NOTIFY', threadId: '1700000000.000001' },
      { ...credited, locale: 'id' },
    );
    const [message] = h.slack.transcript('C0NOTIFY', '1700000000.000001');
    expect(message!.text).toMatch(/Rp 50\.123/);
  });

  it('says a key limit notice only in a private chat, never in a group', async () => {
    const userId = newTelegramId();
    const notice = {
      kind: 'key_limit' as const,
      keyName: 'shop',
      keyPrefix: 'aip_AbCd1234',
      limit: 'week' as const,
      thresholdPercent: 100 as const,
      limitMrp: 50_000_000n,
      spentMrp: 50_000_000n,
      resetsAt: new Date('2026-11-08T17:00:00Z'),
      locale: 'id' as const,
    };
    const group = await h.bots.notifier
      .notify({ platform: 'telegram', chatId: String(-userId), userId: String(userId) }, notice)
      .catch((e: unknown) => e);
    expect(isCoreError(group) && group.retryable).toBe(false);
    expect(h.telegram.transcript(-userId).messages).toEqual([]);
    await h.bots.notifier.notify(
      { platform: 'telegram', chatId: String(userId), userId: String(userId) },
      notice,
    );
    expect(h.telegram.transcript(userId).messages.map((m) => m.text)).toEqual([
      'Kunci API Anda "shop" (aip_AbCd1234…) telah mencapai batas pemakaian mingguan sebesar Rp 50.000: permintaannya ditolak sampai batas mengizinkan lagi.\nBatas ini mulai lagi pada 09/11/2026 00.00 WIB.',
    ]);
  });

  it('fails without retry when the chat refuses the bot for good', async () => {
    h.telegram.injectError('sendMessage', {
      errorCode: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    const error = await h.bots.notifier
      .notify({ platform: 'telegram', chatId: '42' }, { ...credited, locale: 'id' })
      .catch((e: unknown) => e);
    expect(isCoreError(error) && error.retryable).toBe(false);
  });
});
