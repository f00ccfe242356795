import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discordComponentPress, discordInteraction, discordMessageCommand } from '../fakes/discord.js';
import { tinyPdf } from '../fixtures/tiny-pdf.js';
import { type BotsHarness, deliverDiscord, startBotsHarness } from './bots-harness.js';

/**
 * Files on Discord get an answer like on Telegram and Slack: a file sent with `/chat` (or on a
 * message asked about with the "Tanya AIport" message command) is read only from Discord's CDN,
 * within its size bound, after the person's file rate and balance are checked; documents become
 * context for the question, images a vision question (or an edit, or the "edit or ask?" buttons
 * bound to their sender), stickers and captionless images a short reply.
 */
let h: BotsHarness;
const guildId = '400000000000000011';
const person = () => String(randomInt(1, 2 ** 40) * 1000 + 7);

beforeAll(async () => {
  h = await startBotsHarness();
});
afterAll(() => h.close());

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

type Attachment = ReturnType<FakeDiscordAttachment>;
type FakeDiscordAttachment = BotsHarness['discord']['userAttachment'];

/** `/chat prompt:… file:…` as Discord sends it: the attachment option's value is its id. */
function chatWithFile(user: string, prompt: string, file: Attachment) {
  return discordInteraction({
    applicationId: h.discord.applicationId,
    name: 'chat',
    options: [
      { name: 'prompt', type: 3, value: prompt },
      { name: 'file', type: 11, value: file.id },
    ],
    resolved: { attachments: { [file.id]: file } },
    userId: user,
    guildId,
  });
}

function askAbout(
  user: string,
  message: { content?: string; attachments?: unknown[]; sticker_items?: unknown[] },
) {
  return discordMessageCommand({
    applicationId: h.discord.applicationId,
    name: 'Tanya AIport',
    message,
    userId: user,
    guildId,
  });
}

const answerOf = (token: string) => h.discord.transcript(token).original?.content;
const lastPrompt = () => {
  const body = h.openai.requests.at(-1)!.body as { messages: { content: unknown }[] };
  return JSON.stringify(body.messages.at(-1)!.content);
};

