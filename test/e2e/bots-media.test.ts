import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_TASKS } from '../../core/media/index.js';
import type { TaskContext } from '../../core/ports/queue.js';
import { mediaTaskRegistry } from '../../workers/generation/index.js';
import { discordInteraction } from '../fakes/discord.js';
import {
  FAKE_OPENAI_IMAGES_KEY,
  type FakeOpenAIImages,
  startFakeOpenAIImages,
} from '../fakes/openai-images.js';
import {
  type BotsHarness,
  deliverDiscord,
  deliverSlack,
  deliverTelegram,
  newTelegramId,
  startBotsHarness,
  telegramTextUpdate,
} from './bots-harness.js';

let h: BotsHarness;
let images: FakeOpenAIImages;
let dataDir: string;

beforeAll(async () => {
  images = await startFakeOpenAIImages();
  dataDir = await mkdtemp(join(tmpdir(), 'aiport-bots-media-'));
  // OpenAI here is the images fake: these tests generate images, not chat answers.
  h = await startBotsHarness({
    OPENAI_API_KEY: FAKE_OPENAI_IMAGES_KEY,
    OPENAI_BASE_URL: `${images.url}/v1`,
    DATA_DIR: dataDir,
  });
});
afterAll(async () => {
  await h.close();
  await images.close();
  await rm(dataDir, { recursive: true, force: true });
});

const context: TaskContext = { attemptsMade: 0, isFinalAttempt: false, updateProgress: async () => {} };

/** Runs the worker's processors for the account's latest media job, as the worker process would. */
async function runWorker(accountId: string, options: { deliveries?: number } = {}): Promise<string> {
  const [job] = await h.app.database.sql<{ id: string }[]>`
    SELECT id FROM jobs WHERE account_id = ${accountId} AND kind = 'image' ORDER BY created_at DESC LIMIT 1`;
  const registry = mediaTaskRegistry({ media: h.app.container.core.media!, deliver: h.bots.deliverMedia });
  await registry.processors.generation![QUEUE_TASKS.generate]!({ jobId: job!.id }, context);
  for (let i = 0; i < (options.deliveries ?? 1); i++) {
    await registry.processors.delivery![QUEUE_TASKS.deliver]!({ jobId: job!.id }, context);
  }
  return job!.id;
}

async function accountOf(platform: string, externalId: string): Promise<string> {
  const [row] = await h.app.database.sql<{ account_id: string }[]>`
    SELECT account_id FROM identities WHERE platform = ${platform} AND external_id = ${externalId}`;
  return row!.account_id;
}

async function charges(jobId: string): Promise<bigint[]> {
  const rows = await h.app.database.sql<{ amount_mrp: bigint }[]>`
    SELECT e.amount_mrp FROM ledger_entries e JOIN jobs j ON e.idempotency_key = 'hold:' || j.hold_id::text
    WHERE j.id = ${jobId}`;
  return rows.map((r) => r.amount_mrp);
}

