import { Api } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram } from '../../test/fakes/telegram.js';
import { registerTelegramCommands, telegramCommands } from './commands.js';

let fake: FakeTelegram;

beforeAll(async () => {
  fake = await FakeTelegram.start();
});
afterAll(async () => {
  await fake.close();
});

describe('Telegram command menu', () => {
  it('lists the same commands in both languages', () => {
    const id = telegramCommands('id');
    const en = telegramCommands('en');
    expect(id.map((c) => c.command)).toEqual(en.map((c) => c.command));
    expect(id.find((c) => c.command === 'balance')?.description).toBe('Lihat saldo');
    expect(en.find((c) => c.command === 'balance')?.description).toBe('Show your balance');
  });

  it('is accepted by setMyCommands, Indonesian by default and English for English clients', async () => {
    await registerTelegramCommands(new Api(fake.token, { apiRoot: fake.apiRoot }));
    expect(fake.commands.get('')).toEqual(telegramCommands('id'));
    expect(fake.commands.get('en')).toEqual(telegramCommands('en'));
  });
});
