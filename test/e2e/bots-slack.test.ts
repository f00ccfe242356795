import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotsHarness, deliverSlack, slackEventBody, startBotsHarness } from './bots-harness.js';

let h: BotsHarness;

beforeAll(async () => {
  h = await startBotsHarness();
});
afterAll(() => h.close());

const newUser = () => `U${randomInt(1, 2 ** 40)}`;
const ts = () => `${Math.floor(Date.now() / 1000)}.${String(randomInt(0, 999_999)).padStart(6, '0')}`;

async function accountOf(userId: string): Promise<string | undefined> {
  const [row] = await h.app.database.sql<{ account_id: string }[]>`
    SELECT account_id FROM identities WHERE platform = 'slack' AND external_id = ${`T0FAKE:${userId}`}`;
  return row?.account_id;
}

describe('Slack events', () => {
  it('answers the URL verification challenge', async () => {
    const body = JSON.stringify({ token: 'legacy', challenge: 'abc123', type: 'url_verification' });
    const response = await deliverSlack(h, body, 'application/json');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ challenge: 'abc123' });
  });

  it('answers a direct message as one continuing conversation (no thread per message), billed on a slack job', async () => {
    const user = newUser();
    const channel = `D${randomInt(1, 2 ** 30)}`;
    const messageTs = ts();
    const body = slackEventBody({
      type: 'message',
      channel_type: 'im',
      channel,
      user,
      text: 'Halo dari Slack',
      ts: messageTs,
    });
    const response = await deliverSlack(h, body, 'application/json');
    expect(response.status).toBe(200);
    expect(h.slack.transcript(channel, messageTs)).toHaveLength(0);
    const [answer] = h.slack.transcript(channel);
    expect(answer!.text).toBe('Echo: Halo dari Slack');
    await deliverSlack(
      h,
      slackEventBody({ type: 'message', channel_type: 'im', channel, user, text: 'Lanjut', ts: ts() }),
      'application/json',
    );
    expect(h.slack.transcript(channel).map((m) => m.text)).toEqual(['Echo: Halo dari Slack', 'Echo: Lanjut']);
    const last = h.openai.requests.at(-1)!.body as { messages: { role: string }[] };
    expect(last.messages.filter((m) => m.role === 'user')).toHaveLength(2);
    const [job] = await h.app.database.sql<{ channel: string }[]>`
      SELECT channel FROM jobs WHERE account_id = ${(await accountOf(user))!}`;
    expect(job!.channel).toBe('slack');
  });

  it('answers an @mention in a channel thread, keeping the thread as context', async () => {
    const user = newUser();
    const channel = `C${randomInt(1, 2 ** 30)}`;
    const root = ts();
    await deliverSlack(
      h,
      slackEventBody({ type: 'app_mention', channel, user, text: '<@U0BOT> pertama', ts: root }),
      'application/json',
    );
    await deliverSlack(
      h,
      slackEventBody({
        type: 'app_mention',
        channel,
        user,
        text: '<@U0BOT> kedua',
        ts: ts(),
        thread_ts: root,
      }),
      'application/json',
    );
    const replies = h.slack.transcript(channel, root);
    expect(replies.map((m) => m.text)).toEqual(['Echo: pertama', 'Echo: kedua']);
    expect(replies[0]!.stream?.recipientUserId).toBe(user);
    const last = h.openai.requests.at(-1)!.body as { messages: { role: string }[] };
    expect(last.messages.filter((m) => m.role === 'user')).toHaveLength(2);
  });

  it('processes a retried event (same event_id) once', async () => {
    const user = newUser();
    const channel = `D${randomInt(1, 2 ** 30)}`;
    const messageTs = ts();
    const body = slackEventBody(
      { type: 'message', channel_type: 'im', channel, user, text: 'sekali', ts: messageTs },
      `Ev${randomInt(1, 2 ** 40)}`,
    );
    await deliverSlack(h, body, 'application/json');
    const retry = await deliverSlack(h, body, 'application/json', {
      retryNum: 1,
      retryReason: 'http_timeout',
    });
    expect(retry.status).toBe(200);
    expect(h.slack.transcript(channel)).toHaveLength(1);
  });

  it('refuses a bad signature or a stale timestamp with 401 and processes nothing', async () => {
    const user = newUser();
    const channel = `D${randomInt(1, 2 ** 30)}`;
    const body = slackEventBody({
      type: 'message',
      channel_type: 'im',
      channel,
      user,
      text: 'palsu',
      ts: ts(),
    });
    expect((await deliverSlack(h, body, 'application/json', { signature: 'v0=deadbeef' })).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await deliverSlack(h, body, 'application/json', { timestamp: stale })).status).toBe(401);
    expect(h.slack.messages.filter((m) => m.channel === channel)).toHaveLength(0);
    expect(await accountOf(user)).toBeUndefined();
  });
});

describe('Slack /aiport', () => {
  async function slash(user: string, text: string) {
    const responseUrl = h.slack.createResponseUrl();
    const form = new URLSearchParams({
      token: 'legacy',
      team_id: 'T0FAKE',
      team_domain: 'fake',
      channel_id: 'C0FAKE',
      channel_name: 'general',
      user_id: user,
      user_name: 'user',
      command: '/aiport',
      text,
      api_app_id: 'A0FAKE',
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: `1.${randomInt(1, 2 ** 40)}.abc`,
    }).toString();
    const response = await deliverSlack(h, form, 'application/x-www-form-urlencoded');
    return { ack: response, posts: h.slack.responses.get(responseUrl.split('/').at(-1)!) ?? [] };
  }

  it('acks silently, then answers the balance only to the person who asked', async () => {
    const user = newUser();
    const { ack, posts } = await slash(user, 'balance');
    expect(ack.status).toBe(200);
    expect(ack.body).toBe('');
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ response_type: 'ephemeral' });
    expect(String(posts[0]!['text'])).toMatch(/Saldo Anda: Rp 5\.000/);
  });

  it('answers /aiport topup 50000 with a code, and unknown subcommands with help', async () => {
    const user = newUser();
    const topup = await slash(user, 'topup 50000');
    expect(String(topup.posts[0]!['text'])).toMatch(/Tulis kode \S+ di berita\/keterangan transfer/);
    const unknown = await slash(user, 'terbang');
    expect(String(unknown.posts[0]!['text'])).toContain(
      'Perintah /aiport terbang tidak dikenal. Ketik /aiport help',
    );
  });
});
