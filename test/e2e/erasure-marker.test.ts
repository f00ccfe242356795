import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import OpenAI, { toFile } from 'openai';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MediaHarness, startMediaHarness } from './media-harness.js';

/**
 * The erasure promise of the Privacy Policy, checked the way an auditor would: one marker goes in
 * through every way a person hands us data (sign-up, profile, key names, prompts with and without
 * zero retention, an uploaded image, a chat identity and history, a top-up asked from a chat, a
 * bot-delivered job), the account is deleted, and then every row of every table, every key of this
 * deployment's Redis and every stored file is searched for the marker.
 */
let h: MediaHarness;
const marker = `mark${randomBytes(5).toString('hex')}`;
const email = `${marker}@example.com`;
const PASSWORD = 'a sturdy passphrase';

async function http(method: string, path: string, body?: unknown, token?: string) {
  const response = await fetch(`${h.url}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Every table row (as text) of the test database that contains the marker. */
async function markerInPostgres(): Promise<string[]> {
  const tables = await h.database.sql<{ table_name: string }[]>`
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`;
  const found: string[] = [];
  for (const { table_name } of tables) {
    const rows = await h.database.sql<{ row: string }[]>`
      SELECT t::text AS row FROM ${h.database.sql(table_name)} t WHERE t::text ILIKE ${`%${marker}%`}`;
    found.push(...rows.map((r) => `${table_name}: ${r.row}`));
  }
  return found;
}

/** Every Redis key of this deployment whose name or value contains the marker. */
async function markerInRedis(): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await h.redis.scan(cursor, 'MATCH', `${h.prefix}*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      const type = await h.redis.type(key);
      const value =
        type === 'string'
          ? await h.redis.get(key)
          : type === 'hash'
            ? JSON.stringify(await h.redis.hgetall(key))
            : type === 'list'
              ? JSON.stringify(await h.redis.lrange(key, 0, -1))
              : type === 'zset'
                ? JSON.stringify(await h.redis.zrange(key, '0', '-1'))
                : type === 'set'
                  ? JSON.stringify(await h.redis.smembers(key))
                  : type === 'stream'
                    ? JSON.stringify(await h.redis.xrange(key, '-', '+'))
                    : '';
      if (`${key} ${value}`.toLowerCase().includes(marker)) found.push(key);
    }
  } while (cursor !== '0');
  return found;
}

/** Every stored file whose path or bytes contain the marker or the account id. */
async function inStorage(needles: string[]): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(h.dataDir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const bytes = await readFile(path);
    if (needles.some((n) => path.includes(n) || bytes.includes(Buffer.from(n)))) found.push(path);
  }
  return found;
}

beforeAll(async () => {
  h = await startMediaHarness();
});
afterAll(() => h.close());

describe('erasure', () => {
  it('leaves a marker sent through every channel nowhere in PostgreSQL, Redis or storage', async () => {
    const { sql } = h.database;
    expect(
      (await http('POST', '/auth/signup', { email, password: PASSWORD, name: `Name ${marker}` })).status,
    ).toBe(201);
    // A wrong password first: the throttle counts it without keeping the email.
    expect((await http('POST', '/auth/login', { email, password: `wrong ${marker}` })).status).toBe(401);
    const login = await http('POST', '/auth/login', { email, password: PASSWORD });
    const token = login.body.token as string;
    const accountId = (login.body.account as { id: string }).id;
    expect((await http('PATCH', '/account', { name: `Renamed ${marker}` }, token)).status).toBe(200);
    const key = await http('POST', '/account/keys', { name: `key ${marker}` }, token);
    expect(key.status).toBe(201);
    await h.core.ledger.credit('topup', {
      accountId,
      amountMrp: 100_000_000n,
      idempotencyKey: `erasure-${accountId}`,
    });
    const client = new OpenAI({ apiKey: key.body.secret as string, baseURL: `${h.url}/v1`, maxRetries: 0 });

    // Prompts with content kept 30 days, an uploaded image, then zero retention.
    await client.images.generate({ model: 'gpt-image-1', prompt: `a kite over ${marker}` });
    const photo = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#224488' } })
      .jpeg()
      .withExif({ IFD0: { Artist: marker } })
      .toBuffer();
    await client.images.edit({
      model: 'gpt-image-1',
      prompt: `night over ${marker}`,
      image: await toFile(photo, `${marker}.jpg`, { type: 'image/jpeg' }),
    });
    expect((await http('PATCH', '/account', { zero_retention: true }, token)).status).toBe(200);
    await client.images.generate({ model: 'gpt-image-1', prompt: `zero retention ${marker}` });

    // What the bots hand the core: an identity with a display name, history, a top-up asked in a
    // chat, and a job to deliver back to that chat.
    await sql`INSERT INTO identities (account_id, platform, external_id, display_name)
              VALUES (${accountId}, 'telegram', ${`tg-${marker}`}, ${`tg ${marker}`})`;
    const [conversation] = await sql`
      INSERT INTO conversations (platform, chat_key) VALUES ('telegram', ${`chat-${marker}`}) RETURNING id`;
    await sql`INSERT INTO conversation_messages (conversation_id, account_id, role, content)
              VALUES (${conversation!.id}, ${accountId}, 'user', ${`history ${marker}`})`;
    await h.core.topups.createRequest({
      accountId,
      amountMrp: 50_000_000n,
      channel: 'telegram',
      replyTo: { platform: 'telegram', chatId: `chat-${marker}` },
    });
    await h.media.submitImage({
      accountId,
      channel: 'discord',
      prompt: `from discord ${marker}`,
      replyTo: { platform: 'discord', interactionToken: `token-${marker}` },
    });
    for (let i = 0; i < 200; i++) {
      const [open] =
        await sql`SELECT 1 FROM jobs WHERE account_id = ${accountId} AND status IN ('queued', 'running')`;
      if (!open) break;
      await new Promise((r) => setTimeout(r, 50));
    }

    // The marker is everywhere before...
    expect((await markerInPostgres()).length).toBeGreaterThan(0);
    expect((await inStorage([accountId])).length).toBeGreaterThan(0);

    const deleted = await http('DELETE', '/account', { confirm: 'DELETE', password: PASSWORD }, token);
    expect(deleted).toMatchObject({ status: 200, body: { outcome: 'erased' } });

    // ...and nowhere after.
    expect(await markerInPostgres()).toEqual([]);
    expect(await markerInRedis()).toEqual([]);
    expect(await inStorage([marker, accountId])).toEqual([]);
    // The audit log still says what happened, under the account's id that now names nobody.
    const audit = await sql<{ action: string; ip: string | null }[]>`
      SELECT action, ip FROM audit_log WHERE actor_id = ${accountId} ORDER BY id`;
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['account.update', 'api_key.create', 'account.delete']),
    );
    expect(audit.every((a) => a.ip === null)).toBe(true);
  }, 120_000);
});
