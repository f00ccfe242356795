import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyPdf } from '../fixtures/tiny-pdf.js';
import {
  type BotsHarness,
  deliverSlack,
  deliverTelegram,
  newTelegramId,
  slackEventBody,
  startBotsHarness,
  telegramTextUpdate,
} from './bots-harness.js';

/**
 * Every kind of Telegram message gets an answer: documents (txt, md, pdf) become context for the
 * caption's question; stickers, locations and captionless photos get a short helpful reply (voice
 * notes: bots-voice.test.ts). In groups only what is addressed to the bot is answered.
 */
let h: BotsHarness;

beforeAll(async () => {
  h = await startBotsHarness();
});
afterAll(() => h.close());

const BOT_ID = 7000000001;

type Person = { id: number; first_name: string; language_code?: string };

/** A message of another kind: the text update with `text` replaced by `fields`. */
function update(from: Person, chatId: number, fields: Record<string, unknown>, caption?: string) {
  const u = telegramTextUpdate(from, chatId, caption ?? '');
  const message = u['message'] as Record<string, unknown>;
  delete message['text'];
  const entities = message['entities'];
  delete message['entities'];
  if (caption !== undefined) {
    message['caption'] = caption;
    if (entities) message['caption_entities'] = entities;
  }
  Object.assign(message, fields);
  return u;
}

function documentUpdate(from: Person, chatId: number, bytes: Buffer, fileName: string, caption?: string) {
  const fileId = h.telegram.addFile(bytes);
  return update(
    from,
    chatId,
    {
      document: {
        file_id: fileId,
        file_unique_id: `u-${fileId}`,
        file_name: fileName,
        file_size: bytes.length,
      },
    },
    caption,
  );
}

const texts = (chatId: number) => h.telegram.transcript(chatId).messages.map((m) => m.text);
const lastPrompt = () => {
  const body = h.openai.requests.at(-1)!.body as { messages: { role: string; content: unknown }[] };
  return JSON.stringify(body.messages.at(-1)!.content);
};

describe('documents', () => {
  it('a .txt file is context for the caption’s question', async () => {
    const user = { id: newTelegramId(), first_name: 'Dok' };
    const body = Buffer.from('Rapat tim diadakan hari Kamis pukul 10.00 di ruang Merapi.\n');
    await deliverTelegram(h, documentUpdate(user, user.id, body, 'catatan.txt', 'Kapan rapatnya?'));
    const prompt = lastPrompt();
    expect(prompt).toContain('Kapan rapatnya?');
    expect(prompt).toContain('<document name=\\"catatan.txt\\">');
    expect(prompt).toContain('Kamis pukul 10.00 di ruang Merapi');
    expect(texts(user.id).at(-1)).toMatch(/^Echo: Kapan rapatnya\?/);
  });

  it('a PDF’s text is read (pages bounded), a scanned PDF gets a clear reply and costs nothing', async () => {
    const user = { id: newTelegramId(), first_name: 'Pdf', language_code: 'en' };
    const pdf = tinyPdf([['Invoice 42', 'Total: Rp 1.250.000'], ['Due: 5 January']]);
    await deliverTelegram(h, documentUpdate(user, user.id, pdf, 'invoice.pdf', 'What is the total?'));
    expect(lastPrompt()).toContain('Total: Rp 1.250.000');
    expect(lastPrompt()).toContain('Due: 5 January');

    const before = h.openai.requests.length;
    await deliverTelegram(h, documentUpdate(user, user.id, tinyPdf([[]]), 'scan.pdf', 'What does it say?'));
    expect(texts(user.id).at(-1)).toMatch(/^This PDF has no readable text/);
    expect(h.openai.requests.length).toBe(before);
  });

  it('refuses what it cannot read: binary posing as .txt, a broken PDF, .docx, too large, no question', async () => {
    const user = { id: newTelegramId(), first_name: 'Tolak' };
    const before = h.openai.requests.length;
    const binary = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff, 0xfe]);
    await deliverTelegram(h, documentUpdate(user, user.id, binary, 'bukan-teks.txt', 'Isinya apa?'));
    await deliverTelegram(
      h,
      documentUpdate(user, user.id, Buffer.from('%PDF-1.4 rusak'), 'rusak.pdf', 'Isinya?'),
    );
    await deliverTelegram(h, documentUpdate(user, user.id, binary, 'laporan.docx', 'Isinya?'));
    const big = update(
      user,
      user.id,
      {
        document: {
          file_id: 'never-downloaded',
          file_unique_id: 'x',
          file_name: 'besar.pdf',
          file_size: 50_000_000,
        },
      },
      'Ringkas',
    );
    await deliverTelegram(h, big);
    await deliverTelegram(h, documentUpdate(user, user.id, Buffer.from('halo'), 'tanpa-pertanyaan.md'));
    const unreadable =
      'Dokumen ini belum bisa saya baca. Kirim berkas .txt, .md atau .pdf dengan pertanyaan di keterangannya.';
    expect(texts(user.id)).toEqual([
      unreadable,
      unreadable,
      unreadable,
      'Dokumennya terlalu besar (maksimal 2048 KB).',
      'Kirim ulang dokumennya dengan pertanyaan Anda sebagai keterangan (caption).',
    ]);
    expect(h.openai.requests.length).toBe(before);
    expect(h.telegram.callsOf('getFile').some((c) => c.params['file_id'] === 'never-downloaded')).toBe(false);
  });
});

