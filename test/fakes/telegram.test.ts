import { createServer } from 'node:http';
import { Api, Bot, GrammyError, InputFile, webhookCallback } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram } from './telegram.js';

let fake: FakeTelegram;
let api: Api;

beforeAll(async () => {
  fake = await FakeTelegram.start();
  api = new Api(fake.token, { apiRoot: fake.apiRoot });
});
afterAll(async () => {
  await fake.close();
});

async function apiError(promise: Promise<unknown>): Promise<GrammyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GrammyError);
  return error as GrammyError;
}

describe('fake Telegram Bot API', () => {
  it('answers getMe and refuses a wrong token', async () => {
    expect((await api.getMe()).is_bot).toBe(true);
    const wrong = new Api('1:wrong', { apiRoot: fake.apiRoot });
    expect((await apiError(wrong.getMe())).error_code).toBe(401);
  });

  it('keeps the visible text after HTML parsing and edits', async () => {
    const sent = await api.sendMessage(501, '<b>Halo</b> &lt;dunia&gt;', { parse_mode: 'HTML' });
    await api.editMessageText(501, sent.message_id, 'Halo lagi');
    const [message] = fake.transcript(501).messages;
    expect(message?.text).toBe('Halo lagi');
    expect(message?.versions).toEqual(['Halo <dunia>', 'Halo lagi']);
  });

  it('rejects unbalanced or unknown HTML tags with a parse error', async () => {
    const unbalanced = await apiError(api.sendMessage(502, '<b>bold', { parse_mode: 'HTML' }));
    expect(unbalanced.description).toMatch(/can't parse entities/);
    const unknown = await apiError(api.sendMessage(502, 'a <foo> b', { parse_mode: 'HTML' }));
    expect(unknown.description).toMatch(/unsupported start tag "foo"/);
    const stray = await apiError(api.sendMessage(502, '1 < 2 and 3 > 2', { parse_mode: 'HTML' }));
    expect(stray.error_code).toBe(400);
    expect(fake.transcript(502).messages).toHaveLength(0);
  });

  it('enforces the text limit after entity parsing, and "message is not modified"', async () => {
    const tags = `<b>${'a'.repeat(4096)}</b>`;
    await api.sendMessage(503, tags, { parse_mode: 'HTML' });
    const tooLong = await apiError(api.sendMessage(503, 'a'.repeat(4097)));
    expect(tooLong.description).toMatch(/too long/);
    const empty = await apiError(api.sendMessage(503, ''));
    expect(empty.description).toMatch(/empty/);
    const sent = await api.sendMessage(503, 'same');
    const notModified = await apiError(api.editMessageText(503, sent.message_id, 'same'));
    expect(notModified.description).toMatch(/message is not modified/);
  });

  it('records drafts in private chats only', async () => {
    await api.sendMessageDraft(504, 7, '');
    await api.sendMessageDraft(504, 7, 'Sebentar');
    expect(fake.transcript(504).drafts).toEqual([
      { draftId: 7, text: '' },
      { draftId: 7, text: 'Sebentar' },
    ]);
    expect((await apiError(api.sendMessageDraft(-100, 7, 'x'))).error_code).toBe(400);
  });

  it('injects flood control with retry_after', async () => {
    fake.injectFloodWait('sendMessage', 3);
    const error = await apiError(api.sendMessage(505, 'x'));
    expect(error.error_code).toBe(429);
    expect(error.parameters.retry_after).toBe(3);
    await api.sendMessage(505, 'x');
    expect(fake.transcript(505).messages.map((m) => m.text)).toEqual(['x']);
  });

  it('resolves attach:// multipart uploads and records the bytes and caption', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    await api.sendPhoto(506, new InputFile(bytes, 'cat.png'), { caption: 'Biaya Rp 700' });
    await api.sendVideo(506, new InputFile(Buffer.from('video'), 'v.mp4'));
    await api.sendDocument(506, 'https://example.com/a.pdf');
    const [photo, video, doc] = fake.transcript(506).messages;
    expect(photo?.kind).toBe('photo');
    expect(photo?.text).toBe('Biaya Rp 700');
    expect(photo?.file && 'bytes' in photo.file ? [...photo.file.bytes] : []).toEqual([...bytes]);
    expect(video?.file && 'bytes' in video.file ? video.file.bytes.toString() : '').toBe('video');
    expect(doc?.file).toEqual({ reference: 'https://example.com/a.pdf' });
    const longCaption = await apiError(api.sendPhoto(506, 'file-id', { caption: 'c'.repeat(1025) }));
    expect(longCaption.description).toMatch(/caption is too long/);
  });

  it('validates setMyCommands and stores them per language', async () => {
    await api.setMyCommands([{ command: 'start', description: 'Mulai' }], { language_code: 'en' });
    expect(fake.commands.get('en')).toEqual([{ command: 'start', description: 'Mulai' }]);
    const bad = await apiError(api.setMyCommands([{ command: 'Bad-Name', description: 'x' }]));
    expect(bad.error_code).toBe(400);
  });

  it('serves payments calls', async () => {
    await api.sendInvoice(507, 'Top up', 'Saldo', 'payload-1', 'XTR', [{ label: 'Saldo', amount: 50 }]);
    expect(await api.answerPreCheckoutQuery('q1', true)).toBe(true);
    expect(await api.refundStarPayment(507, 'charge-1')).toBe(true);
    expect(await api.answerCallbackQuery('cb1', { text: 'ok' })).toBe(true);
    expect(fake.transcript(507).messages[0]?.kind).toBe('invoice');
    const rupiah = await apiError(
      api.sendInvoice(507, 'Top up', 'Saldo', 'p2', 'IDR', [{ label: 'x', amount: 1 }]),
    );
    expect(rupiah.description).toMatch(/PAYMENT_PROVIDER_INVALID/);
  });

  it('delivers queued updates to a long-polling grammY bot and refuses getUpdates under a webhook', async () => {
    const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
    const seen: string[] = [];
    bot.on('message:text', async (ctx) => {
      seen.push(ctx.message.text);
      await ctx.reply(`echo ${ctx.message.text}`);
      await bot.stop();
    });
    fake.pushUpdate({
      message: {
        message_id: 1,
        date: 0,
        chat: { id: 508, type: 'private', first_name: 'U' },
        from: { id: 508, is_bot: false, first_name: 'U' },
        text: 'halo',
      },
    });
    await bot.start({ drop_pending_updates: false, timeout: 1 });
    expect(seen).toEqual(['halo']);
    expect(fake.transcript(508).messages.map((m) => m.text)).toEqual(['echo halo']);

    await api.setWebhook('https://example.com/telegram/webhook', { secret_token: 'abc_123' });
    expect(fake.webhook).toEqual({ url: 'https://example.com/telegram/webhook', secretToken: 'abc_123' });
    expect((await apiError(api.getUpdates())).error_code).toBe(409);
    await api.deleteWebhook();
  });
});

describe('fake Telegram webhook delivery', () => {
  it('posts updates to the webhook with the secret header, accepted by grammY webhookCallback', async () => {
    const bot = new Bot(fake.token, {
      client: { apiRoot: fake.apiRoot },
      botInfo: await api.getMe(),
    });
    const seen: string[] = [];
    bot.on('message:text', (ctx) => {
      seen.push(ctx.message.text);
    });
    const server = createServer(webhookCallback(bot, 'http', { secretToken: 'rahasia_1' }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      await api.setWebhook(`http://127.0.0.1:${port}/telegram/webhook`, { secret_token: 'rahasia_1' });
      const update = {
        message: {
          message_id: 1,
          date: 0,
          chat: { id: 509, type: 'private', first_name: 'U' },
          from: { id: 509, is_bot: false, first_name: 'U' },
          text: 'lewat webhook',
        },
      };
      expect((await fake.deliverWebhook(update)).status).toBe(200);
      expect((await fake.deliverWebhook(update, { secretToken: 'salah' })).status).toBe(401);
      expect(seen).toEqual(['lewat webhook']);
    } finally {
      await api.deleteWebhook();
      server.close();
    }
  });
});
