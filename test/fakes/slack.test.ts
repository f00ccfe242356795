import { ErrorCode, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from './slack.js';

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

describe('fake Slack Web API', () => {
  it('answers auth.test and refuses a wrong token', async () => {
    expect((await client.auth.test()).user_id).toBe('U0BOT');
    const wrong = new WebClient('xoxb-wrong', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    await expect(wrong.auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
  });

  it('posts and updates messages in a thread transcript', async () => {
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'Sebentar…', thread_ts: '1.0' });
    await client.chat.update({ channel: 'C1', ts: posted.ts!, text: 'Jawaban *lengkap*' });
    const [message] = fake.transcript('C1', '1.0');
    expect(message?.text).toBe('Jawaban *lengkap*');
    expect(message?.versions).toEqual(['Sebentar…', 'Jawaban *lengkap*']);
    await expect(client.chat.postMessage({ channel: 'C1', text: '' })).rejects.toMatchObject({
      data: { error: 'no_text' },
    });
  });

  it('streams with chat.startStream / appendStream / stopStream', async () => {
    const started = await client.chat.startStream({
      channel: 'C2',
      thread_ts: '2.0',
      recipient_user_id: 'U1',
      recipient_team_id: 'T0FAKE',
      markdown_text: 'Halo',
    });
    await client.chat.appendStream({ channel: 'C2', ts: started.ts!, markdown_text: ', dunia' });
    await client.chat.stopStream({ channel: 'C2', ts: started.ts!, markdown_text: '!' });
    const [message] = fake.transcript('C2', '2.0');
    expect(message?.text).toBe('Halo, dunia!');
    expect(message?.stream).toMatchObject({ state: 'stopped', appends: ['Halo', ', dunia', '!'] });
    await expect(
      client.chat.appendStream({ channel: 'C2', ts: started.ts!, markdown_text: 'late' }),
    ).rejects.toMatchObject({ data: { error: 'message_not_in_streaming_state' } });
    await expect(
      client.chat.startStream({ channel: 'C2', thread_ts: '2.0', markdown_text: 'x' }),
    ).rejects.toMatchObject({ data: { error: 'missing_recipient_user_id' } });
  });

  it('answers 429 with Retry-After when a rate limit is injected', async () => {
    fake.injectError('chat.postMessage', { retryAfter: 7 });
    const error = await client.chat.postMessage({ channel: 'C3', text: 'x' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });
    await client.chat.postMessage({ channel: 'C3', text: 'x' });
    expect(fake.transcript('C3').map((m) => m.text)).toEqual(['x']);
  });

  it('receives a filesUploadV2 upload: URL, raw bytes, completion shared in the thread', async () => {
    const bytes = Buffer.from([1, 2, 3, 4, 5]);
    await client.filesUploadV2({
      channel_id: 'C4',
      thread_ts: '4.0',
      file: bytes,
      filename: 'gambar.png',
      title: 'Gambar',
      initial_comment: 'Biaya Rp 700',
    });
    const [message] = fake.transcript('C4', '4.0');
    expect(message?.text).toBe('Biaya Rp 700');
    expect(message?.files[0]?.filename).toBe('gambar.png');
    expect([...(message?.files[0]?.bytes ?? [])]).toEqual([1, 2, 3, 4, 5]);
  });
});
