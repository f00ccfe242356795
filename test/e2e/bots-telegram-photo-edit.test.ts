import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_TASKS } from '../../core/media/index.js';
import type { TaskContext } from '../../core/ports/queue.js';
import { mediaTaskRegistry } from '../../workers/generation/index.js';
import { FAKE_OPENAI_KEY } from '../fakes/openai.js';
import { type FakeOpenAIImages, startFakeOpenAIImages } from '../fakes/openai-images.js';
import {
  type BotsHarness,
  deliverTelegram,
  newTelegramId,
  startBotsHarness,
  type TelegramUser,
  telegramTextUpdate,
} from './bots-harness.js';

/**
 * Photos with a caption in Telegram: an edit request becomes an image edit (charged once through
 * its media job, delivered as a photo), a question a vision turn, and an unclear caption asks with
 * two buttons. OpenAI is both fakes at once: a small router sends `/v1/images/*` to the images fake
 * and everything else to the chat fake.
 */

let h: BotsHarness;
let images: FakeOpenAIImages;
let dataDir: string;
let chatUpstream = '';
let photo: Buffer;

const router = createServer((req, res) => {
  const target = new URL(req.url?.startsWith('/v1/images/') ? images.url : chatUpstream);
  const upstream = request(
    { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => res.destroy());
  req.pipe(upstream);
});

beforeAll(async () => {
  images = await startFakeOpenAIImages({ apiKey: FAKE_OPENAI_KEY });
  await new Promise<void>((resolve) => router.listen(0, '127.0.0.1', resolve));
  const { port } = router.address() as AddressInfo;
  dataDir = await mkdtemp(join(tmpdir(), 'aiport-photo-edit-'));
  h = await startBotsHarness({ OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`, DATA_DIR: dataDir });
  chatUpstream = h.openai.url;
  photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3366cc' } })
    .png()
    .toBuffer();
});
afterAll(async () => {
  await h.close();
  router.closeAllConnections();
  await new Promise((resolve) => router.close(resolve));
  await images.close();
  await rm(dataDir, { recursive: true, force: true });
});

const context: TaskContext = { attemptsMade: 0, isFinalAttempt: false, updateProgress: async () => {} };

function photoUpdate(user: TelegramUser, bytes: Buffer, caption: string) {
  const update = telegramTextUpdate(user, user.id, caption);
  const message = update['message'] as Record<string, unknown>;
  delete message['text'];
  message['caption'] = caption;
  const fileId = h.telegram.addFile(bytes);
  message['photo'] = [
    { file_id: `${fileId}-small`, file_unique_id: `s${fileId}`, width: 8, height: 6 },
    { file_id: fileId, file_unique_id: `u${fileId}`, width: 64, height: 48 },
  ];
  return update;
}

let nextPress = 1;
/** The user presses a button of the bot's message, as Telegram reports it. */
function press(user: TelegramUser, messageId: number, data: string) {
  const n = nextPress++;
  return deliverTelegram(h, {
    update_id: Number(`9${n}${user.id}`.slice(0, 15)),
    callback_query: {
      id: `cb-${n}-${user.id}`,
      from: { id: user.id, is_bot: false, first_name: user.first_name },
      chat_instance: 'photo',
      data,
      message: { message_id: messageId, date: 0, chat: { id: user.id, type: 'private' } },
    },
  });
}

async function accountOf(user: TelegramUser): Promise<string> {
  const [row] = await h.app.database.sql<{ account_id: string }[]>`
    SELECT account_id FROM identities WHERE platform = 'telegram' AND external_id = ${String(user.id)}`;
  return row!.account_id;
}

async function editJobs(accountId: string): Promise<string[]> {
  const rows = await h.app.database.sql<{ id: string }[]>`
    SELECT id FROM jobs WHERE account_id = ${accountId} AND kind = 'image_edit' ORDER BY created_at`;
  return rows.map((r) => r.id);
}

/** Runs the worker's generation and delivery steps for a job, as the worker process would. */
async function runWorker(jobId: string, deliveries = 1): Promise<void> {
  const registry = mediaTaskRegistry({ media: h.app.container.core.media!, deliver: h.bots.deliverMedia });
  await registry.processors.generation![QUEUE_TASKS.generate]!({ jobId }, context);
  for (let i = 0; i < deliveries; i++) {
    await registry.processors.delivery![QUEUE_TASKS.deliver]!({ jobId }, context);
  }
}

async function charges(jobId: string): Promise<bigint[]> {
  const rows = await h.app.database.sql<{ amount_mrp: bigint }[]>`
    SELECT e.amount_mrp FROM ledger_entries e JOIN jobs j ON e.idempotency_key = 'hold:' || j.hold_id::text
    WHERE j.id = ${jobId}`;
  return rows.map((r) => r.amount_mrp);
}

function buttonsOf(message: { replyMarkup?: unknown }): { text: string; callback_data: string }[] {
  const markup = message.replyMarkup as { inline_keyboard: { text: string; callback_data: string }[][] };
  return markup.inline_keyboard.flat();
}

describe('Telegram photo with an edit request', () => {
  it('queues an image edit of the largest size, then delivers the photo with its cost, charged once', async () => {
    const user = { id: newTelegramId(), first_name: 'Edit' };
    const chatRequests = h.openai.requests.length;
    await deliverTelegram(h, photoUpdate(user, photo, 'Ubah latarnya jadi merah'));
    const transcript = h.telegram.transcript(user.id);
    expect(transcript.messages.at(-1)!.text).toBe('Sedang membuat gambar…');
    expect(transcript.actions).toContain('upload_photo');
    expect(h.openai.requests.length).toBe(chatRequests);
    const accountId = await accountOf(user);
    const [jobId] = await editJobs(accountId);
    expect(jobId).toBeDefined();

    // Delivered twice (the queue is at-least-once): one photo-edit request upstream, one charge.
    const editsBefore = images.requests.filter((r) => r.path === '/v1/images/edits').length;
    await runWorker(jobId!, 2);
    const edits = images.requests.filter((r) => r.path === '/v1/images/edits');
    expect(edits.length).toBe(editsBefore + 1);
    expect(edits.at(-1)!.fields['prompt']).toBe('Ubah latarnya jadi merah');
    expect(edits.at(-1)!.files).toHaveLength(1);
    const delivered = transcript.messages.at(-1)!;
    expect(delivered.kind).toBe('photo');
    expect(delivered.text).toBe(`${h.app.container.core.catalog.defaults.image} · biaya Rp 700`);
    expect(await charges(jobId!)).toEqual([-700_000n]);
    expect((await h.app.container.core.ledger.balance(accountId)).balanceMrp).toBe(5_000_000n - 700_000n);
    expect(await h.app.container.core.ledger.verify(accountId)).toEqual([]);
  });

  it('refuses a photo that cannot be decoded with the localized message, and charges nothing', async () => {
    const user = { id: newTelegramId(), first_name: 'Rusak', language_code: 'en' };
    const editsBefore = images.requests.length;
    await deliverTelegram(h, photoUpdate(user, Buffer.from('not an image at all, sorry'), 'make it blue'));
    expect(h.telegram.transcript(user.id).messages.at(-1)!.text).toBe(
      'That photo could not be read. Please send it again as JPG or PNG.',
    );
    const accountId = await accountOf(user);
    expect(await editJobs(accountId)).toEqual([]);
    expect(images.requests.length).toBe(editsBefore);
    expect((await h.app.container.core.ledger.balance(accountId)).balanceMrp).toBe(5_000_000n);
  });
});

describe('Redis isolation', () => {
  it("queues this app's jobs under its own REDIS_PREFIX, so other tests' workers never take them", () => {
    const prefix = h.app.container.config.REDIS_PREFIX;
    expect(prefix).not.toBe('aiport');
    for (const queue of h.app.container.queues.queues.values()) expect(queue.opts.prefix).toBe(prefix);
  });
});

describe('Telegram photo with a question', () => {
  it('answers with a vision turn and starts no edit', async () => {
    const user = { id: newTelegramId(), first_name: 'Tanya' };
    await deliverTelegram(h, photoUpdate(user, photo, 'Apa warna gambar ini?'));
    expect(h.telegram.transcript(user.id).messages.at(-1)!.text).toBe('Echo: Apa warna gambar ini?');
    const body = h.openai.requests.at(-1)!.body as { messages: { content: unknown }[] };
    expect(JSON.stringify(body.messages.at(-1)!.content)).toContain('data:image/png;base64,');
    expect(await editJobs(await accountOf(user))).toEqual([]);
  });
});

describe('Telegram photo with an unclear caption', () => {
  it('asks with two localized buttons; pressing "edit" queues the edit once', async () => {
    const user = { id: newTelegramId(), first_name: 'Ragu' };
    await deliverTelegram(h, photoUpdate(user, photo, 'kucing oranye'));
    const ask = h.telegram.transcript(user.id).messages.at(-1)!;
    expect(ask.text).toBe('Edit gambar ini, atau tanya tentang gambarnya?');
    const buttons = buttonsOf(ask);
    expect(buttons.map((b) => b.text)).toEqual(['Edit gambar', 'Tanya tentang gambar']);
    for (const button of buttons) expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);
    const accountId = await accountOf(user);
    expect(await editJobs(accountId)).toEqual([]);

    await press(user, ask.messageId, buttons[0]!.callback_data);
    expect(ask.text).toContain('✓ Edit gambar');
    expect(h.telegram.transcript(user.id).messages.at(-1)!.text).toBe('Sedang membuat gambar…');
    const [jobId] = await editJobs(accountId);
    await runWorker(jobId!);
    expect(h.telegram.transcript(user.id).messages.at(-1)!.kind).toBe('photo');
    expect(await charges(jobId!)).toEqual([-700_000n]);

    // A second press of the same button finds the photo gone: told so, nothing queued or charged.
    await press(user, ask.messageId, buttons[0]!.callback_data);
    expect(h.telegram.callsOf('answerCallbackQuery').at(-1)!.params['text']).toBe(
      'Pilihan ini sudah kedaluwarsa. Kirim ulang fotonya.',
    );
    expect(await editJobs(accountId)).toEqual([jobId]);
  });

  it('pressing "ask" answers about the photo, in English for an English user', async () => {
    const user = { id: newTelegramId(), first_name: 'Unsure', language_code: 'en' };
    await deliverTelegram(h, photoUpdate(user, photo, 'my cat'));
    const ask = h.telegram.transcript(user.id).messages.at(-1)!;
    const buttons = buttonsOf(ask);
    expect(buttons.map((b) => b.text)).toEqual(['Edit image', 'Ask about image']);
    await press(user, ask.messageId, buttons[1]!.callback_data);
    expect(h.telegram.transcript(user.id).messages.at(-1)!.text).toBe('Echo: my cat');
    const body = h.openai.requests.at(-1)!.body as { messages: { content: unknown }[] };
    expect(JSON.stringify(body.messages.at(-1)!.content)).toContain('data:image/png;base64,');
    expect(await editJobs(await accountOf(user))).toEqual([]);
  });

  it("another person's press finds nothing to act on", async () => {
    const owner = { id: newTelegramId(), first_name: 'Pemilik' };
    const other = { id: newTelegramId(), first_name: 'Orang lain' };
    await deliverTelegram(h, photoUpdate(owner, photo, 'pantai'));
    const ask = h.telegram.transcript(owner.id).messages.at(-1)!;
    const edit = buttonsOf(ask)[0]!.callback_data;
    await press(other, ask.messageId, edit);
    expect(await editJobs(await accountOf(other))).toEqual([]);
    expect(await editJobs(await accountOf(owner))).toEqual([]);
  });
});
