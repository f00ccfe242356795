import { randomInt } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG_PATH } from '../../core/catalog/index.js';
import { oggOpusVoice } from '../fakes/audio-samples.js';
import { discordInteraction, discordMessageCommand } from '../fakes/discord.js';
import {
  type BotsHarness,
  deliverDiscord,
  deliverSlack,
  deliverTelegram,
  newTelegramId,
  slackEventBody,
  startBotsHarness,
  telegramTextUpdate,
} from './bots-harness.js';

/**
 * Voice notes on every platform: transcribed by the speech-to-text model (the OpenAI fake hears
 * what the test audio says), shown as "🎤 …", then answered exactly as typed text; the ledger shows
 * the transcription (whole seconds × the per-second price) and the chat turn. Refusals (balance,
 * size, length) come before any download; without a model people are asked to type.
 */
let h: BotsHarness;

// gpt-4o-mini-transcribe in the shipped catalog: Rp 0,825 per second of audio.
const PER_SECOND_MRP = 825n;
const BOT_ID = 7000000001;

beforeAll(async () => {
  // Rp 100: enough for short voice notes and their answers, not for a hold on a long one.
  h = await startBotsHarness({ WELCOME_CREDIT_IDR: '100' });
});
afterAll(() => h.close());

type Person = { id: number; first_name: string; language_code?: string };

const texts = (chatId: number) => h.telegram.transcript(chatId).messages.map((m) => m.text);
const transcriptionCalls = () =>
  h.openai.requests.filter((r) => r.path === '/v1/audio/transcriptions').length;

function voiceUpdate(from: Person, chatId: number, voice: Record<string, unknown>, extra = {}) {
  const u = telegramTextUpdate(from, chatId, '');
  const message = u['message'] as Record<string, unknown>;
  delete message['text'];
  Object.assign(message, { voice, ...extra });
  return u;
}

function sentVoice(seconds: number, spoken: string) {
  const bytes = Buffer.from(oggOpusVoice({ seconds, spoken }));
  const fileId = h.telegram.addFile(bytes);
  return {
    file_id: fileId,
    file_unique_id: `u-${fileId}`,
    duration: seconds,
    mime_type: 'audio/ogg',
    file_size: bytes.length,
  };
}

async function accountOf(platform: string, externalId: string) {
  const [row] = await h.app.database.sql<{ account_id: string }[]>`
    SELECT account_id FROM identities WHERE platform = ${platform} AND external_id = ${externalId}`;
  return row!.account_id;
}

async function jobsOf(accountId: string) {
  return h.app.database.sql<{ kind: string; cost_mrp: bigint; units: number | null; status: string }[]>`
    SELECT kind, cost_mrp, units, status FROM jobs WHERE account_id = ${accountId} ORDER BY created_at`;
}

