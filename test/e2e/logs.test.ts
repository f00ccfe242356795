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
import { FAKE_OPENAI_KEY, type FakeOpenAI, startFakeOpenAI } from '../fakes/openai.js';
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

beforeAll(async () => {
  openai = await startFakeOpenAI();
  telegram = await FakeTelegram.start(BOT_TOKEN);
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
