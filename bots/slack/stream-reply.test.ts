import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../../test/fakes/slack.js';
import { type VirtualScheduler, virtualScheduler } from '../shared/scheduler.js';
import { streamSlackReply } from './stream-reply.js';

let fake: FakeSlack;
let client: WebClient;
let scheduler: VirtualScheduler;
let timeline: { method: string; at: number }[];
let nextThread = 1;

beforeAll(async () => {
  fake = await FakeSlack.start();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  scheduler = virtualScheduler(5_000_000);
  timeline = [];
  const recordingFetch: typeof fetch = (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    timeline.push({ method: url.split('/').at(-1) ?? url, at: scheduler.now() });
    return fetch(input, init);
  };
  client = new WebClient(fake.token, {
    slackApiUrl: fake.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    fetch: recordingFetch,
  });
});

async function* deltas(text: string, chunk: number, stepMs: number): AsyncIterable<string> {
  for (let i = 0; i < text.length; i += chunk) {
    scheduler.advance(stepMs);
    yield text.slice(i, i + chunk);
  }
}

function answer(paragraphs: number): string {
  return Array.from(
    { length: paragraphs },
    (_, i) => `Bagian **${i}**: ${'isi jawaban '.repeat(7).trim()}.`,
  ).join('\n\n');
}

function target() {
  return {
    channel: 'C0CHAN',
    threadTs: `${nextThread++}.000100`,
    recipientUserId: 'U0USER',
    recipientTeamId: 'T0FAKE',
  };
}

