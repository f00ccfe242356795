import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discordComponentPress, discordInteraction } from '../fakes/discord.js';
import { type BotsHarness, deliverDiscord, startBotsHarness } from './bots-harness.js';

/**
 * Two people in one Discord server channel. Account commands are ephemeral (only the asker sees
 * them); buttons act only for their owner; nothing the bot sends pings anyone; replayed or stale
 * interactions are refused.
 */
let h: BotsHarness;
const guildId = '400000000000000009';
const budi = String(randomInt(1, 2 ** 40) * 1000 + 1);
const sari = String(randomInt(1, 2 ** 40) * 1000 + 2);

beforeAll(async () => {
  h = await startBotsHarness();
});
afterAll(() => h.close());

function slash(
  user: string,
  name: string,
  options: Record<string, string | number> = {},
  createdAt?: number,
) {
  return discordInteraction({
    applicationId: h.discord.applicationId,
    name,
    options: Object.entries(options).map(([key, value]) => ({
      name: key,
      type: typeof value === 'number' ? 4 : 3,
      value,
    })),
    userId: user,
    guildId,
    ...(createdAt ? { createdAt } : {}),
  });
}

function pressBy(user: string, customId: string, values?: string[]) {
  return discordComponentPress({
    applicationId: h.discord.applicationId,
    customId,
    ...(values ? { values } : {}),
    userId: user,
    guildId,
  });
}

async function accountOf(userId: string): Promise<string> {
  const [row] = await h.app.database.sql<{ account_id: string }[]>`
    SELECT account_id FROM identities WHERE platform = 'discord' AND external_id = ${userId}`;
  return row!.account_id;
}

type MessageData = {
  content: string;
  flags?: number;
  components?: { components: { custom_id: string }[] }[];
};

