import { randomInt } from 'node:crypto';
import type { Bots } from '../../bots/index.js';
import type { Clock } from '../../core/ports/clock.js';
import { DiscordInbound, FakeDiscord } from '../fakes/discord.js';
import { FAKE_OPENAI_KEY, type FakeOpenAI, startFakeOpenAI } from '../fakes/openai.js';
import { FakeSlack, type SlackDelivery, SlackInbound } from '../fakes/slack.js';
import { FakeTelegram } from '../fakes/telegram.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

export const TELEGRAM_SECRET = 'telegram-webhook-secret_123';
export const SLACK_SIGNING_SECRET = 'slack-signing-secret-for-tests';

export interface BotsHarness {
  app: TestApp;
  bots: Bots;
  openai: FakeOpenAI;
  telegram: FakeTelegram;
  slack: FakeSlack;
  /** Signs requests as Slack does (post them with `deliverSlack`). */
  slackInbound: SlackInbound;
  discord: FakeDiscord;
  /** Signs interactions with the key pair whose public half the app is configured with. */
  discordInbound: DiscordInbound;
  close(): Promise<void>;
}

/**
 * The real application (config, container, HTTP app, bots) on its own database, with the OpenAI
 * fake as the only upstream and the platform fakes as Telegram, Slack and Discord.
 */
export async function startBotsHarness(
  env: Record<string, string> = {},
  options: { clock?: Clock } = {},
): Promise<BotsHarness> {
  const openai = await startFakeOpenAI();
  const telegram = await FakeTelegram.start();
  const slack = await FakeSlack.start();
  const discord = await FakeDiscord.start();
  const discordInbound = new DiscordInbound('http://unused/discord/interactions');
  const app = await createTestApp({
    ...(options.clock ? { clock: options.clock } : {}),
    env: {
      OPENAI_API_KEY: FAKE_OPENAI_KEY,
      OPENAI_BASE_URL: `${openai.url}/v1`,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_PUBLIC_KEY: discordInbound.publicKeyHex,
      DISCORD_BOT_TOKEN: discord.botToken,
      DISCORD_API_BASE: discord.apiBase,
      WELCOME_CREDIT_IDR: '5000',
      BANK_ACCOUNTS: 'BCA:1234567890:PT AIport Indonesia',
      ...env,
    },
  });
  const bots = app.container.bots;
  if (!bots) throw new Error('the container built no bots');
  return {
    app,
    bots,
    openai,
    telegram,
    slack,
    slackInbound: new SlackInbound(SLACK_SIGNING_SECRET, 'http://unused/slack/events'),
    discord,
    discordInbound,
    async close() {
      await bots.stop();
      await app.close();
      await telegram.close();
      await slack.close();
      await discord.close();
      await openai.close();
    },
  };
}

// Redis outlives a test run: ids start at a random point so dedupe marks and rate counters left by
// earlier runs never match.
let nextUpdateId = randomInt(1, 2 ** 40);
let nextMessageId = 1;
let nextUserId = randomInt(1_000_000, 2 ** 40);

/** A fresh Telegram user id (also their private chat id); `-id` makes a group id. */
export function newTelegramId(): number {
  return nextUserId++;
}

export interface TelegramUser {
  id: number;
  first_name: string;
  language_code?: string;
}

/** A text message update as Telegram sends it; groups have negative chat ids. */
export function telegramTextUpdate(
  from: TelegramUser,
  chatId: number,
  text: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const chat =
    chatId > 0
      ? { id: chatId, type: 'private', first_name: from.first_name }
      : { id: chatId, type: 'supergroup', title: 'Grup' };
  const entities: Record<string, unknown>[] = [];
  const command = /^\/\w+(@\w+)?/.exec(text);
  if (command) entities.push({ type: 'bot_command', offset: 0, length: command[0].length });
  const mention = /@aiport_test_bot/.exec(text);
  if (mention && !command)
    entities.push({ type: 'mention', offset: mention.index, length: mention[0].length });
  return {
    update_id: nextUpdateId++,
    message: {
      message_id: nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat,
      from: { ...from, is_bot: false },
      text,
      ...(entities.length > 0 ? { entities } : {}),
      ...extra,
    },
  };
}

