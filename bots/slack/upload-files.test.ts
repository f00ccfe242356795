import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../../test/fakes/slack.js';
import { virtualScheduler } from '../shared/scheduler.js';
import { promptFromSlackText, uploadSlackFiles } from './upload-files.js';

let fake: FakeSlack;
let client: WebClient;

beforeAll(async () => {
  fake = await FakeSlack.start();
  client = new WebClient(fake.token, {
    slackApiUrl: fake.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
  });
});
afterAll(async () => {
  await fake.close();
});

describe('uploadSlackFiles', () => {
  it('shares images in the thread with the cost comment, after waiting out a 429', async () => {
    const scheduler = virtualScheduler();
    fake.injectError('files.getUploadURLExternal', { retryAfter: 3 });
    await uploadSlackFiles(
      client,
      { channel: 'C7', threadTs: '7.0' },
      [
        { filename: 'a.png', data: Buffer.from([1, 2]), title: 'Gambar 1' },
        { filename: 'b.png', data: Buffer.from([3]) },
      ],
      'gpt-image-1 · biaya Rp 1.400',
      { scheduler },
    );
    expect(scheduler.sleeps).toEqual([3000]);
    const shared = fake.transcript('C7', '7.0');
    expect(shared.map((m) => m.text)).toEqual(['gpt-image-1 · biaya Rp 1.400']);
    expect(shared[0]?.files.map((f) => [f.filename, [...(f.bytes ?? [])]])).toEqual([
      ['a.png', [1, 2]],
      ['b.png', [3]],
    ]);
  });
});

describe('promptFromSlackText', () => {
  it('removes the bot mention', () => {
    expect(promptFromSlackText('<@U0BOT> jelaskan  RAG <@U0BOT|aiport>', 'U0BOT')).toBe('jelaskan RAG');
    expect(promptFromSlackText('tanya <@U0OTHER>', 'U0BOT')).toBe('tanya <@U0OTHER>');
  });
});
