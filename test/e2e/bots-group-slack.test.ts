import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directChannelOf } from '../fakes/slack.js';
import { type BotsHarness, deliverSlack, slackEventBody, startBotsHarness } from './bots-harness.js';

/**
 * Two people in one Slack channel. Every account command is answered only to the person who
 * typed it (ephemeral, or their DM with the app); every button acts only for its owner.
 */
let h: BotsHarness;
const channel = `C${randomInt(10_000_000, 99_999_999)}`;
const budi = `U${randomInt(10_000_000, 99_999_999)}`;
const sari = `U${randomInt(10_000_000, 99_999_999)}`;
const ts = () => `${Math.floor(Date.now() / 1000)}.${String(randomInt(0, 999_999)).padStart(6, '0')}`;

beforeAll(async () => {
  h = await startBotsHarness();
});
afterAll(() => h.close());

async function accountOf(userId: string): Promise<string> {
  const [row] = await h.app.database.sql<{ account_id: string }[]>`
    SELECT account_id FROM identities WHERE platform = 'slack' AND external_id = ${`T0FAKE:${userId}`}`;
  return row!.account_id;
}

async function slash(user: string, text: string) {
  const responseUrl = h.slack.createResponseUrl();
  const form = new URLSearchParams({
    token: 'legacy',
    team_id: 'T0FAKE',
    team_domain: 'fake',
    channel_id: channel,
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
  return { ack: response, posts: h.slack.responses.get(responseUrl.split('/').at(-1)!) ?? [], form };
}

async function press(user: string, value: string) {
  const responseUrl = h.slack.createResponseUrl();
  const payload = {
    type: 'block_actions',
    team: { id: 'T0FAKE', domain: 'fake' },
    user: { id: user, username: 'u', team_id: 'T0FAKE' },
    api_app_id: 'A0FAKE',
    token: 'legacy',
    trigger_id: `2.${randomInt(1, 2 ** 40)}.x`,
    channel: { id: channel, name: 'general' },
    container: { type: 'message', message_ts: '1.1', channel_id: channel, is_ephemeral: false },
    response_url: responseUrl,
    actions: [{ type: 'button', action_id: 'choice-0', block_id: 'b', value, action_ts: '1.2' }],
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  await deliverSlack(h, body, 'application/x-www-form-urlencoded');
  return h.slack.responses.get(responseUrl.split('/').at(-1)!) ?? [];
}

/** What everyone in the channel can read. */
const channelTexts = () => h.slack.messages.filter((m) => m.channel === channel).map((m) => m.text);

describe('private commands typed in a channel', () => {
  it('answers every account command to its author only', async () => {
    for (const command of [
      'balance',
      'usage',
      'topup 50000',
      'topup',
      'link',
      'privacy',
      'delete',
      'redeem NOPE',
    ]) {
      const { posts } = await slash(budi, command);
      expect(posts).toHaveLength(1);
      expect(posts[0]).toMatchObject({ response_type: 'ephemeral' });
    }
    expect(channelTexts()).toEqual([]);
  });

  it('speaks Slack’s command syntax in help and hints', async () => {
    const { posts } = await slash(budi, 'help');
    const help = String(posts[0]!['text']);
    expect(help).toContain('/aiport topup 50000');
    expect(help).not.toMatch(/^\/topup/m);
    const balance = String((await slash(budi, 'balance')).posts[0]!['text']);
    expect(balance).toContain('/aiport topup JUMLAH');
  });

  it('delivers /aiport export as a file in the author’s DM with the app, not in the channel', async () => {
    const { posts } = await slash(budi, 'export');
    expect(String(posts[0]!['text'])).toMatch(/chat pribadi/);
    const dm = h.slack.transcript(directChannelOf(budi));
    expect(dm.at(-1)!.files.map((f) => f.filename)).toEqual(['aiport-data.json']);
    expect(JSON.parse(dm.at(-1)!.files[0]!.bytes!.toString('utf8'))).toBeTypeOf('object');
    expect(channelTexts()).toEqual([]);
  });

  it('sends the top-up confirmation to the author’s DM', async () => {
    const [request] = await h.app.database.sql<{ reply_to: Record<string, string> }[]>`
      SELECT reply_to FROM topup_requests WHERE account_id = ${await accountOf(budi)}
      ORDER BY created_at DESC LIMIT 1`;
    expect(request!.reply_to).toEqual({ platform: 'slack', chatId: budi, userId: budi });
  });

  it('tells Budi alone (ephemeral) when his balance is too low for a question in the channel', async () => {
    const accountId = await accountOf(budi);
    const { availableMrp } = await h.app.container.core.ledger.balance(accountId);
    await h.app.container.core.ledger.debit('adjustment', {
      accountId,
      amountMrp: availableMrp,
      idempotencyKey: `slack-empty-${budi}`,
    });
    const root = ts();
    await deliverSlack(
      h,
      slackEventBody({ type: 'app_mention', channel, user: budi, text: '<@U0BOT> halo', ts: root }),
      'application/json',
    );
    expect(channelTexts()).toEqual([]);
    const notice = h.slack.ephemerals.at(-1)!;
    expect(notice).toMatchObject({ channel, user: budi, threadTs: root });
    expect(notice.text).toMatch(/^Saldo tidak cukup/);
    await h.app.container.core.ledger.credit('adjustment', {
      accountId,
      amountMrp: availableMrp,
      idempotencyKey: `slack-refill-${budi}`,
    });
  });

  it('dedupes a slash command Slack sends twice (same trigger_id)', async () => {
    const first = await slash(budi, 'usage');
    expect(first.posts).toHaveLength(1);
    await deliverSlack(h, first.form, 'application/x-www-form-urlencoded', {
      retryNum: 1,
      retryReason: 'http_timeout',
    });
    expect(first.posts).toHaveLength(1);
  });
});

describe('buttons pressed by the wrong person', () => {
  const refused = {
    response_type: 'ephemeral',
    replace_original: false,
    text: 'Tombol ini bukan untuk Anda.',
  };

  it('refuses Budi’s delete, language and model buttons to Sari, changing nothing', async () => {
    await slash(sari, 'help');
    expect(await press(sari, `delete:${budi}:yes`)).toEqual([refused]);
    expect(await press(sari, `lang:${budi}:en`)).toEqual([refused]);
    expect(await press(sari, `model:${budi}:gpt-4o-mini`)).toEqual([refused]);
    const rows = await h.app.database.sql<{ status: string; locale: string }[]>`
      SELECT status, locale FROM accounts WHERE id IN (${await accountOf(budi)}, ${await accountOf(sari)})`;
    expect(rows).toEqual([
      { status: 'active', locale: 'id' },
      { status: 'active', locale: 'id' },
    ]);
  });

  it('lets Budi press his own menu', async () => {
    const menu = await slash(budi, 'lang');
    const blocks = menu.posts[0]!['blocks'] as { elements?: { value: string }[] }[];
    const english = blocks[1]!.elements!.find((e) => e.value.endsWith(':en'))!.value;
    expect(english).toBe(`lang:${budi}:en`);
    const [answer] = await press(budi, english);
    expect(answer!['text']).toBe('Language changed to English.');
  });
});

describe('threads', () => {
  it('answers a follow-up in the bot’s own thread without a new mention', async () => {
    const root = ts();
    await deliverSlack(
      h,
      slackEventBody({ type: 'app_mention', channel, user: sari, text: '<@U0BOT> pertama', ts: root }),
      'application/json',
    );
    await deliverSlack(
      h,
      slackEventBody({
        type: 'message',
        channel_type: 'channel',
        channel,
        user: sari,
        text: 'lanjut tanpa mention',
        ts: ts(),
        thread_ts: root,
        parent_user_id: sari,
      }),
      'application/json',
    );
    expect(h.slack.transcript(channel, root).map((m) => m.text)).toEqual([
      'Echo: pertama',
      'Echo: lanjut tanpa mention',
    ]);
    // A thread the bot never answered in stays someone else's conversation.
    const other = ts();
    await deliverSlack(
      h,
      slackEventBody({
        type: 'message',
        channel_type: 'channel',
        channel,
        user: sari,
        text: 'obrolan lain',
        ts: ts(),
        thread_ts: other,
        parent_user_id: budi,
      }),
      'application/json',
    );
    expect(h.slack.transcript(channel, other)).toEqual([]);
  });
});
