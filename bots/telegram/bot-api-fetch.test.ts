import { Api, GrammyError, HttpError, InputFile } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram } from '../../test/fakes/telegram.js';
import { createBotApiFetch } from './bot-api-fetch.js';

/** The Bot API client the bots use (grammY over undici), against the wire-format fake. */
let fake: FakeTelegram;
let api: Api;

beforeAll(async () => {
  fake = await FakeTelegram.start();
  api = new Api(fake.token, { apiRoot: fake.apiRoot, fetch: createBotApiFetch() });
});
afterAll(async () => {
  await fake.close();
});

describe('createBotApiFetch', () => {
  it('sends JSON calls and returns their results', async () => {
    const sent = await api.sendMessage(801, '<b>Halo</b>', { parse_mode: 'HTML' });
    expect(sent.text).toBe('Halo');
    expect(fake.transcript(801).messages.map((m) => m.text)).toEqual(['Halo']);
  });

  it('surfaces Bot API errors as GrammyError, with their code and retry_after', async () => {
    fake.injectFloodWait('sendMessage', 7);
    const error = await api.sendMessage(802, 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect((error as GrammyError).error_code).toBe(429);
    expect((error as GrammyError).parameters.retry_after).toBe(7);
  });

  it('uploads files as multipart streams', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    await api.sendPhoto(803, new InputFile(bytes, 'a.png'), { caption: 'gambar' });
    const [photo] = fake.transcript(803).messages;
    expect(photo?.text).toBe('gambar');
    expect(photo?.file && 'bytes' in photo.file ? [...photo.file.bytes] : []).toEqual([...bytes]);
  });

  it('turns an unreachable server into an HttpError', async () => {
    const closed = await FakeTelegram.start();
    const root = closed.apiRoot;
    await closed.close();
    const offline = new Api(closed.token, { apiRoot: root, fetch: createBotApiFetch() });
    await expect(offline.getMe()).rejects.toBeInstanceOf(HttpError);
  });
});
