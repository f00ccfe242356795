import { describe, expect, it } from 'vitest';
import { parseNotifyTask, renderTopupCredited, routeNotifier } from '../notices/index.js';
import type { Mail } from '../ports/mailer.js';
import type { NotifierMessage, NotifyTarget } from '../ports/notifier.js';
import type { TaskQueue } from '../ports/queue.js';
import { enqueueConfirmation } from './confirmations.js';

const message = {
  kind: 'topup_credited' as const,
  amountMrp: 100_250_000n,
  balanceMrp: 1_234_567_890n,
  locale: 'id' as const,
};

describe('top-up confirmations', () => {
  it('travel through the queue as JSON and come back exactly', async () => {
    const enqueued: { queue: string; task: string; data: Record<string, unknown>; jobId?: string }[] = [];
    const queue: TaskQueue = {
      enqueue: async (q, task, data, options) => {
        enqueued.push({ queue: q, task, data: JSON.parse(JSON.stringify(data)), jobId: options?.jobId });
      },
    };
    const target = { platform: 'discord' as const, chatId: '123', userId: '9' };
    await enqueueConfirmation(queue, { reference: 'topup-credited-abc:1/2', target, message });
    expect(enqueued).toHaveLength(1);
    expect(enqueued[0]).toMatchObject({
      queue: 'delivery',
      task: 'notify',
      jobId: 'notify_topup-credited-abc_1_2',
    });
    expect(parseNotifyTask(enqueued[0]!.data)).toEqual({ target, message });
  });

  it('refuses malformed task data without retrying', () => {
    for (const data of [{}, { target: { email: 'a@b.c' }, message: { ...message, amount_mrp: '1.5' } }]) {
      expect(() => parseNotifyTask(data)).toThrow(expect.objectContaining({ retryable: false }));
    }
  });

  it('are written in the account language with Indonesian money', () => {
    expect(renderTopupCredited(message)).toEqual({
      subject: 'AIport: saldo bertambah Rp 100.250',
      text: expect.stringContaining('Saldo sekarang: Rp 1.234.567,89'),
    });
    expect(renderTopupCredited({ ...message, locale: 'en' }).text).toContain('New balance: Rp 1.234.567,89');
  });

  it('go by email or to the chat notifier, and fail for good when a chat has none', async () => {
    const mails: Mail[] = [];
    const chats: [NotifyTarget, NotifierMessage][] = [];
    const mailer = { send: async (mail: Mail) => void mails.push(mail) };
    const routed = routeNotifier({ mailer, chat: { notify: async (t, m) => void chats.push([t, m]) } });
    await routed.notify({ email: 'ani@example.com' }, message);
    await routed.notify({ platform: 'telegram', chatId: '1' }, message);
    expect(mails.map((m) => m.to)).toEqual(['ani@example.com']);
    expect(chats).toEqual([[{ platform: 'telegram', chatId: '1' }, message]]);
    await expect(
      routeNotifier({ mailer }).notify({ platform: 'slack', chatId: 'C1' }, message),
    ).rejects.toMatchObject({ retryable: false });
  });
});