describe('streamSlackReply', () => {
  it('keeps every markdown_text within 12,000 characters and stops the stream, even with a 30,000-character backlog', async () => {
    const to = target();
    const long = 'x'.repeat(30_000);
    // Everything arrives at once, before the first append is due: the backlog is all at the end.
    async function* burst(): AsyncIterable<string> {
      yield long.slice(0, 10);
      yield long.slice(10);
    }
    const result = await streamSlackReply(client, to, burst(), { scheduler, intervalMs: 60_000 });
    expect(result.mode).toBe('stream');
    const sizes = ['chat.startStream', 'chat.appendStream', 'chat.stopStream'].flatMap((m) =>
      fake.callsOf(m).map((c) => String(c.params['markdown_text'] ?? '').length),
    );
    expect(Math.max(...sizes)).toBeLessThanOrEqual(12_000);
    expect(fake.calls.filter((c) => c.error === 'msg_too_long')).toHaveLength(0);
    const [message] = fake.transcript(to.channel, to.threadTs);
    expect(message?.text).toBe(long);
    expect(message?.stream?.state).toBe('stopped');
  });

  it('the fake refuses markdown_text over 12,000 characters, as Slack does', async () => {
    const to = target();
    await expect(
      client.chat.startStream({
        channel: to.channel,
        thread_ts: to.threadTs,
        recipient_user_id: 'U0USER',
        recipient_team_id: 'T0FAKE',
        markdown_text: 'y'.repeat(12_001),
      }),
    ).rejects.toMatchObject({ data: { error: 'msg_too_long' } });
  });

  it('stops a stream it can no longer append to, and finishes the answer in new messages', async () => {
    const to = target();
    fake.injectError('chat.appendStream', { error: 'message_not_in_streaming_state' });
    const text = answer(30);
    const result = await streamSlackReply(client, to, deltas(text, 40, 200), { scheduler });
    const [streamed] = fake.transcript(to.channel, to.threadTs);
    expect(streamed?.stream?.state).toBe('stopped');
    expect(result.messageTs.length).toBeGreaterThan(1);
  });

  it('writes a direct-message answer as a top-level message (no thread), by edits', async () => {
    const channel = 'D0DIRECT01';
    const result = await streamSlackReply(client, { channel }, deltas(answer(3), 20, 300), { scheduler });
    expect(result.mode).toBe('update');
    expect(fake.transcript(channel).map((m) => m.ts)).toEqual(result.messageTs);
  });

  it('streams with startStream, throttled appends and stopStream', async () => {
    const to = target();
    const text = answer(20);
    const result = await streamSlackReply(client, to, deltas(text, 30, 100), { scheduler });
    expect(result.mode).toBe('stream');
    const [message] = fake.transcript(to.channel, to.threadTs);
    expect(message?.text).toBe(text);
    expect(message?.stream?.state).toBe('stopped');
    expect(message?.stream?.recipientUserId).toBe('U0USER');
    const appends = message!.stream!.appends;
    expect(appends.length).toBeGreaterThan(3);
    expect(appends.length).toBeLessThan(text.length / 30);
    expect(result.messageTs).toEqual([message!.ts]);
  });

  it('postpones appends by Retry-After and keeps every character', async () => {
    const to = target();
    const text = answer(30);
    fake.injectError('chat.appendStream', { retryAfter: 4 });
    await streamSlackReply(client, to, deltas(text, 20, 100), { scheduler });
    const appends = timeline.filter((t) => t.method === 'chat.appendStream').map((t) => t.at);
    expect(appends[1]! - appends[0]!).toBeGreaterThanOrEqual(4000);
    expect(fake.transcript(to.channel, to.threadTs)[0]?.text).toBe(text);
  });

  it('falls back to throttled chat.update when streaming is refused, splitting a 9,000-character answer', async () => {
    const to = target();
    fake.injectError('chat.startStream', { error: 'not_allowed_token_type' });
    const text = answer(92);
    const result = await streamSlackReply(client, to, deltas(text, 50, 120), { scheduler });
    expect(result.mode).toBe('update');
    const messages = fake.transcript(to.channel, to.threadTs);
    expect(messages).toHaveLength(3);
    expect(messages[0]!.versions.length).toBeGreaterThan(3);
    const updates = timeline.filter((t) => t.method === 'chat.update').map((t) => t.at);
    for (let i = 1; i < updates.length - 1; i++)
      expect(updates[i]! - updates[i - 1]!).toBeGreaterThanOrEqual(1000);
    for (const m of messages) expect(m.text.length).toBeLessThanOrEqual(4000);
    expect(messages[0]!.text).toContain('*0*');
    expect(messages.map((m) => m.text.replace(/[*\s]/g, '')).join('')).toBe(text.replace(/[*\s]/g, ''));
  });

  it('waits out a 429 on the final call', async () => {
    const to = target();
    fake.injectError('chat.stopStream', { retryAfter: 2 });
    await streamSlackReply(client, to, deltas('Jawaban pendek.', 5, 10), { scheduler });
    expect(scheduler.sleeps).toContain(2000);
    expect(fake.transcript(to.channel, to.threadTs)[0]?.stream?.state).toBe('stopped');
  });

  it('finalizes the partial answer when generation fails, then rethrows', async () => {
    const to = target();
    async function* failing(): AsyncIterable<string> {
      yield 'Sebagian';
      throw new Error('cut');
    }
    await expect(streamSlackReply(client, to, failing(), { scheduler, mode: 'update' })).rejects.toThrow(
      'cut',
    );
    expect(fake.transcript(to.channel, to.threadTs).map((m) => m.text)).toEqual(['Sebagian']);
  });
});

describe('streamSlackReply when the stream breaks', () => {
  it('keeps what was streamed and posts the rest as a new message in the thread', async () => {
    const to = target();
    const text = answer(12);
    fake.injectError('chat.appendStream', { error: 'message_not_in_streaming_state' });
    const result = await streamSlackReply(client, to, deltas(text, 20, 100), { scheduler });
    const messages = fake.transcript(to.channel, to.threadTs);
    expect(messages).toHaveLength(2);
    expect(result.messageTs).toEqual(messages.map((m) => m.ts));
    const shown = messages[0]!.text + messages[1]!.text;
    expect(shown.replace(/[*\s]/g, '')).toBe(text.replace(/[*\s]/g, ''));
  });
});