/** Posts an update to the webhook as Telegram does, then waits until the bot has handled it. */
export async function deliverTelegram(
  h: BotsHarness,
  update: Record<string, unknown>,
  /** null sends no secret header at all. */
  secret: string | null = TELEGRAM_SECRET,
): Promise<number> {
  const response = await h.app.app.inject({
    method: 'POST',
    url: '/telegram/webhook',
    headers: {
      'content-type': 'application/json',
      ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }),
    },
    payload: JSON.stringify(update),
  });
  await h.bots.drain();
  return response.statusCode;
}

/** Posts a signed Slack request to `/slack/events`, then waits until the bots are idle. */
export async function deliverSlack(
  h: BotsHarness,
  rawBody: string,
  contentType: string,
  delivery: SlackDelivery = {},
): Promise<{ status: number; body: string }> {
  const response = await h.app.app.inject({
    method: 'POST',
    url: '/slack/events',
    headers: h.slackInbound.headers(rawBody, contentType, delivery),
    payload: rawBody,
  });
  await h.bots.drain();
  return { status: response.statusCode, body: response.body };
}

/** An Events API envelope; reuse `eventId` to simulate Slack's redelivery. */
export function slackEventBody(
  event: Record<string, unknown>,
  eventId = `Ev${randomInt(1, 2 ** 40)}`,
): string {
  return JSON.stringify({
    token: 'legacy',
    team_id: 'T0FAKE',
    api_app_id: 'A0FAKE',
    event: { event_ts: `${Math.floor(Date.now() / 1000)}.000100`, ...event },
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T0FAKE', user_id: 'U0BOT', is_bot: true }],
  });
}

/**
 * Posts a signed interaction to `/discord/interactions` as Discord does; a 200 JSON answer is
 * recorded on the fake as the initial response. Waits until the bots are idle.
 */
export async function deliverDiscord(
  h: BotsHarness,
  interaction: Record<string, unknown> & { token: string },
  options: { signature?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> | undefined }> {
  const raw = JSON.stringify(interaction);
  const response = await h.app.app.inject({
    method: 'POST',
    url: '/discord/interactions',
    headers: h.discordInbound.headers(raw, options.signature ? { signature: options.signature } : {}),
    payload: raw,
  });
  const json = response.headers['content-type']?.toString().startsWith('application/json');
  const body = json ? (response.json() as Record<string, unknown>) : undefined;
  if (response.statusCode === 200 && body && typeof body['type'] === 'number' && body['type'] !== 1) {
    h.discord.recordInitialResponse(interaction.token, body);
  }
  await h.bots.drain();
  return { status: response.statusCode, body };
}

let nextCallbackId = randomInt(1, 2 ** 30);

/**
 * A press of a button under the bot's message `messageId` in `chatId`, by `from`, as Telegram
 * reports it (a callback query). Posted to the webhook; waits until handled.
 */
export function telegramPress(
  h: BotsHarness,
  from: TelegramUser,
  chatId: number,
  data: string,
  messageId = 1,
): Promise<number> {
  const chat =
    chatId > 0
      ? { id: chatId, type: 'private', first_name: from.first_name }
      : { id: chatId, type: 'supergroup', title: 'Grup' };
  return deliverTelegram(h, {
    update_id: nextUpdateId++,
    callback_query: {
      id: `cb-${nextCallbackId++}`,
      from: { ...from, is_bot: false },
      chat_instance: `ci-${chatId}`,
      data,
      message: { message_id: messageId, date: 0, chat, from: { id: 1, is_bot: true, first_name: 'AIport' } },
    },
  });
}