describe('other kinds of message', () => {
  it('stickers, locations and captionless photos each get a short reply (private chat)', async () => {
    const user = { id: newTelegramId(), first_name: 'Macam', language_code: 'en' };
    const before = h.openai.requests.length;
    await deliverTelegram(
      h,
      update(user, user.id, {
        sticker: {
          file_id: 's1',
          file_unique_id: 's1',
          type: 'regular',
          width: 512,
          height: 512,
          is_animated: false,
          is_video: false,
        },
      }),
    );
    await deliverTelegram(h, update(user, user.id, { location: { latitude: -6.2, longitude: 106.8 } }));
    await deliverTelegram(
      h,
      update(user, user.id, { photo: [{ file_id: 'p1', file_unique_id: 'p1', width: 1, height: 1 }] }),
    );
    expect(texts(user.id)).toEqual([
      'Nice sticker! Send a text message if there is anything I can help with.',
      expect.stringMatching(/^I can't read locations yet/),
      expect.stringMatching(/^Got your photo\. Send it again with a caption/),
    ]);
    expect(h.openai.requests.length).toBe(before);
  });

  it('in a group, two people: only what is addressed to the bot is answered, replying to its sender', async () => {
    const budi = { id: newTelegramId(), first_name: 'Budi' };
    const sari = { id: newTelegramId(), first_name: 'Sari', language_code: 'en' };
    const group = -newTelegramId();
    const sticker = {
      sticker: {
        file_id: 's2',
        file_unique_id: 's2',
        type: 'regular',
        width: 512,
        height: 512,
        is_animated: false,
        is_video: false,
      },
    };
    // Not for the bot: a sticker, a document without a mention.
    await deliverTelegram(h, update(budi, group, sticker));
    await deliverTelegram(h, documentUpdate(budi, group, Buffer.from('catatan'), 'a.txt', 'simpan ini'));
    expect(texts(group)).toEqual([]);
    // A document whose caption mentions the bot is answered, replying to Budi's message.
    const asked = documentUpdate(
      budi,
      group,
      Buffer.from('Harga paket: Rp 99.000'),
      'harga.txt',
      '@aiport_test_bot berapa harganya?',
    );
    await deliverTelegram(h, asked);
    expect(texts(group)).toEqual([expect.stringMatching(/^Echo: berapa harganya\?/)]);
    const answer = h.telegram
      .callsOf('sendMessage')
      .filter((c) => c.params['chat_id'] === group)
      .at(-1)!;
    const askedId = (asked['message'] as { message_id: number }).message_id;
    expect((answer.params['reply_parameters'] as { message_id: number }).message_id).toBe(askedId);
    // Sari's sticker in reply to the bot gets the sticker reply, in her language, replying to her.
    const botMessage = h.telegram.transcript(group).messages.at(-1)!;
    await deliverTelegram(
      h,
      update(sari, group, {
        ...sticker,
        reply_to_message: {
          message_id: botMessage.messageId,
          date: 0,
          chat: { id: group, type: 'supergroup' },
          from: { id: BOT_ID, is_bot: true, first_name: 'AIport' },
        },
      }),
    );
    expect(texts(group).at(-1)).toBe(
      'Nice sticker! Send a text message if there is anything I can help with.',
    );
  });
});

describe('Slack files', () => {
  const PNG = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  );
  const ts = () => `${Math.floor(Date.now() / 1000)}.${String(randomInt(0, 999_999)).padStart(6, '0')}`;

  function dmWithFile(channel: string, user: string, text: string, file: Record<string, unknown>) {
    return slackEventBody({
      type: 'message',
      subtype: 'file_share',
      channel_type: 'im',
      channel,
      user,
      text,
      ts: ts(),
      files: [file],
    });
  }

  it('a DM with a document is answered with it as context; an image is a vision question; undecodable audio is refused', async () => {
    const user = `U${randomInt(1, 2 ** 30)}`;
    const channel = `D${randomInt(1, 2 ** 30)}`;
    const doc = h.slack.shareFile(Buffer.from('Kode promo bulan ini: HEMAT25.'), 'promo.md', 'text/markdown');
    await deliverSlack(h, dmWithFile(channel, user, 'Apa kode promonya?', doc), 'application/json');
    expect(lastPrompt()).toContain('Kode promo bulan ini: HEMAT25.');
    const image = h.slack.shareFile(PNG, 'foto.png', 'image/png');
    await deliverSlack(h, dmWithFile(channel, user, 'Ini gambar apa?', image), 'application/json');
    expect(lastPrompt()).toContain('data:image/png;base64,');
    const before = h.openai.requests.length;
    const voice = h.slack.shareFile(Buffer.from('OggS....'), 'audio_message.m4a', 'audio/mp4');
    await deliverSlack(h, dmWithFile(channel, user, '', voice), 'application/json');
    const scan = h.slack.shareFile(tinyPdf([[]]), 'scan.pdf', 'application/pdf');
    await deliverSlack(h, dmWithFile(channel, user, 'Isinya?', scan), 'application/json');
    expect(h.slack.transcript(channel).map((m) => m.text)).toEqual([
      expect.stringMatching(/^Echo: Apa kode promonya\?/),
      'Echo: Ini gambar apa?',
      'File audio itu tidak bisa saya baca. Kirim pesan suara, atau ketik pesannya.',
      expect.stringMatching(/^PDF ini tidak berisi teks yang bisa dibaca/),
    ]);
    // Only the speech-to-text upstream saw the audio (and refused it): no chat request followed.
    expect(h.openai.requests.slice(before).map((r) => r.path)).toEqual(['/v1/audio/transcriptions']);
  });

  it('never sends the bot token to a file URL elsewhere, and a file in a channel needs a mention', async () => {
    const user = `U${randomInt(1, 2 ** 30)}`;
    const channel = `D${randomInt(1, 2 ** 30)}`;
    const before = h.openai.requests.length;
    const elsewhere = {
      ...h.slack.shareFile(Buffer.from('rahasia'), 'a.txt', 'text/plain'),
      url_private_download: 'http://127.0.0.1:9/steal/a.txt',
      url_private: 'http://127.0.0.1:9/steal/a.txt',
    };
    await deliverSlack(h, dmWithFile(channel, user, 'Baca ini', elsewhere), 'application/json');
    expect(h.slack.transcript(channel).at(-1)!.text).toMatch(/^Dokumen ini belum bisa saya baca/);
    const room = `C${randomInt(1, 2 ** 30)}`;
    const plain = slackEventBody({
      type: 'message',
      subtype: 'file_share',
      channel_type: 'channel',
      channel: room,
      user,
      text: 'dokumen tim',
      ts: ts(),
      files: [h.slack.shareFile(Buffer.from('isi'), 'b.txt', 'text/plain')],
    });
    await deliverSlack(h, plain, 'application/json');
    expect(h.slack.messages.filter((m) => m.channel === room)).toHaveLength(0);
    expect(h.openai.requests.length).toBe(before);
  });
});