describe('/image', () => {
  it('Discord: defers, then the delivery edits @original with the image attached, charged once', async () => {
    const userId = String(Date.now());
    const interaction = discordInteraction({
      applicationId: h.discord.applicationId,
      name: 'image',
      options: [{ name: 'prompt', type: 3, value: 'kucing oranye di sofa' }],
      userId,
    });
    expect((await deliverDiscord(h, interaction)).status).toBe(202);
    const accountId = await accountOf('discord', userId);
    // Delivered twice (the queue is at-least-once): still one charge.
    const jobId = await runWorker(accountId, { deliveries: 2 });
    const original = h.discord.transcript(interaction.token).original!;
    expect(original.attachments).toHaveLength(1);
    expect(original.attachments[0]!.bytes.length).toBeGreaterThan(0);
    expect(original.content).toBe(`${h.app.container.core.catalog.defaults.image} · biaya Rp 700`);
    expect(await charges(jobId)).toEqual([-700_000n]);
    expect((await h.app.container.core.ledger.balance(accountId)).balanceMrp).toBe(5_000_000n - 700_000n);
  });

  it('Discord: a result ready after the 15-minute interaction token is posted to the channel as the bot, mentioning only the asker', async () => {
    const userId = String(Date.now() + 1);
    const interaction = discordInteraction({
      applicationId: h.discord.applicationId,
      name: 'image',
      options: [{ name: 'prompt', type: 3, value: 'ombak di pantai, @everyone' }],
      userId,
      guildId: '400000000000000001',
    });
    expect((await deliverDiscord(h, interaction)).status).toBe(202);
    // The job outlives the interaction token (virtual time on Discord's side).
    h.discord.advanceTime(16 * 60_000);
    const jobId = await runWorker(await accountOf('discord', userId));
    const posted = h.discord.channelMessages(String(interaction['channel_id'])).at(-1)!;
    expect(posted.content).toBe(`<@${userId}> ${h.app.container.core.catalog.defaults.image} · biaya Rp 700`);
    expect(posted.pinged).toEqual({ everyone: false, users: [userId] });
    expect(posted.attachments).toHaveLength(1);
    expect(h.discord.transcript(interaction.token).original!.attachments).toHaveLength(0);
    expect(await charges(jobId)).toEqual([-700_000n]);
  });

  it('Telegram: says it is working, then the photo arrives with the cost in the caption', async () => {
    const user = { id: newTelegramId(), first_name: 'Gambar' };
    await deliverTelegram(h, telegramTextUpdate(user, user.id, '/image pemandangan gunung'));
    const transcript = h.telegram.transcript(user.id);
    expect(transcript.messages.at(-1)!.text).toMatch(/Membuat gambar|gambar/i);
    const jobId = await runWorker(await accountOf('telegram', String(user.id)));
    const photo = transcript.messages.at(-1)!;
    expect(photo.kind).toBe('photo');
    // The "working on it" notice is replaced by the result.
    expect(transcript.messages.filter((m) => !m.deleted).map((m) => m.kind)).toEqual(['photo']);
    expect(photo.text).toBe(`${h.app.container.core.catalog.defaults.image} · biaya Rp 700`);
    expect(await charges(jobId)).toEqual([-700_000n]);
  });

  it('Telegram: a failed image replaces the notice with a failure that names the medium, uncharged', async () => {
    const user = { id: newTelegramId(), first_name: 'Gagal' };
    images.failNext({ status: 400, message: 'Invalid prompt' });
    await deliverTelegram(h, telegramTextUpdate(user, user.id, '/image sesuatu'));
    const accountId = await accountOf('telegram', String(user.id));
    const jobId = await runWorker(accountId);
    const visible = h.telegram.transcript(user.id).messages.filter((m) => !m.deleted);
    expect(visible.map((m) => m.text)).toEqual([
      'Gambar gagal dibuat. Saldo tidak dipotong. Silakan coba lagi.',
    ]);
    expect(await charges(jobId)).toEqual([]);
    expect((await h.app.container.core.ledger.balance(accountId)).balanceMrp).toBe(5_000_000n);
  });

  it('Slack: /aiport image shares the file in a thread under the request (upload v2)', async () => {
    const userId = `U${Date.now()}`;
    const responseUrl = h.slack.createResponseUrl();
    const form = new URLSearchParams({
      team_id: 'T0FAKE',
      channel_id: 'C0IMAGES',
      user_id: userId,
      command: '/aiport',
      text: 'image kota di malam hari',
      response_url: responseUrl,
      trigger_id: '1.2.3',
    }).toString();
    const ack = await deliverSlack(h, form, 'application/x-www-form-urlencoded');
    expect(ack.status).toBe(200);
    const [root] = h.slack.transcript('C0IMAGES');
    await runWorker(await accountOf('slack', `T0FAKE:${userId}`));
    const [shared] = h.slack.transcript('C0IMAGES', root!.ts);
    expect(shared!.files).toHaveLength(1);
    expect(shared!.files[0]!.bytes!.length).toBeGreaterThan(0);
    expect(shared!.text).toBe(`${h.app.container.core.catalog.defaults.image} · biaya Rp 700`);
  });

  it('asks for a prompt when there is none, and charges nothing', async () => {
    const user = { id: newTelegramId(), first_name: 'Kosong' };
    await deliverTelegram(h, telegramTextUpdate(user, user.id, '/image'));
    expect(h.telegram.transcript(user.id).messages.at(-1)!.text).toMatch(/Tulis deskripsi gambarnya/);
    const [row] = await h.app.database.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM jobs WHERE account_id = ${await accountOf('telegram', String(user.id))}`;
    expect(row!.n).toBe(0);
  });
});
