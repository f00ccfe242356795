import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TaskContext } from '../../core/ports/queue.js';
import { jobRow, outputCount } from './media-child.js';
import { type MediaHarness, money, startMediaHarness } from './media-harness.js';

/**
 * BullMQ delivers at least once: the same task may run twice, even at the same time (a stalled job
 * picked up while the first run still lives). The job row is the guard: one charge, one set of files,
 * one upstream task.
 */

let h: MediaHarness;
const context: TaskContext = { attemptsMade: 0, isFinalAttempt: false, updateProgress: async () => {} };

beforeAll(async () => {
  h = await startMediaHarness({ workers: false, pollsPerStep: 1 });
});
afterAll(() => h.close());

it('an image task run twice at once charges once and records its outputs once', async () => {
  const { accountId } = await h.account(10_000);
  const job = await h.media.submitImage({
    accountId,
    channel: 'api',
    model: 'gpt-image-1',
    prompt: 'twice',
    n: 3,
  });
  await Promise.all([
    h.media.runner.generate({ jobId: job.id }, context),
    h.media.runner.generate({ jobId: job.id }, context),
  ]);
  await h.media.runner.generate({ jobId: job.id }, context);
  expect(await jobRow(h, job.id)).toMatchObject({ status: 'succeeded', cost_mrp: 2_100_000n });
  expect(await outputCount(h, job.id)).toBe(3);
  expect(await money(h, accountId)).toMatchObject({ charges: [2_100_000n], heldMrp: 0n });
});

it('a task job run twice submits one upstream task; duplicate polls finish it once', async () => {
  const { accountId } = await h.account(20_000);
  const job = await h.media.submitVideo({
    accountId,
    channel: 'api',
    model: 'wan-t2v',
    prompt: 'twice',
    seconds: 10,
  });
  await h.media.runner.generate({ jobId: job.id }, context);
  await h.media.runner.generate({ jobId: job.id }, context);
  const creates = () => h.runninghub.requests.filter((r) => r.path === '/task/openapi/create').length;
  expect(creates()).toBe(1);
  for (let round = 1; (await jobRow(h, job.id)).status !== 'succeeded'; round += 1) {
    await Promise.all([
      h.media.runner.poll({ jobId: job.id, round }, context),
      h.media.runner.poll({ jobId: job.id, round, hook: true }, context),
    ]);
  }
  expect(await outputCount(h, job.id)).toBe(1);
  expect(await money(h, accountId)).toMatchObject({ charges: [15_000_000n], heldMrp: 0n });
  expect(creates()).toBe(1);
});

it('a transient failure while polling a paid task only delays it; a task that failed upstream releases the hold', async () => {
  const { accountId } = await h.account(20_000);
  const job = await h.media.submitVideo({
    accountId,
    channel: 'api',
    model: 'wan-t2v',
    prompt: 'slow',
    seconds: 5,
  });
  await h.media.runner.generate({ jobId: job.id }, context);
  h.runninghub.failNextHttp(502, 2);
  const last: TaskContext = { ...context, isFinalAttempt: true };
  await h.media.runner.poll({ jobId: job.id, round: 1 }, last);
  await h.media.runner.poll({ jobId: job.id, round: 2 }, last);
  expect(await jobRow(h, job.id)).toMatchObject({ status: 'running' });
  for (let round = 3; (await jobRow(h, job.id)).status === 'running'; round += 1) {
    await h.media.runner.poll({ jobId: job.id, round }, context);
  }
  expect((await jobRow(h, job.id)).status).toBe('succeeded');

  h.runninghub.failNextTask();
  const doomed = await h.media.submitVideo({
    accountId,
    channel: 'api',
    model: 'wan-t2v',
    prompt: 'oom',
    seconds: 5,
  });
  await h.media.runner.generate({ jobId: doomed.id }, context);
  for (let round = 1; (await jobRow(h, doomed.id)).status === 'running'; round += 1) {
    await h.media.runner.poll({ jobId: doomed.id, round }, context);
  }
  const failed = await h.media.get(accountId, doomed.id);
  expect(failed).toMatchObject({ status: 'failed', costMrp: 0n });
  expect(failed.error?.message).toMatch(/CUDA out of memory/);
  expect(await money(h, accountId)).toMatchObject({ charges: [7_500_000n], heldMrp: 0n });
});