describe('private commands in a server channel', () => {
  it('answers every account command ephemerally', async () => {
    for (const [name, options] of [
      ['balance', {}],
      ['usage', {}],
      ['topup', { amount: 50000 }],
      ['topup', {}],
      ['link', {}],
      ['redeem', { code: 'NOPE-1' }],
      ['privacy', {}],
      ['delete', {}],
    ] as const) {
      const answer = await deliverDiscord(h, slash(budi, name, options));
      expect(answer.body!['type']).toBe(4);
      expect((answer.body!['data'] as MessageData).flags).toBe(64);
    }
  });

  it('delivers /export as a file only the asker sees', async () => {
    const interaction = slash(budi, 'export');
    expect((await deliverDiscord(h, interaction)).status).toBe(202);
    const transcript = h.discord.transcript(interaction.token);
    expect(transcript.responseType).toBe(5);
    expect(transcript.original!.flags).toBe(64);
    expect(transcript.original!.attachments.map((a) => a.filename)).toEqual(['aiport-data.json']);
  });

  it('names Discord’s own commands in help, /chat included', async () => {
    const answer = await deliverDiscord(h, slash(budi, 'help'));
    const help = (answer.body!['data'] as MessageData).content;
    expect(help).toContain('/topup amount:50000');
    expect(help).toContain('/chat prompt:PESAN');
    expect(help).toContain('/new');
  });

  it('tells Budi alone when his balance is too low for /chat: the public "thinking" goes away', async () => {
    const accountId = await accountOf(budi);
    const { availableMrp } = await h.app.container.core.ledger.balance(accountId);
    await h.app.container.core.ledger.debit('adjustment', {
      accountId,
      amountMrp: availableMrp,
      idempotencyKey: `discord-empty-${budi}`,
    });
    const interaction = slash(budi, 'chat', { prompt: 'halo' });
    await deliverDiscord(h, interaction);
    const transcript = h.discord.transcript(interaction.token);
    expect(transcript.original!.deleted).toBe(true);
    expect(transcript.followUps).toHaveLength(1);
    expect(transcript.followUps[0]!.flags).toBe(64);
    // Item 9: the amount is an estimate for the longest answer; a cheaper model or /new is offered.
    expect(transcript.followUps[0]!.content).toMatch(
      /^Saldo tidak cukup \(perkiraan untuk jawaban terpanjang/,
    );
    expect(transcript.followUps[0]!.content).toContain('/model');
    expect(transcript.followUps[0]!.content).toContain('/new');
    await h.app.container.core.ledger.credit('adjustment', {
      accountId,
      amountMrp: availableMrp,
      idempotencyKey: `discord-refill-${budi}`,
    });
  });

  it('pings nobody, whatever the model writes', async () => {
    h.openai.enqueue({ reply: { text: `@everyone lihat ini <@${sari}> dan @here` } });
    const interaction = slash(budi, 'chat', { prompt: 'sebut semua orang' });
    await deliverDiscord(h, interaction);
    const original = h.discord.transcript(interaction.token).original!;
    expect(original.content).toContain('@everyone');
    expect(original.pinged).toEqual({ everyone: false, users: [] });
  });

  it('shows a chat’s sub-rupiah cost as "< Rp 1" in /usage, privately', async () => {
    const answer = await deliverDiscord(h, slash(budi, 'usage'));
    const data = answer.body!['data'] as MessageData;
    expect(data.flags).toBe(64);
    expect(data.content).toContain('< Rp 1');
    expect(data.content).not.toMatch(/Rp \d+,\d{3}/);
  });

  it('prices each model in the menu (per typical message) and names an unknown model as unknown', async () => {
    const menu = await deliverDiscord(h, slash(budi, 'model'));
    expect(JSON.stringify(menu.body!['data'])).toMatch(/GPT-4o mini · ±(< )?Rp \d+\/pesan/);
    const unknown = await deliverDiscord(h, slash(budi, 'model', { name: 'tidak-ada' }));
    expect((unknown.body!['data'] as MessageData).content).toBe(
      'Model "tidak-ada" tidak dikenal. Lihat daftarnya dengan /model.',
    );
  });

  it('starts a new conversation with /new', async () => {
    const answer = await deliverDiscord(h, slash(budi, 'new'));
    expect((answer.body!['data'] as MessageData).content).toMatch(/Percakapan baru dimulai/);
  });
});

describe('buttons pressed by the wrong person', () => {
  const refused = (body: Record<string, unknown> | undefined) => {
    expect(body!['type']).toBe(4);
    expect(body!['data']).toMatchObject({ content: 'Tombol ini bukan untuk Anda.', flags: 64 });
  };

  it('refuses Budi’s delete, language and model choices to Sari; neither account changes', async () => {
    await deliverDiscord(h, slash(sari, 'help'));
    const del = await deliverDiscord(h, slash(budi, 'delete'));
    const confirm = (del.body!['data'] as MessageData).components![0]!.components[0]!.custom_id;
    expect(confirm).toBe(`delete:${budi}:yes`);
    refused((await deliverDiscord(h, pressBy(sari, confirm))).body);
    refused((await deliverDiscord(h, pressBy(sari, `lang:${budi}:en`))).body);
    refused((await deliverDiscord(h, pressBy(sari, 'choice', [`model:${budi}:gpt-4o-mini`]))).body);
    const rows = await h.app.database.sql<{ status: string; locale: string }[]>`
      SELECT status, locale FROM accounts WHERE id IN (${await accountOf(budi)}, ${await accountOf(sari)})`;
    expect(rows).toEqual([
      { status: 'active', locale: 'id' },
      { status: 'active', locale: 'id' },
    ]);
  });

  it('lets Budi cancel and then confirm his own deletion', async () => {
    const cancel = await deliverDiscord(h, pressBy(budi, `delete:${budi}:no`));
    expect(cancel.body).toMatchObject({ type: 7, data: { content: 'Penghapusan dibatalkan.' } });
    const confirm = await deliverDiscord(h, pressBy(budi, `delete:${budi}:yes`));
    expect((confirm.body!['data'] as MessageData).content).toMatch(/sudah dihapus/);
    const [row] = await h.app.database.sql<{ status: string }[]>`
      SELECT status FROM accounts WHERE id = ${await accountOf(sari)}`;
    expect(row!.status).toBe('active');
  });
});

describe('stale and replayed interactions', () => {
  it('refuses an interaction created more than five minutes ago', async () => {
    const old = slash(sari, 'balance', {}, Date.now() - 6 * 60_000);
    expect((await deliverDiscord(h, old)).status).toBe(401);
    expect(h.discord.transcript(old.token).responseType).toBeUndefined();
  });

  it('refuses a fresh interaction signed with an old timestamp', async () => {
    const raw = JSON.stringify(slash(sari, 'balance'));
    const timestamp = String(Math.floor(Date.now() / 1000) - 10 * 60);
    const response = await h.app.app.inject({
      method: 'POST',
      url: '/discord/interactions',
      headers: h.discordInbound.headers(raw, { timestamp }),
      payload: raw,
    });
    expect(response.statusCode).toBe(401);
  });
});
