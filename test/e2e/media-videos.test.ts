import OpenAI, { toFile } from 'openai';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MediaHarness, money, startMediaHarness } from './media-harness.js';

/**
 * Videos end to end. RunningHub tasks here move only when the test says so, and the poll chain
 * waits a minute between checks, so every job below is finished by RunningHub's TASK_END callback
 * (confirmed by asking RunningHub) — the webhook path, not the polling one.
 */

let h: MediaHarness;

beforeAll(async () => {
  h = await startMediaHarness({ pollsPerStep: 0, pollIntervalMs: 60_000 });
});
afterAll(() => h.close());

type Video = Awaited<ReturnType<OpenAI['videos']['retrieve']>>;

async function until(client: OpenAI, id: string, done: (v: Video) => boolean): Promise<Video> {
  for (;;) {
    const video = await client.videos.retrieve(id);
    if (done(video)) return video;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The fake's task for our job, once the worker has submitted it. */
async function taskOf(jobId: string): Promise<string> {
  for (;;) {
    const [row] = await h.database.sql<{ provider_task_id: string | null }[]>`
      SELECT provider_task_id FROM jobs WHERE id = ${jobId}`;
    if (row?.provider_task_id) return row.provider_task_id;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('POST /v1/videos -> GET /v1/videos/:id -> content, with the openai SDK', () => {
  it('queues a text-to-video job, reports progress, finishes on the callback and serves the MP4', async () => {
    const { accountId, client } = await h.account(20_000);
    const created = await client.videos.create({
      model: 'wan-t2v' as never,
      prompt: 'waves on a beach at sunset',
      seconds: '5' as never,
      size: '1280x720',
    });
    expect(created).toMatchObject({ object: 'video', model: 'wan-t2v', status: 'queued', seconds: '5' });
    expect((await money(h, accountId)).heldMrp).toBe(7_500_000n);

    const taskId = await taskOf(created.id);
    expect(h.runninghub.tasks.get(taskId)!.nodeInfoList).toEqual(
      expect.arrayContaining([{ nodeId: '22', fieldName: 'num_frames', fieldValue: 80 }]),
    );
    const running = await until(client, created.id, (v) => v.status === 'in_progress');
    expect(running.progress).toBeLessThan(100);

    h.runninghub.finish(taskId);
    const done = await until(client, created.id, (v) => v.status === 'completed');
    expect(done).toMatchObject({ progress: 100, error: null, size: '1280x720' });
    expect(done.completed_at).toBeGreaterThan(0);

    const content = await client.videos.downloadContent(created.id);
    expect(content.headers.get('content-type')).toBe('video/mp4');
    const bytes = Buffer.from(await content.arrayBuffer());
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');

    const m = await money(h, accountId);
    expect(m).toMatchObject({ heldMrp: 0n, charges: [7_500_000n], balanceMrp: 12_500_000n });
    // The callback was confirmed by asking RunningHub, and the task was created exactly once.
    expect(
      h.runninghub.requests.filter(
        (r) => r.path === '/task/openapi/create' && r.body.workflowId === '1947926545896734000',
      ),
    ).toHaveLength(1);
  });

  it('takes an input_reference image (multipart), stripped of metadata before upload', async () => {
    const { accountId, client } = await h.account(20_000);
    const photo = await sharp({ create: { width: 64, height: 36, channels: 3, background: '#225588' } })
      .jpeg()
      .withExif({
        IFD0: { Artist: 'camera owner' },
        IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '6/1 12/1 0/1' },
      })
      .toBuffer();
    const created = await client.videos.create({
      model: 'wan-i2v' as never,
      prompt: 'the sea comes alive',
      input_reference: await toFile(photo, 'sea.jpg', { type: 'image/jpeg' }),
    });
    const taskId = await taskOf(created.id);
    const task = h.runninghub.tasks.get(taskId)!;
    const image = task.nodeInfoList.find((n) => n.nodeId === '37')!;
    const uploaded = h.runninghub.uploads.get(String(image.fieldValue))!;
    expect((await sharp(uploaded.bytes).metadata()).exif).toBeUndefined();
    expect(uploaded.bytes.includes(Buffer.from('camera owner'))).toBe(false);
    h.runninghub.finish(taskId);
    await until(client, created.id, (v) => v.status === 'completed');
    expect((await money(h, accountId)).charges).toEqual([10_000_000n]);
  });

  it('takes a JSON body as well (seconds as a number or a string)', async () => {
    const { secret, client } = await h.account(20_000);
    const response = await fetch(`${h.url}/v1/videos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'wan-t2v', prompt: 'clouds', seconds: 10, size: '720x1280' }),
    });
    expect(response.status).toBe(200);
    const video = (await response.json()) as { id: string; status: string; seconds: string; size: string };
    expect(video).toMatchObject({ status: 'queued', seconds: '10', size: '720x1280' });
    h.runninghub.finish(await taskOf(video.id));
    await until(client, video.id, (v) => v.status === 'completed');
  });

  it('ignores an unsigned callback that RunningHub does not confirm', async () => {
    const { client } = await h.account(20_000);
    const created = await client.videos.create({
      model: 'wan-t2v' as never,
      prompt: 'a forest',
      seconds: '5' as never,
    });
    const taskId = await taskOf(created.id);
    const forged = {
      event: 'TASK_END',
      taskId,
      eventData: JSON.stringify({
        code: 0,
        msg: 'success',
        data: [{ fileUrl: 'http://evil.example/x.mp4', fileType: 'mp4' }],
      }),
    };
    const response = await fetch(`${h.url}/webhooks/runninghub`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(forged),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, advanced: false });
    expect((await client.videos.retrieve(created.id)).status).toBe('in_progress');
    const junk = await fetch(`${h.url}/webhooks/runninghub`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"event":"SOMETHING"}',
    });
    expect(junk.status).toBe(400);
    h.runninghub.finish(taskId);
    await until(client, created.id, (v) => v.status === 'completed');
  });

  it('a failed RunningHub task fails the job, releases the hold and says why', async () => {
    const { accountId, client } = await h.account(20_000);
    h.runninghub.failNextTask();
    const created = await client.videos.create({
      model: 'wan-t2v' as never,
      prompt: 'a storm',
      seconds: '10' as never,
    });
    const taskId = await taskOf(created.id);
    h.runninghub.finish(taskId);
    const failed = await until(client, created.id, (v) => v.status === 'failed');
    expect(failed.error?.message).toMatch(/CUDA out of memory/);
    expect(await money(h, accountId)).toMatchObject({ heldMrp: 0n, charges: [], balanceMrp: 20_000_000n });
    const content = (await client.videos
      .downloadContent(created.id)
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(content.status).toBe(409);
  });

  it('RunningHub error codes on create: a full queue is retried, an empty wallet fails the job', async () => {
    const { accountId, client } = await h.account(20_000);
    h.runninghub.failNextCreate(421);
    const retried = await client.videos.create({
      model: 'wan-t2v' as never,
      prompt: 'a city',
      seconds: '5' as never,
    });
    h.runninghub.finish(await taskOf(retried.id));
    await until(client, retried.id, (v) => v.status === 'completed');

    h.runninghub.failNextCreate(416);
    const broke = await client.videos.create({
      model: 'wan-t2v' as never,
      prompt: 'a city',
      seconds: '5' as never,
    });
    const failed = await until(client, broke.id, (v) => v.status === 'failed');
    expect(failed.error).toMatchObject({ code: 'upstream_error' });
    expect(failed.error?.message).toMatch(/NOT_ENOUGH_WALLET/);
    const [row] = await h.database.sql<{ error_code: string; status: string }[]>`
      SELECT error_code, status FROM jobs WHERE id = ${broke.id}`;
    expect(row).toMatchObject({ status: 'failed', error_code: 'upstream_error' });
    expect(await money(h, accountId)).toMatchObject({ heldMrp: 0n, charges: [7_500_000n] });
  });

  it("refuses bad input and hides other accounts' videos: 4xx, nothing held or stored", async () => {
    const { accountId, client } = await h.account(20_000);
    const other = await h.account(20_000);
    const theirs = await other.client.videos.create({
      model: 'wan-t2v' as never,
      prompt: 'mine',
      seconds: '5' as never,
    });
    const attempts: Array<[() => Promise<unknown>, number]> = [
      [() => client.videos.create({ model: 'wan-t2v' as never, prompt: 'x', seconds: '7' as never }), 400],
      [() => client.videos.create({ model: 'wan-t2v' as never, prompt: 'x', size: '640x480' as never }), 400],
      [() => client.videos.create({ model: 'wan-i2v' as never, prompt: 'x' }), 400],
      [() => client.videos.create({ model: 'wan-t2v' as never, prompt: 'x'.repeat(32_001) }), 400],
      [() => client.videos.retrieve('00000000-0000-4000-8000-000000000000'), 404],
      [() => client.videos.retrieve('not-a-video-id'), 404],
      [() => client.videos.retrieve(theirs.id), 404],
      [() => client.videos.downloadContent(theirs.id), 404],
    ];
    for (const [attempt, status] of attempts) {
      const error = (await attempt().catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect(error.status).toBe(status);
    }
    const [counts] = await h.database.sql<{ jobs: number; files: number }[]>`
      SELECT (SELECT count(*)::int FROM jobs WHERE account_id = ${accountId}) AS jobs,
             (SELECT count(*)::int FROM media_files WHERE account_id = ${accountId}) AS files`;
    expect(counts).toEqual({ jobs: 0, files: 0 });
    expect(await money(h, accountId)).toMatchObject({ heldMrp: 0n, balanceMrp: 20_000_000n });
  });
});
