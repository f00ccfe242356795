import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueName, TaskContext } from '../../core/ports/queue.js';
import { mediaTaskRegistry } from '../../workers/generation/index.js';
import { discordInteraction } from '../fakes/discord.js';
import { FAKE_RUNNINGHUB_KEY, type FakeRunningHub, startFakeRunningHub } from '../fakes/runninghub.js';
import {
  type BotsHarness,
  deliverDiscord,
  deliverSlack,
  deliverTelegram,
  newTelegramId,
  startBotsHarness,
  telegramTextUpdate,
} from './bots-harness.js';

/**
 * Videos from the bots report how they move along: the "queued" notice is edited to "being made"
 * once RunningHub reports the task running (RunningHub reports a status, not a percentage), and
 * the result, or a failure naming the medium, replaces that notice. The worker's tasks are read
 * from the real queue and run here, one at a time, so every step can be looked at.
 */
let h: BotsHarness;
let runninghub: FakeRunningHub;
let dataDir: string;

beforeAll(async () => {
  runninghub = await startFakeRunningHub({ pollsPerStep: 0, defaultOutputs: ['mp4'] });
  dataDir = await mkdtemp(join(tmpdir(), 'aiport-bots-progress-'));
  h = await startBotsHarness({
    RUNNINGHUB_API_KEY: FAKE_RUNNINGHUB_KEY,
    RUNNINGHUB_BASE_URL: runninghub.url,
    DATA_DIR: dataDir,
    WELCOME_CREDIT_IDR: '50000',
    // RunningHub's end-of-task callback goes nowhere: these tests drive the poll chain.
    PUBLIC_URL: 'http://127.0.0.1:9',
  });
});
afterAll(async () => {
  await h.close();
  await runninghub.close();
  await rm(dataDir, { recursive: true, force: true });
});

const context: TaskContext = { attemptsMade: 0, isFinalAttempt: false, updateProgress: async () => {} };
/** Tasks already run (the real queue keeps finished tasks, which is what dedupes repeats). */
const ran = new Set<string>();

/** Runs every task waiting in `queue` (delays skipped), as the worker would; returns their names. */
async function runQueue(queue: QueueName): Promise<string[]> {
  const registry = mediaTaskRegistry({
    media: h.app.container.core.media!,
    deliver: h.bots.deliverMedia,
    progress: h.bots.reportMediaProgress,
  });
  const bull = h.app.container.queues.queues.get(queue)!;
  const names: string[] = [];
  for (const job of await bull.getJobs(['waiting', 'delayed', 'prioritized'])) {
    if (ran.has(job.id!)) continue;
    ran.add(job.id!);
    names.push(job.name);
    await registry.processors[queue]![job.name]!(job.data as Record<string, unknown>, context);
  }
  return names.sort();
}

async function latestTask(): Promise<string> {
  const [row] = await h.app.database.sql<{ provider_task_id: string | null }[]>`
    SELECT provider_task_id FROM jobs WHERE kind = 'video' ORDER BY created_at DESC LIMIT 1`;
  return row!.provider_task_id!;
}