describe('Telegram voice notes', () => {
  it('a private voice note is transcribed, shown, answered as text, and billed per second exactly', async () => {
    const budi = { id: newTelegramId(), first_name: 'Budi' };
    await deliverTelegram(h, voiceUpdate(budi, budi.id, sentVoice(7, 'halo apa kabar')));
    expect(texts(budi.id)).toEqual(['🎤 “halo apa kabar”', 'Echo: halo apa kabar']);
    const upload = h.openai.requests.filter((r) => r.path === '/v1/audio/transcriptions').at(-1)!;
    // Telegram's .oga is sent as .ogg (the gpt-4o transcribe models refuse the .oga name).
    expect(upload.rawBytes.includes(Buffer.from('filename="audio.ogg"'))).toBe(true);
    const accountId = await accountOf('telegram', String(budi.id));
    const jobs = await jobsOf(accountId);
    expect(jobs.map((j) => [j.kind, j.status])).toEqual([
      ['transcription', 'succeeded'],
      ['chat', 'succeeded'],
    ]);
    expect(jobs[0]!.units).toBe(7);
    expect(jobs[0]!.cost_mrp).toBe(7n * PER_SECOND_MRP);
    const balance = await h.app.container.core.ledger.balance(accountId);
    expect(balance.balanceMrp).toBe(100_000n - 7n * PER_SECOND_MRP - jobs[1]!.cost_mrp);
    expect(balance.heldMrp).toBe(0n);
    expect(await h.app.container.core.ledger.verify(accountId)).toEqual([]);
    // The heard text is the conversation's: the next typed message carries it as history.
    await deliverTelegram(h, telegramTextUpdate(budi, budi.id, 'lanjut'));
    const chat = h.openai.requests.at(-1)!.body as { messages: { role: string }[] };
    expect(JSON.stringify(chat.messages)).toContain('halo apa kabar');
  });

  it('refuses before downloading: too little balance (privately), too large, too long', async () => {
    const sari = { id: newTelegramId(), first_name: 'Sari', language_code: 'en' };
    const before = transcriptionCalls();
    const getFiles = h.telegram.callsOf('getFile').length;
    // Stated 2 MB: the hold is the model's longest audio, 600 s × Rp 0,825 = Rp 495 > Rp 100.
    const big = { file_id: 'never-downloaded', file_unique_id: 'n', duration: 20, file_size: 2_000_000 };
    await deliverTelegram(h, voiceUpdate(sari, sari.id, big));
    const huge = { ...big, file_size: 30_000_000 };
    await deliverTelegram(h, voiceUpdate(sari, sari.id, huge));
    const long = { ...big, duration: 900, file_size: 100_000 };
    await deliverTelegram(h, voiceUpdate(sari, sari.id, long));
    expect(texts(sari.id)).toEqual([
      expect.stringMatching(/^Insufficient balance/i),
      'That audio file is too large (at most 20 MB). Send a shorter one or type your message.',
      'That voice message is too long (at most 600 seconds). Send a shorter one or type it.',
    ]);
    expect(transcriptionCalls()).toBe(before);
    expect(h.telegram.callsOf('getFile').length).toBe(getFiles);
    const accountId = await accountOf('telegram', String(sari.id));
    expect(await jobsOf(accountId)).toEqual([]);
    expect((await h.app.container.core.ledger.balance(accountId)).balanceMrp).toBe(100_000n);
  });

  it('an upstream failure is not billed, and the person is told', async () => {
    const dewi = { id: newTelegramId(), first_name: 'Dewi' };
    h.openai.enqueue({ status: 500 }, 2);
    await deliverTelegram(h, voiceUpdate(dewi, dewi.id, sentVoice(3, 'coba lagi')));
    expect(texts(dewi.id)).toHaveLength(1);
    expect(texts(dewi.id)[0]).not.toMatch(/^🎤/);
    const accountId = await accountOf('telegram', String(dewi.id));
    const jobs = await jobsOf(accountId);
    expect(jobs.map((j) => [j.kind, j.status, j.cost_mrp])).toEqual([['transcription', 'failed', 0n]]);
    expect((await h.app.container.core.ledger.balance(accountId)).balanceMrp).toBe(100_000n);
  });

  it('in a group of two: a stranger’s voice note is ignored; one replying to the bot is answered', async () => {
    const budi = { id: newTelegramId(), first_name: 'Budi' };
    const sari = { id: newTelegramId(), first_name: 'Sari' };
    const group = -newTelegramId();
    const before = transcriptionCalls();
    await deliverTelegram(h, voiceUpdate(sari, group, sentVoice(2, 'rahasia kami')));
    expect(texts(group)).toEqual([]);
    expect(transcriptionCalls()).toBe(before);
    await deliverTelegram(h, telegramTextUpdate(budi, group, '@aiport_test_bot halo'));
    const botMessage = h.telegram.transcript(group).messages.at(-1)!;
    const reply = {
      reply_to_message: {
        message_id: botMessage.messageId,
        date: 0,
        chat: { id: group, type: 'supergroup' },
        from: { id: BOT_ID, is_bot: true, first_name: 'AIport' },
      },
    };
    await deliverTelegram(h, voiceUpdate(budi, group, sentVoice(2, 'siapa kamu'), reply));
    expect(texts(group).slice(-2)).toEqual(['🎤 “siapa kamu”', 'Echo: siapa kamu']);
  });
});

