import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../bin/config.js';
import { buildContainer, type Container } from '../../bin/container.js';
import { buildHttp } from '../../bin/http.js';
import { createLogger } from '../../bin/infra/logger.js';
import { totpAt } from '../../core/admin/index.js';
import { DiscordInbound, discordInteraction, FakeDiscord } from '../fakes/discord.js';
import { FAKE_OPENAI_KEY, type FakeOpenAI, startFakeOpenAI } from '../fakes/openai.js';
import { FakeSlack, SlackInbound } from '../fakes/slack.js';
import { FakeTelegram } from '../fakes/telegram.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/**
 * The real application with the production logger configuration at debug level, writing into a
 * buffer. Marked content goes in through every HTTP channel: prompt text (and so the echoed
 * output), passwords, API key secrets, a bot token, webhook secrets and a TOTP code. The captured
 * logs must never contain the marker.
 */
const MARK = `MK${randomBytes(6).toString('hex')}`;
const BOT_TOKEN = `987654:${MARK}botToken`;
const TELEGRAM_SECRET = `tgsecret_${MARK}`;
const MOOTA_SECRET = `moota_${MARK}`;
const PASSWORD = `pass ${MARK} words`;
const SLACK_SECRET = `slack_${MARK}`;

const captured: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, callback) {
    captured.push(chunk.toString());
    callback();
  },
});

let database: TestDatabase;
let container: Container;
let app: FastifyInstance;
let url: string;
let openai: FakeOpenAI;
let telegram: FakeTelegram;
let slack: FakeSlack;
let discord: FakeDiscord;
const discordInbound = new DiscordInbound('http://unused/discord/interactions');

beforeAll(async () => {
  openai = await startFakeOpenAI();
  telegram = await FakeTelegram.start(BOT_TOKEN);
  slack = await FakeSlack.start(`xoxb-${MARK}`);
  discord = await FakeDiscord.start('1100000000000000077', `discord.${MARK}`);
  database = await createTestDatabase();
  const config = parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    JWT_SECRET: randomBytes(32).toString('hex'),
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    OPENAI_API_KEY: FAKE_OPENAI_KEY,
    OPENAI_BASE_URL: `${openai.url}/v1`,
    TELEGRAM_BOT_TOKEN: BOT_TOKEN,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
    MOOTA_WEBHOOK_SECRET: MOOTA_SECRET,
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: SLACK_SECRET,
    SLACK_API_URL: slack.apiUrl,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_PUBLIC_KEY: discordInbound.publicKeyHex,
    DISCORD_BOT_TOKEN: discord.botToken,
    DISCORD_API_BASE: discord.apiBase,
    WELCOME_CREDIT_IDR: '5000',
  });
  container = buildContainer(config, createLogger(config.LOG_LEVEL, sink));
  app = await buildHttp(container);
  url = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await container.bots?.stop();
  await app.close();
  await container.close();
  await database.drop();
  await telegram.close();
  await slack.close();
  await discord.close();
  await openai.close();
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json().catch(() => ({}))) as Record<string, unknown>,
  };
}