describe('video progress in the chat', () => {
  it('Telegram: queued -> being made -> the video replaces the notice; each step shown once', async () => {
    const user = { id: newTelegramId(), first_name: 'Video' };
    await deliverTelegram(h, telegramTextUpdate(user, user.id, '/video ombak di pantai'));
    const transcript = h.telegram.transcript(user.id);
    const notice = transcript.messages.at(-1)!;
    expect(notice.text).toMatch(/^Video masuk antrean/);

    expect(await runQueue('generation')).toEqual(['media.generate']);
    const taskId = await latestTask();
    // Still queued upstream: the notice already says so, nothing to edit.
    expect(await runQueue('generation')).toEqual(['media.poll']);
    expect(await runQueue('delivery')).toEqual([]);

    runninghub.advance(taskId);
    expect(await runQueue('generation')).toEqual(['media.poll']);
    expect(await runQueue('delivery')).toEqual(['media.progress']);
    expect(notice.text).toBe('Video sedang dibuat…');
    // Another poll that finds it still running changes nothing the person sees.
    expect(await runQueue('generation')).toEqual(['media.poll']);
    expect(await runQueue('delivery')).toEqual([]);

    runninghub.advance(taskId);
    expect(await runQueue('generation')).toEqual(['media.poll']);
    expect(await runQueue('delivery')).toEqual(['media.deliver']);
    const visible = transcript.messages.filter((m) => !m.deleted);
    expect(visible.map((m) => m.kind)).toEqual(['video']);
    expect(visible[0]!.text).toMatch(/^wan-2\.2 · 5 detik · biaya Rp 7\.500$/);
    expect(notice.versions).toEqual([expect.stringMatching(/^Video masuk antrean/), 'Video sedang dibuat…']);
    expect(notice.deleted).toBe(true);
  });

  it('Telegram: a failed video replaces the notice with "Video gagal dibuat", uncharged', async () => {
    const user = { id: newTelegramId(), first_name: 'Gagal' };
    runninghub.failNextTask();
    await deliverTelegram(h, telegramTextUpdate(user, user.id, '/video hujan di kota'));
    await runQueue('generation');
    runninghub.finish(await latestTask());
    await runQueue('generation');
    await runQueue('delivery');
    const visible = h.telegram.transcript(user.id).messages.filter((m) => !m.deleted);
    expect(visible.map((m) => m.text)).toEqual([
      'Video gagal dibuat. Saldo tidak dipotong. Silakan coba lagi.',
    ]);
    const [account] = await h.app.database.sql<{ balance_mrp: bigint }[]>`
      SELECT a.balance_mrp FROM accounts a JOIN identities i ON i.account_id = a.id
      WHERE i.platform = 'telegram' AND i.external_id = ${String(user.id)}`;
    expect(account!.balance_mrp).toBe(50_000_000n);
  });

  it('Discord: @original goes queued -> being made -> the video', async () => {
    const userId = String(Date.now());
    const interaction = discordInteraction({
      applicationId: h.discord.applicationId,
      name: 'video',
      options: [{ name: 'prompt', type: 3, value: 'matahari terbit' }],
      userId,
      locale: 'en-US',
    });
    expect((await deliverDiscord(h, interaction)).status).toBe(202);
    const transcript = h.discord.transcript(interaction.token);
    expect(transcript.original!.content).toMatch(/^Your video is queued/);
    await runQueue('generation');
    const taskId = await latestTask();
    runninghub.advance(taskId);
    await runQueue('generation');
    await runQueue('delivery');
    expect(transcript.original!.content).toBe('Your video is being made…');
    runninghub.advance(taskId);
    await runQueue('generation');
    await runQueue('delivery');
    expect(transcript.original!.attachments).toHaveLength(1);
    expect(transcript.original!.content).toMatch(/^wan-2\.2 · 5 s · cost Rp 7,500$/);
  });

  it('Slack: the notice in the request’s thread is edited, then replaced by the file', async () => {
    const userId = `U${Date.now()}`;
    const form = new URLSearchParams({
      team_id: 'T0FAKE',
      channel_id: 'C0VIDEOS',
      user_id: userId,
      command: '/aiport',
      text: 'video kapal di laut',
      response_url: h.slack.createResponseUrl(),
      trigger_id: '1.2.3',
    }).toString();
    expect((await deliverSlack(h, form, 'application/x-www-form-urlencoded')).status).toBe(200);
    const [root] = h.slack.transcript('C0VIDEOS');
    const thread = () => h.slack.transcript('C0VIDEOS', root!.ts);
    expect(thread().map((m) => m.text)).toEqual([expect.stringMatching(/^Video masuk antrean/)]);
    await runQueue('generation');
    const taskId = await latestTask();
    runninghub.advance(taskId);
    await runQueue('generation');
    await runQueue('delivery');
    expect(thread().map((m) => m.text)).toEqual(['Video sedang dibuat…']);
    runninghub.advance(taskId);
    await runQueue('generation');
    await runQueue('delivery');
    const [shared, ...rest] = thread();
    expect(rest).toHaveLength(0);
    expect(shared!.files).toHaveLength(1);
    expect(shared!.text).toMatch(/^wan-2\.2 · 5 detik · biaya Rp 7\.500$/);
  });
});