describe('Slack audio files', () => {
  const ts = () => `${Math.floor(Date.now() / 1000)}.${String(randomInt(0, 999_999)).padStart(6, '0')}`;
  const id = (prefix: string) => `${prefix}${randomInt(10_000_000, 99_999_999)}`;
  const audio = (seconds: number, spoken: string) =>
    h.slack.shareFile(Buffer.from(oggOpusVoice({ seconds, spoken })), 'audio_message.ogg', 'audio/ogg');

  it('a DM with a voice clip is transcribed and answered in the same DM conversation, billed per second', async () => {
    const user = id('U');
    const channel = id('D');
    const event = {
      type: 'message',
      subtype: 'file_share',
      channel_type: 'im',
      channel,
      user,
      text: '',
      ts: ts(),
      files: [audio(4, 'jam berapa sekarang')],
    };
    await deliverSlack(h, slackEventBody(event), 'application/json');
    expect(h.slack.transcript(channel).map((m) => m.text)).toEqual([
      '🎤 “jam berapa sekarang”',
      'Echo: jam berapa sekarang',
    ]);
    const accountId = await accountOf('slack', `T0FAKE:${user}`);
    const jobs = await jobsOf(accountId);
    expect(jobs.map((j) => [j.kind, j.units ?? null])).toEqual([
      ['transcription', 4],
      ['chat', null],
    ]);
    expect(jobs[0]!.cost_mrp).toBe(4n * PER_SECOND_MRP);
    const balance = await h.app.container.core.ledger.balance(accountId);
    expect(balance.balanceMrp).toBe(100_000n - 4n * PER_SECOND_MRP - jobs[1]!.cost_mrp);
  });

  it('in a channel: a clip without a mention is ignored; with one, too little balance is told only to its sender', async () => {
    const [budi, channel] = [id('U'), id('C')];
    const before = transcriptionCalls();
    const shared = { subtype: 'file_share', channel_type: 'channel', channel, user: budi, ts: ts() };
    await deliverSlack(
      h,
      slackEventBody({ type: 'message', ...shared, text: '', files: [audio(2, 'abaikan')] }),
      'application/json',
    );
    expect(h.slack.messages.filter((m) => m.channel === channel)).toHaveLength(0);
    // Stated 2 MB: the hold (600 s × Rp 0,825) is more than the Rp 100 welcome credit.
    const big = { ...audio(2, 'mahal'), size: 2_000_000 };
    await deliverSlack(
      h,
      slackEventBody({ type: 'app_mention', channel, user: budi, text: '<@U0BOT>', ts: ts(), files: [big] }),
      'application/json',
    );
    expect(h.slack.messages.filter((m) => m.channel === channel)).toHaveLength(0);
    expect(h.slack.ephemerals.filter((e) => e.channel === channel)).toEqual([
      expect.objectContaining({ user: budi, text: expect.stringMatching(/^Saldo tidak cukup/) }),
    ]);
    expect(transcriptionCalls()).toBe(before);
  });
});

