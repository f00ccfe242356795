import { API } from '@discordjs/core/http-only';
import { REST } from '@discordjs/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../../test/fakes/discord.js';
import { discordCommands, registerCommands } from './commands.js';

let fake: FakeDiscord;
let api: API;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  api = new API(new REST({ api: fake.apiBase }).setToken(fake.botToken));
});
afterAll(async () => {
  await fake.close();
});

describe('Discord slash commands', () => {
  it('registers every command the bot answers, with Indonesian descriptions and English localizations', () => {
    const all = discordCommands();
    const commands = all.filter((c) => c.type === undefined || c.type === 1) as ((typeof all)[number] & {
      description: string;
      options?: { name: string }[];
      description_localizations?: Record<string, string>;
    })[];
    expect(commands.map((c) => c.name).sort()).toEqual(
      [
        'chat',
        'image',
        'video',
        'balance',
        'topup',
        'redeem',
        'model',
        'link',
        'help',
        'new',
        'usage',
        'lang',
        'privacy',
        'export',
        'delete',
      ].sort(),
    );
    const image = commands.find((c) => c.name === 'image')!;
    expect(image.options?.map((o) => o.name)).toEqual(['prompt', 'size', 'count']);
    expect(image.description_localizations?.['en-US']).toBe('Generate an image from text');
    for (const command of commands) {
      expect(command.description.length).toBeGreaterThan(0);
      expect(command.description.length).toBeLessThanOrEqual(100);
    }
    expect(commands.find((c) => c.name === 'chat')?.options?.map((o) => o.name)).toEqual(['prompt', 'file']);
    // The message command that asks about a message (its text, file or sticker).
    const ask = all.find((c) => c.type === 3);
    expect(ask?.name).toBe('Tanya AIport');
    expect(ask?.name_localizations?.['en-US']).toBe('Ask AIport');
  });

  it('registers globally and per guild through the REST API', async () => {
    expect(await registerCommands(api, fake.applicationId)).toBe(16);
    expect(await registerCommands(api, fake.applicationId, '123456789012345678')).toBe(16);
    expect(fake.commands.get('global')?.map((c) => c['name'])).toContain('topup');
    expect(fake.commands.get('guild:123456789012345678')).toHaveLength(16);
  });
});