describe('logs', () => {
  it('never contain prompts, outputs, passwords, key secrets, bot tokens or webhook secrets', async () => {
    const secretsSeen: string[] = [];

    // Passwords: signup, a wrong login, a right login; the session token is a secret too.
    expect((await post('/auth/signup', { email: 'log@example.com', password: PASSWORD })).status).toBe(201);
    expect((await post('/auth/login', { email: 'log@example.com', password: `wrong ${MARK}` })).status).toBe(
      401,
    );
    const login = await post('/auth/login', { email: 'log@example.com', password: PASSWORD });
    const session = login.body.token as string;
    secretsSeen.push(session);

    // API keys: a real one (its secret must not be logged) and a forged one carrying the marker.
    const key = await post('/account/keys', { name: 'logs' }, { authorization: `Bearer ${session}` });
    const secret = key.body.secret as string;
    secretsSeen.push(secret);
    const accountId = (login.body.account as { id: string }).id;
    await container.core.ledger.credit('topup', {
      accountId,
      amountMrp: 10_000_000n,
      idempotencyKey: `logs-${MARK}`,
    });
    const forged = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer aip_${MARK}` } });
    expect(forged.status).toBe(401);
    const anthropicStyle = await fetch(`${url}/v1/models`, { headers: { 'x-api-key': `aip_${MARK}x` } });
    expect(anthropicStyle.status).toBe(401);

    // Prompt text (and, through the echoing fake, output text), plain and streamed.
    const client = new OpenAI({ apiKey: secret, baseURL: `${url}/v1`, maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `Rahasia ${MARK} jangan dicatat` }],
    });
    expect(completion.choices[0]?.message.content).toContain(MARK);
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: `Streamed ${MARK}` }],
    });
    for await (const _chunk of stream) {
      // drain
    }
    await expect(
      client.chat.completions.create({
        model: `no-such-model-${MARK}`,
        messages: [{ role: 'user', content: MARK }],
      }),
    ).rejects.toThrow();

    // The Telegram webhook: a wrong secret, then the right one with a marked chat message.
    const update = (text: string, id: number) => ({
      update_id: id,
      message: {
        message_id: id,
        date: Math.floor(Date.now() / 1000),
        chat: { id: 424242, type: 'private', first_name: 'Log' },
        from: { id: 424242, is_bot: false, first_name: 'Log' },
        text,
      },
    });
    const base = Math.floor(Math.random() * 1e9);
    expect(
      (
        await post('/telegram/webhook', update(`x ${MARK}`, base), {
          'x-telegram-bot-api-secret-token': `wrong${MARK}`,
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await post('/telegram/webhook', update(`Halo ${MARK}`, base + 1), {
          'x-telegram-bot-api-secret-token': TELEGRAM_SECRET,
        })
      ).status,
    ).toBe(200);
    await container.bots?.drain();
    expect(telegram.transcript(424242).messages.length).toBeGreaterThan(0);

    // Slack: a signed direct message carrying the marker, and a forged signature.
    const slackBody = JSON.stringify({
      token: 'legacy',
      team_id: 'T0FAKE',
      api_app_id: 'A0FAKE',
      event: {
        type: 'message',
        channel_type: 'im',
        channel: 'D0LOGS',
        user: 'U0LOGS',
        text: `Halo slack ${MARK}`,
        ts: '1795000000.000100',
        event_ts: '1795000000.000100',
      },
      type: 'event_callback',
      event_id: `Ev${base}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: 'T0FAKE', user_id: 'U0BOT', is_bot: true }],
    });
    const slackHeaders = new SlackInbound(SLACK_SECRET, 'http://unused/slack/events').headers(
      slackBody,
      'application/json',
    );
    const slackPost = (headers: Record<string, string>) =>
      fetch(`${url}/slack/events`, { method: 'POST', headers, body: slackBody });
    expect((await slackPost({ ...slackHeaders, 'x-slack-signature': `v0=${MARK}` })).status).toBe(401);
    expect((await slackPost(slackHeaders)).status).toBe(200);
    await container.bots?.drain();
    // A DM is one continuing conversation: the answer is posted at the top level of the DM.
    expect(slack.transcript('D0LOGS').length).toBeGreaterThan(0);

    // Discord: a signed /chat with the marker, and a forged signature.
    const interaction = discordInteraction({
      applicationId: discord.applicationId,
      name: 'chat',
      options: [{ name: 'prompt', type: 3, value: `Halo discord ${MARK}` }],
      userId: '555000111',
    });
    const raw = JSON.stringify(interaction);
    const discordPost = (headers: Record<string, string>) =>
      fetch(`${url}/discord/interactions`, { method: 'POST', headers, body: raw });
    const forgedDiscord = await discordPost({
      ...discordInbound.headers(raw),
      'x-signature-ed25519': 'ab'.repeat(64),
    });
    expect(forgedDiscord.status).toBe(401);
    expect([200, 202]).toContain((await discordPost(discordInbound.headers(raw))).status);
    await container.bots?.drain();
    const channels = await database.sql<
      { channel: string }[]
    >`SELECT DISTINCT channel FROM jobs ORDER BY channel`;
    expect(channels.map((c) => c.channel)).toEqual(['api', 'discord', 'slack', 'telegram']);

    // The Moota webhook with a forged signature carrying the marker.
    const moota = await post('/webhooks/moota', [{ description: MARK }], { signature: `${MARK}sig` });
    expect(moota.status).toBeGreaterThanOrEqual(400);

    // Admin sign-in: password and TOTP code.
    const admin = await container.core.adminUsers.create({ email: 'ops@aiport.id', password: PASSWORD });
    const adminLogin = await post('/admin/login', {
      email: 'ops@aiport.id',
      password: PASSWORD,
      code: totpAt(admin.totpSecret, Date.now()),
    });
    expect(adminLogin.status).toBe(200);
    secretsSeen.push(adminLogin.body.token as string, admin.totpSecret);
    await post('/admin/login', { email: 'ops@aiport.id', password: `bad ${MARK}`, code: '123456' });

    // Links carrying a token in the query string (email verification) are logged without it.
    const { token: verifyToken } = await container.core.tokens.issue({
      sub: accountId,
      purpose: 'verify-email',
      email: 'log@example.com',
    });
    secretsSeen.push(verifyToken);
    expect((await fetch(`${url}/auth/verify-email?token=${verifyToken}&marker=${MARK}`)).status).toBe(200);

    // Privacy: export and deletion through the same logger.
    expect(
      (await fetch(`${url}/account/export`, { headers: { authorization: `Bearer ${secret}` } })).status,
    ).toBe(200);

    await new Promise((resolve) => setImmediate(resolve));
    const logs = captured.join('');
    // The capture is real: every request was logged.
    expect(logs).toContain('request completed');
    expect(logs.split('\n').filter((line) => line.includes(MARK))).toEqual([]);
    expect(logs).not.toContain(MARK);
    for (const s of secretsSeen) expect(logs).not.toContain(s);
    expect(logs).not.toContain(FAKE_OPENAI_KEY);
  });
});