describe('Discord voice messages and audio attachments', () => {
  const guildId = '400000000000000012';
  const person = () => String(randomInt(1, 2 ** 40) * 1000 + 9);
  /** A voice message as Discord describes it: an Ogg Opus attachment with `duration_secs`, flag 8192. */
  const voiceMessage = (seconds: number, spoken: string, statedSize?: number) => ({
    ...h.discord.userAttachment(
      'voice-message.ogg',
      'audio/ogg',
      Buffer.from(oggOpusVoice({ seconds, spoken })),
      statedSize === undefined ? {} : { statedSize },
    ),
    duration_secs: seconds,
    waveform: 'AAAA',
  });
  const askAbout = (user: string, attachment: unknown) =>
    discordMessageCommand({
      applicationId: h.discord.applicationId,
      name: 'Tanya AIport',
      message: { content: '', attachments: [attachment], flags: 8192 },
      userId: user,
      guildId,
    });
  const answerOf = (token: string) => h.discord.transcript(token).original?.content;

  it('the message command on a voice message transcribes it and answers it like /chat, billed per second', async () => {
    const user = person();
    const interaction = askAbout(user, voiceMessage(5, 'selamat pagi semua'));
    expect((await deliverDiscord(h, interaction)).status).toBe(202);
    expect(answerOf(interaction.token)).toBe('Echo: selamat pagi semua');
    const accountId = await accountOf('discord', user);
    const jobs = await jobsOf(accountId);
    expect(jobs.map((j) => [j.kind, j.units ?? null])).toEqual([
      ['transcription', 5],
      ['chat', null],
    ]);
    expect(jobs[0]!.cost_mrp).toBe(5n * PER_SECOND_MRP);
    const balance = await h.app.container.core.ledger.balance(accountId);
    expect(balance.balanceMrp).toBe(100_000n - 5n * PER_SECOND_MRP - jobs[1]!.cost_mrp);
  });

  it('an audio file sent with /chat is transcribed too', async () => {
    const file = h.discord.userAttachment(
      'rekaman.ogg',
      'audio/ogg',
      Buffer.from(oggOpusVoice({ seconds: 3, spoken: 'berapa harga paket' })),
    );
    const interaction = discordInteraction({
      applicationId: h.discord.applicationId,
      name: 'chat',
      options: [
        { name: 'prompt', type: 3, value: 'dengarkan' },
        { name: 'file', type: 11, value: file.id },
      ],
      resolved: { attachments: { [file.id]: file } },
      userId: person(),
      guildId,
    });
    await deliverDiscord(h, interaction);
    expect(answerOf(interaction.token)).toBe('Echo: berapa harga paket');
  });

  it('too little balance is told only to the sender, before any download', async () => {
    const downloads = h.discord.downloads();
    const before = transcriptionCalls();
    const interaction = askAbout(person(), voiceMessage(2, 'mahal', 2_000_000));
    await deliverDiscord(h, interaction);
    const transcript = h.discord.transcript(interaction.token);
    expect(transcript.original!.deleted).toBe(true);
    expect(transcript.followUps[0]).toMatchObject({ flags: 64 });
    expect(transcript.followUps[0]!.content).toMatch(/^Saldo tidak cukup/);
    expect(h.discord.downloads()).toBe(downloads);
    expect(transcriptionCalls()).toBe(before);
  });
});

describe('without a speech-to-text model', () => {
  let bare: BotsHarness;
  beforeAll(async () => {
    const catalog = JSON.parse(await readFile(DEFAULT_CATALOG_PATH, 'utf8'));
    delete catalog.defaults.transcription;
    const dir = await mkdtemp(join(tmpdir(), 'aiport-voice-'));
    const file = join(dir, 'catalog.json');
    await writeFile(file, JSON.stringify(catalog));
    bare = await startBotsHarness({ CATALOG_FILE: file });
  });
  afterAll(() => bare.close());

  it('asks politely to type it, downloading nothing', async () => {
    const person = { id: newTelegramId(), first_name: 'Tono' };
    const voice = { file_id: 'v-none', file_unique_id: 'v', duration: 4, mime_type: 'audio/ogg' };
    await deliverTelegram(bare, voiceUpdate(person, person.id, voice));
    expect(bare.telegram.transcript(person.id).messages.map((m) => m.text)).toEqual([
      'Maaf, pesan suara belum bisa saya dengar. Silakan ketik pesannya.',
    ]);
    expect(bare.telegram.callsOf('getFile')).toEqual([]);
    expect(bare.openai.requests).toEqual([]);
  });
});
