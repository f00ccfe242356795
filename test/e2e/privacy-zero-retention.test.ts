import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BotsHarness,
  deliverTelegram,
  newTelegramId,
  startBotsHarness,
  telegramTextUpdate,
} from './bots-harness.js';

/**
 * Zero retention across channels: after the account turns it on (PATCH /account), chat over the REST
 * API and in Telegram leaves billing metadata but no prompt, output or history anywhere in PostgreSQL.
 */
const MARK = `ZR${randomBytes(6).toString('hex')}`;
let h: BotsHarness;

beforeAll(async () => {
  h = await startBotsHarness();
});
afterAll(() => h.close());

async function inject(method: string, url: string, key: string, body?: unknown) {
  const response = await h.app.app.inject({
    method: method as 'POST',
    url,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { payload: JSON.stringify(body) } : {}),
  });
  return { status: response.statusCode, body: response.json() as Record<string, unknown> };
}

/** Every row of every table whose text contains the marker, by table. */
async function tablesContaining(marker: string): Promise<Record<string, number>> {
  const { sql } = h.app.database;
  const tables = await sql<{ name: string }[]>`
    SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`;
  const found: Record<string, number> = {};
  for (const { name } of tables) {
    const rows = await sql.unsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${name}" t WHERE t::text LIKE $1`,
      [`%${marker}%`],
    );
    const n = rows[0]?.n ?? 0;
    if (n > 0) found[name] = n;
  }
  return found;
}

describe('zero retention', () => {
  it('keeps no prompt, output or history from the API or the Telegram bot, but keeps billing', async () => {
    const user = { id: newTelegramId(), first_name: 'Rina', language_code: 'id' };
    const { core } = h.app.container;
    const { account } = await core.accounts.resolveIdentity('telegram', String(user.id), 'Rina');
    const { secret } = await core.apiKeys.create(account.id, { name: 'zr' });

    const setting = await inject('PATCH', '/account', secret, { zero_retention: true });
    expect(setting.status).toBe(200);
    expect(setting.body.zero_retention).toBe(true);

    const completion = await inject('POST', '/v1/chat/completions', secret, {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `Catatan pribadi ${MARK}` }],
    });
    expect(completion.status).toBe(200);
    expect(JSON.stringify(completion.body)).toContain(MARK);

    expect(await deliverTelegram(h, telegramTextUpdate(user, user.id, `Halo bot ${MARK} pertama`))).toBe(200);
    expect(await deliverTelegram(h, telegramTextUpdate(user, user.id, `Lanjut ${MARK} kedua`))).toBe(200);
    const replies = h.telegram.transcript(user.id).messages.map((m) => m.text);
    expect(replies.some((text) => text?.includes(MARK))).toBe(true);

    const { sql } = h.app.database;
    const jobs =
      await sql`SELECT channel, prompt, output, input_tokens, cost_mrp FROM jobs WHERE account_id = ${account.id}`;
    expect(jobs.length).toBeGreaterThanOrEqual(3);
    for (const job of jobs) {
      expect(job.prompt).toBeNull();
      expect(job.output).toBeNull();
      expect(job.input_tokens).toBeGreaterThan(0);
      expect(job.cost_mrp).toBeGreaterThan(0n);
    }
    expect(new Set(jobs.map((j) => j.channel))).toEqual(new Set(['api', 'telegram']));
    expect(await sql`SELECT 1 FROM conversation_messages WHERE account_id = ${account.id}`).toHaveLength(0);
    expect(await tablesContaining(MARK)).toEqual({});
  });

  it('a normal account next to it does keep content (the check above can see it)', async () => {
    const user = { id: newTelegramId(), first_name: 'Tono', language_code: 'id' };
    const marker = `${MARK}normal`;
    expect(await deliverTelegram(h, telegramTextUpdate(user, user.id, `Halo ${marker}`))).toBe(200);
    const found = await tablesContaining(marker);
    expect(found.jobs).toBeGreaterThan(0);
    expect(found.conversation_messages).toBeGreaterThan(0);
  });
});
