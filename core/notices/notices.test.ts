import { describe, expect, it } from 'vitest';
import type { KeyLimitMessage } from '../ports/notifier.js';
import type { TaskQueue } from '../ports/queue.js';
import { renderKeyLimit } from './email.js';
import { enqueueNotice, parseNotifyTask } from './notify-task.js';

const message: KeyLimitMessage = {
  kind: 'key_limit',
  keyName: 'toko online',
  keyPrefix: 'aip_AbCd1234',
  limit: 'month',
  thresholdPercent: 80,
  limitMrp: 100_000_000n,
  spentMrp: 80_000_500n,
  resetsAt: new Date('2026-11-30T17:00:00Z'),
  locale: 'id',
};

describe('key limit notices', () => {
  it('travel through the delivery queue as JSON and come back exactly', async () => {
    const enqueued: { data: Record<string, unknown>; jobId?: string }[] = [];
    const queue: TaskQueue = {
      enqueue: async (_q, _task, data, options) => {
        enqueued.push({ data: JSON.parse(JSON.stringify(data)), jobId: options?.jobId });
      },
    };
    const target = { platform: 'slack' as const, chatId: 'U1', userId: 'U1' };
    await enqueueNotice(queue, { reference: 'key-limit-k-month-1-80-slack-T:U1', target, message });
    expect(enqueued[0]!.jobId).toBe('notify_key-limit-k-month-1-80-slack-T_U1');
    expect(parseNotifyTask(enqueued[0]!.data)).toEqual({ target, message });
    const total = { ...message, limit: 'total' as const, resetsAt: null, thresholdPercent: 100 as const };
    await enqueueNotice(queue, { reference: 'r2', target, message: total });
    expect(parseNotifyTask(enqueued[1]!.data)).toEqual({ target, message: total });
    const bad = {
      ...enqueued[0]!.data,
      message: { ...(enqueued[0]!.data.message as object), threshold_percent: 50 },
    };
    expect(() => parseNotifyTask(bad)).toThrow(expect.objectContaining({ retryable: false }));
  });

  it('are written in the account language, with the reset time in WIB', () => {
    expect(renderKeyLimit(message)).toEqual({
      subject: 'AIport: kunci API toko online memakai 80% batas bulanan',
      text: expect.stringContaining('Rp 80.000,5 dari Rp 100.000'),
    });
    expect(renderKeyLimit(message).text).toContain('mulai lagi pada 01-12-2026 00:00 WIB');
    const en = renderKeyLimit({
      ...message,
      locale: 'en',
      limit: 'total',
      resetsAt: null,
      thresholdPercent: 100,
    });
    expect(en.subject).toBe('AIport: API key toko online reached its total limit');
    expect(en.text).toContain('has reached its total spend limit of Rp 100.000');
    expect(en.text).toContain('Raise the limit');
  });
});