describe('documents sent with /chat', () => {
  it('a .txt file is context for the question, downloaded from the CDN once', async () => {
    const file = h.discord.userAttachment(
      'catatan.txt',
      'text/plain; charset=utf-8',
      Buffer.from('Rapat tim diadakan hari Kamis pukul 10.00 di ruang Merapi.\n'),
    );
    const downloads = h.discord.downloads();
    const interaction = chatWithFile(person(), 'Kapan rapatnya?', file);
    expect((await deliverDiscord(h, interaction)).status).toBe(202);
    expect(h.discord.downloads()).toBe(downloads + 1);
    const prompt = lastPrompt();
    expect(prompt).toContain('Kapan rapatnya?');
    expect(prompt).toContain('<document name=\\"catatan.txt\\">');
    expect(prompt).toContain('Kamis pukul 10.00 di ruang Merapi');
    expect(answerOf(interaction.token)).toMatch(/^Echo: Kapan rapatnya\?/);
  });

  it('a PDF’s text is read; a scanned PDF gets a clear reply and no model call', async () => {
    const pdf = h.discord.userAttachment(
      'laporan.pdf',
      'application/pdf',
      tinyPdf([['Pendapatan kuartal tiga naik 12 persen.']]),
    );
    const interaction = chatWithFile(person(), 'Ringkas laporannya', pdf);
    await deliverDiscord(h, interaction);
    expect(lastPrompt()).toContain('Pendapatan kuartal tiga naik 12 persen.');
    const requests = h.openai.requests.length;
    const scan = h.discord.userAttachment('scan.pdf', 'application/pdf', tinyPdf([[]]));
    const second = chatWithFile(person(), 'Apa isinya?', scan);
    await deliverDiscord(h, second);
    expect(answerOf(second.token)).toMatch(/tidak berisi teks yang bisa dibaca/);
    expect(h.openai.requests.length).toBe(requests);
  });

  it('an oversized file is refused by its stated size, before any download', async () => {
    const big = h.discord.userAttachment('besar.txt', 'text/plain', Buffer.from('kecil'), {
      statedSize: 3 * 1024 * 1024,
    });
    const downloads = h.discord.downloads();
    const interaction = chatWithFile(person(), 'Baca ini', big);
    await deliverDiscord(h, interaction);
    expect(answerOf(interaction.token)).toBe('Dokumennya terlalu besar (maksimal 2048 KB).');
    expect(h.discord.downloads()).toBe(downloads);
  });

  it('a file whose real size exceeds what was stated is cut off and not read', async () => {
    const liar = h.discord.userAttachment(
      'bohong.txt',
      'text/plain',
      Buffer.alloc(2 * 1024 * 1024 + 10, 'a'),
      {
        statedSize: 100,
      },
    );
    const requests = h.openai.requests.length;
    const interaction = chatWithFile(person(), 'Baca ini', liar);
    await deliverDiscord(h, interaction);
    expect(answerOf(interaction.token)).toMatch(/^Dokumen ini belum bisa saya baca/);
    expect(h.openai.requests.length).toBe(requests);
  });

  it('never fetches an attachment URL outside Discord’s CDN (a forged interaction)', async () => {
    const file = h.discord.userAttachment('catatan.txt', 'text/plain', Buffer.from('rahasia'));
    const downloads = h.discord.downloads();
    const requests = h.openai.requests.length;
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://127.0.0.1:6379/',
      `https://cdn.discordapp.com.evil.example/attachments/1/2/catatan.txt`,
      file.url.replace('http://', 'http://user:pass@'),
    ]) {
      const interaction = chatWithFile(person(), 'Baca ini', { ...file, url, proxy_url: url });
      await deliverDiscord(h, interaction);
      expect(answerOf(interaction.token)).toMatch(/^Dokumen ini belum bisa saya baca/);
    }
    expect(h.discord.downloads()).toBe(downloads);
    expect(h.openai.requests.length).toBe(requests);
  });

  it('an unsupported file type gets a short reply; undecodable audio is refused unbilled', async () => {
    const zip = h.discord.userAttachment('arsip.zip', 'application/zip', Buffer.from('PK'));
    const first = chatWithFile(person(), 'Buka ini', zip);
    await deliverDiscord(h, first);
    expect(answerOf(first.token)).toMatch(/^Dokumen ini belum bisa saya baca/);
    const ogg = h.discord.userAttachment('suara.ogg', 'audio/ogg', Buffer.from('OggS'));
    const second = chatWithFile(person(), 'Dengarkan', ogg);
    await deliverDiscord(h, second);
    // Audio goes to speech to text (bots-voice.test.ts); these bytes are no audio the upstream reads.
    expect(answerOf(second.token)).toBe(
      'File audio itu tidak bisa saya baca. Kirim pesan suara, atau ketik pesannya.',
    );
  });

  it('checks the balance before downloading: an empty account is told privately', async () => {
    const user = person();
    await deliverDiscord(
      h,
      discordInteraction({ applicationId: h.discord.applicationId, name: 'help', userId: user, guildId }),
    );
    const [row] = await h.app.database.sql<{ account_id: string }[]>`
      SELECT account_id FROM identities WHERE platform = 'discord' AND external_id = ${user}`;
    const { availableMrp } = await h.app.container.core.ledger.balance(row!.account_id);
    await h.app.container.core.ledger.debit('adjustment', {
      accountId: row!.account_id,
      amountMrp: availableMrp,
      idempotencyKey: `discord-file-empty-${user}`,
    });
    const file = h.discord.userAttachment('catatan.txt', 'text/plain', Buffer.from('isi'));
    const downloads = h.discord.downloads();
    const interaction = chatWithFile(user, 'Baca ini', file);
    await deliverDiscord(h, interaction);
    const transcript = h.discord.transcript(interaction.token);
    expect(transcript.original!.deleted).toBe(true);
    expect(transcript.followUps[0]).toMatchObject({ flags: 64 });
    expect(transcript.followUps[0]!.content).toMatch(/^Saldo tidak cukup/);
    expect(h.discord.downloads()).toBe(downloads);
  });
});

