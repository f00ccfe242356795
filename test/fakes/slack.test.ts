import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { ErrorCode, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack, SlackInbound } from './slack.js';

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

  it('records ephemeral messages and posts to a response_url (five at most)', async () => {
    await client.chat.postEphemeral({ channel: 'C5', user: 'U5', text: 'Saldo tidak cukup.' });
    expect(fake.ephemerals).toContainEqual({ channel: 'C5', user: 'U5', text: 'Saldo tidak cukup.' });
    const url = fake.createResponseUrl();
    const post = (text: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text }),
      });
    for (let i = 0; i < 5; i++) expect((await post(`ke-${i}`)).status).toBe(200);
    expect((await post('keenam')).status).toBe(404);
    expect(fake.responses.get(url.split('/').at(-1)!)?.map((r) => r['text'])).toHaveLength(5);
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

describe('signed inbound requests against a real Bolt app', () => {
  it('are accepted by Bolt: events (with redelivery headers), slash commands and interactions', async () => {
    const signingSecret = 'bolt-signing-secret';
    const app = new App({
      token: fake.token,
      signingSecret,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    const seen: string[] = [];
    app.event('app_mention', async ({ event, context, client: web }) => {
      seen.push(`mention:${context.retryNum ?? 0}`);
      await web.chat.postMessage({ channel: event.channel, thread_ts: event.ts, text: 'Halo!' });
    });
    app.command('/balance', async ({ ack, command }) => {
      seen.push(`command:${command.text}`);
      await ack();
    });
    app.action('model_pick', async ({ ack }) => {
      seen.push('action');
      await ack();
    });
    const server = await app.start(0);
    const { port } = server.address() as AddressInfo;
    const inbound = new SlackInbound(signingSecret, `http://127.0.0.1:${port}/slack/events`);
    try {
      const challenge = await inbound.urlVerification('tantangan');
      expect(await challenge.json()).toEqual({ challenge: 'tantangan' });

      const mention = {
        type: 'app_mention',
        user: 'U0USER',
        text: '<@U0BOT> halo',
        ts: '9.000100',
        channel: 'C9',
      };
      expect((await inbound.event(mention, { eventId: 'Ev1' })).status).toBe(200);
      expect((await inbound.event(mention, { eventId: 'Ev1', retryNum: 1 })).status).toBe(200);
      expect((await inbound.slashCommand('/balance', 'sekarang')).status).toBe(200);
      const action = {
        type: 'block_actions',
        user: { id: 'U0USER' },
        team: { id: 'T0FAKE' },
        api_app_id: 'A0FAKE',
        token: 'legacy-verification-token',
        trigger_id: '1.2.3',
        actions: [
          { type: 'button', action_id: 'model_pick', block_id: 'b', value: 'gpt-4o-mini', action_ts: '1' },
        ],
      };
      expect((await inbound.interaction(action)).status).toBe(200);
      expect((await inbound.event(mention, { signature: 'v0=forged' })).status).toBe(401);
      const old = Math.floor(Date.now() / 1000) - 600;
      expect((await inbound.event(mention, { timestamp: old })).status).toBe(401);

      await expect.poll(() => fake.transcript('C9', '9.000100').length).toBe(2);
      expect(seen.sort()).toEqual(['action', 'command:sekarang', 'mention:0', 'mention:1']);
    } finally {
      await app.stop();
    }
  });
});
