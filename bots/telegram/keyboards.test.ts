import { Api } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram } from '../../test/fakes/telegram.js';
import { decodeChoice } from '../shared/choices.js';
import { id } from '../shared/i18n/index.js';
import { deleteConfirmKeyboard, languageKeyboard, modelKeyboard } from './keyboards.js';

let fake: FakeTelegram;
let api: Api;

beforeAll(async () => {
  fake = await FakeTelegram.start();
  api = new Api(fake.token, { apiRoot: fake.apiRoot });
});
afterAll(async () => {
  await fake.close();
});

describe('Telegram keyboards', () => {
  it('builds a model menu Telegram accepts, ticking the current model and skipping unfit ids', async () => {
    const models = [
      { id: 'gpt-4o-mini', name: 'GPT-4o mini' },
      { id: 'claude-sonnet-4', name: 'Claude Sonnet 4' },
      { id: 'deepseek-chat', name: 'DeepSeek V3' },
      { id: `x${'y'.repeat(70)}`, name: 'Too long' },
    ];
    const keyboard = modelKeyboard(models, 'claude-sonnet-4', '701');
    await api.sendMessage(701, id.chooseModel({ current: 'Claude Sonnet 4' }), { reply_markup: keyboard });
    const [message] = fake.transcript(701).messages;
    expect(message?.replyMarkup).toEqual(keyboard);
    const buttons = keyboard.inline_keyboard.flat();
    expect(buttons.map((b) => b.text)).toEqual(['GPT-4o mini', '✓ Claude Sonnet 4', 'DeepSeek V3']);
    expect(keyboard.inline_keyboard.map((row) => row.length)).toEqual([2, 1]);
    const data = buttons.map((b) => ('callback_data' in b ? b.callback_data : undefined));
    expect(decodeChoice(data[2])).toEqual({ kind: 'model', owner: '701', modelId: 'deepseek-chat' });
  });

  it('builds language and delete-confirmation keyboards', async () => {
    await api.sendMessage(702, id.languageChoose(), { reply_markup: languageKeyboard('702') });
    await api.sendMessage(702, id.deleteAsk(), { reply_markup: deleteConfirmKeyboard(id, '702') });
    const [lang, del] = fake.transcript(702).messages;
    expect(JSON.stringify(lang?.replyMarkup)).toContain('lang:702:en');
    expect(JSON.stringify(del?.replyMarkup)).toContain('Ya, hapus semuanya');
  });

  it('the fake refuses callback data over 64 bytes, as Telegram does', async () => {
    const bad = { inline_keyboard: [[{ text: 'x', callback_data: 'z'.repeat(65) }]] };
    await expect(api.sendMessage(703, 'x', { reply_markup: bad })).rejects.toMatchObject({ error_code: 400 });
  });
});