describe('images', () => {
  it('an image with a question is a vision turn', async () => {
    const image = h.discord.userAttachment('foto.png', 'image/png', PNG);
    const interaction = chatWithFile(person(), 'Ini gambar apa?', image);
    await deliverDiscord(h, interaction);
    expect(lastPrompt()).toContain('data:image/png;base64,');
    expect(answerOf(interaction.token)).toMatch(/^Echo: Ini gambar apa\?/);
  });

  it('an unclear caption asks with buttons bound to the sender; a stranger’s press is refused, the owner’s acts', async () => {
    const owner = person();
    const stranger = person();
    const image = h.discord.userAttachment('foto.png', 'image/png', PNG);
    const interaction = chatWithFile(owner, 'kucing oranye', image);
    await deliverDiscord(h, interaction);
    const original = h.discord.transcript(interaction.token).original!;
    expect(original.content).toBe('Edit gambar ini, atau tanya tentang gambarnya?');
    const call = h.discord.calls
      .filter((c) => c.method === 'PATCH' && c.route.includes(interaction.token))
      .at(-1)!;
    const buttons = (call.body!['components'] as { components: { custom_id: string }[] }[])[0]!.components;
    const [edit, ask] = buttons.map((b) => b.custom_id);
    expect(edit).toMatch(new RegExp(`^photo:edit:${owner}:`));
    expect(ask).toMatch(new RegExp(`^photo:ask:${owner}:`));

    const requests = h.openai.requests.length;
    const press = (user: string, customId: string) =>
      discordComponentPress({ applicationId: h.discord.applicationId, customId, userId: user, guildId });
    const refused = await deliverDiscord(h, press(stranger, ask!));
    expect(refused.body).toMatchObject({
      type: 4,
      data: { content: 'Tombol ini bukan untuk Anda.', flags: 64 },
    });
    // A stranger forging the button with their own id finds no image kept for them.
    const forged = await deliverDiscord(h, press(stranger, ask!.replace(owner, stranger)));
    expect(forged.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect((forged.body!['data'] as { content: string }).content).toMatch(/kedaluwarsa/);
    expect(h.openai.requests.length).toBe(requests);

    const pressed = press(owner, ask!);
    expect((await deliverDiscord(h, pressed)).status).toBe(202);
    expect(h.discord.transcript(pressed.token).responseType).toBe(7);
    expect(lastPrompt()).toContain('data:image/png;base64,');
    expect(answerOf(pressed.token)).toMatch(/^Echo: kucing oranye/);
    // The image was taken: a second press (a double click) does nothing more.
    const again = await deliverDiscord(h, press(owner, ask!));
    expect((again.body!['data'] as { content: string }).content).toMatch(/kedaluwarsa/);
    expect(h.openai.requests.length).toBe(requests + 1);
  });

  it('an image that is not one (wrong bytes) gets "could not be read" and costs nothing', async () => {
    const fake = h.discord.userAttachment('foto.png', 'image/png', Buffer.from('bukan gambar'));
    const requests = h.openai.requests.length;
    const interaction = chatWithFile(person(), 'Apa ini?', fake);
    await deliverDiscord(h, interaction);
    expect(answerOf(interaction.token)).toBe('Foto tidak bisa dibaca. Kirim ulang sebagai JPG atau PNG.');
    expect(h.openai.requests.length).toBe(requests);
  });
});

describe('the "Tanya AIport" message command', () => {
  it('answers a message’s document with its text as the question', async () => {
    const file = h.discord.userAttachment(
      'menu.md',
      'text/markdown',
      Buffer.from('# Menu\n- Nasi goreng Rp 25.000\n'),
    );
    const interaction = askAbout(person(), { content: 'Berapa harga nasi goreng?', attachments: [file] });
    await deliverDiscord(h, interaction);
    expect(lastPrompt()).toContain('Nasi goreng Rp 25.000');
    expect(answerOf(interaction.token)).toMatch(/^Echo: Berapa harga nasi goreng\?/);
  });

  it('a sticker gets a short reply; an image without text says what to add; plain text is a chat turn', async () => {
    const sticker = await deliverDiscord(
      h,
      askAbout(person(), { sticker_items: [{ id: '749054660769218631', name: 'Wave', format_type: 1 }] }),
    );
    expect(sticker.body).toMatchObject({
      type: 4,
      data: { content: expect.stringMatching(/^Stiker yang bagus!/) },
    });

    const image = h.discord.userAttachment('foto.png', 'image/png', PNG);
    const downloads = h.discord.downloads();
    const captionless = askAbout(person(), { attachments: [image] });
    await deliverDiscord(h, captionless);
    expect(answerOf(captionless.token)).toMatch(/^Fotonya sudah saya terima/);
    expect(h.discord.downloads()).toBe(downloads);

    const text = askAbout(person(), { content: 'Apa ibu kota Jawa Barat?' });
    await deliverDiscord(h, text);
    expect(answerOf(text.token)).toMatch(/^Echo: Apa ibu kota Jawa Barat\?/);
  });
});
