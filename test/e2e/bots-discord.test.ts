import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discordInteraction } from '../fakes/discord.js';
import { type BotsHarness, deliverDiscord, startBotsHarness } from './bots-harness.js';

let h: BotsHarness;

beforeAll(async () => {
  h = await startBotsHarness();
});
afterAll(() => h.close());

const newUser = () => String(randomInt(1, 2 ** 40) * 1000);

function slash(
  name: string,
  options: Record<string, string | number> = {},
  extra: { userId?: string; locale?: string; attachmentSizeLimit?: number } = {},
) {
  return discordInteraction({
    applicationId: h.discord.applicationId,
    name,
    options: Object.entries(options).map(([key, value]) => ({
      name: key,
      type: typeof value === 'number' ? 4 : 3,
      value,
    })),
    userId: extra.userId ?? newUser(),
    ...(extra.locale ? { locale: extra.locale } : {}),
    ...(extra.attachmentSizeLimit ? { attachmentSizeLimit: extra.attachmentSizeLimit } : {}),
  });
}

describe('Discord interactions endpoint', () => {
  it('answers PING with PONG', async () => {
    const ping = { id: '1', application_id: h.discord.applicationId, type: 1, token: 'ping', version: 1 };
    const response = await deliverDiscord(h, ping);
    expect(response).toEqual({ status: 200, body: { type: 1 } });
  });

  it('refuses a bad signature with 401 and processes nothing', async () => {
    const interaction = slash('balance');
    const response = await deliverDiscord(h, interaction, { signature: '00'.repeat(64) });
    expect(response.status).toBe(401);
    expect(h.discord.transcript(interaction.token).responseType).toBeUndefined();
  });

  it('shows the balance ephemerally, in English for an English client', async () => {
    const response = await deliverDiscord(h, slash('balance', {}, { locale: 'en-US' }));
    const data = response.body!['data'] as { content: string; flags: number };
    expect(response.body!['type']).toBe(4);
    expect(data.flags & 64).toBe(64);
    expect(data.content).toContain('Your balance: Rp 5,000.');
    expect(data.content).toContain('/topup amount:AMOUNT');
  });

  it('defers /chat, then edits the original with the streamed answer (billed on a discord job)', async () => {
    const userId = newUser();
    const interaction = slash('chat', { prompt: 'Halo Discord' }, { userId });
    const response = await deliverDiscord(h, interaction);
    expect(response.status).toBe(202);
    const transcript = h.discord.transcript(interaction.token);
    expect(transcript.responseType).toBe(5);
    expect(transcript.original!.content).toBe('Echo: Halo Discord');
    const [job] = await h.app.database.sql<{ channel: string; status: string }[]>`
      SELECT j.channel, j.status FROM jobs j JOIN identities i ON i.account_id = j.account_id
      WHERE i.platform = 'discord' AND i.external_id = ${userId}`;
    expect(job).toEqual({ channel: 'discord', status: 'succeeded' });
  });

  it('splits a long answer into 2000-character messages: the original, then follow-ups', async () => {
    const long = `${'Sebuah kalimat yang cukup panjang untuk diuji. '.repeat(100)}`.trim();
    h.openai.enqueue({ reply: { text: long } });
    const interaction = slash('chat', { prompt: 'panjang' });
    await deliverDiscord(h, interaction);
    const transcript = h.discord.transcript(interaction.token);
    const parts = [transcript.original!.content, ...transcript.followUps.map((m) => m.content)];
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(2000);
    expect(parts.join(' ').replace(/\s+/g, ' ')).toBe(long);
  });

  it('answers /topup with the transfer code, ephemerally', async () => {
    const response = await deliverDiscord(h, slash('topup', { amount: 50000 }));
    const data = response.body!['data'] as { content: string; flags: number };
    expect(data.flags & 64).toBe(64);
    expect(data.content).toMatch(/Tulis kode \S+ di berita\/keterangan transfer/);
  });

  it('offers models by autocomplete and a select menu, and switches on a choice', async () => {
    const userId = newUser();
    const autocomplete = await deliverDiscord(h, {
      ...slash('model', {}, { userId }),
      type: 4,
      data: {
        id: '1',
        name: 'model',
        type: 1,
        options: [{ name: 'name', type: 3, value: 'gpt', focused: true }],
      },
    });
    const choices = (autocomplete.body!['data'] as { choices: { value: string }[] }).choices;
    expect(choices.map((c) => c.value)).toContain('gpt-4o-mini');
    const menu = await deliverDiscord(h, slash('model', {}, { userId }));
    const data = menu.body!['data'] as { components: { components: { custom_id: string }[] }[] };
    expect(data.components[0]!.components[0]!.custom_id).toBe('choice');
    const picked = await deliverDiscord(h, {
      ...slash('model', {}, { userId }),
      type: 3,
      data: { custom_id: 'choice', component_type: 3, values: [`model:${userId}:gpt-4o-mini`] },
    });
    expect(picked.body).toMatchObject({ type: 7, data: { content: 'Model diganti ke GPT-4o mini.' } });
  });

  it('asks for a prompt when /image has none, without deferring', async () => {
    const response = await deliverDiscord(h, slash('image', { prompt: '  ' }));
    expect(response.body!['type']).toBe(4);
    expect((response.body!['data'] as { content: string }).content).toMatch(/Tulis deskripsi gambarnya/);
  });
});

describe('npm run cli -- discord:register', () => {
  it('bulk-overwrites the slash commands of a guild with the bot token', async () => {
    const { runCli } = await import('../../bin/cli.js');
    const saved = { ...process.env };
    Object.assign(process.env, {
      DISCORD_APPLICATION_ID: h.discord.applicationId,
      DISCORD_BOT_TOKEN: h.discord.botToken,
      DISCORD_API_BASE: h.discord.apiBase,
      DATABASE_URL: h.app.database.url,
    });
    try {
      expect(await runCli(['discord:register', '--guild', '900000000000000001'])).toBe(0);
    } finally {
      process.env = saved;
    }
    const names = (h.discord.commands.get('guild:900000000000000001') ?? []).map((c) => c['name']);
    expect(names).toEqual(
      expect.arrayContaining([
        'chat',
        'image',
        'video',
        'balance',
        'topup',
        'redeem',
        'model',
        'link',
        'help',
      ]),
    );
  });
});
