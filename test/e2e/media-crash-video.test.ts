import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { type ChildWorkers, childWorkers, jobRow, outputCount, until } from './media-child.js';
import { type MediaHarness, money, startMediaHarness } from './media-harness.js';

/**
 * Two production worker processes (`bin/main.ts --role workers`) share a RunningHub video job; one
 * is killed with SIGKILL while the task runs. The survivor keeps polling the same upstream task
 * (submitted once) and finishes the job.
 */

let h: MediaHarness;
let workers: ChildWorkers;
let first: ChildProcess;
let second: ChildProcess;

beforeAll(async () => {
  h = await startMediaHarness({ workers: false, pollsPerStep: 0 });
  workers = childWorkers(h, TEST_REDIS_URL);
  // Booted before the test's clock starts: the test itself times only the crash and the recovery.
  [first, second] = await Promise.all([workers.start(), workers.start()]);
});
afterAll(async () => {
  workers.killAll();
  await h.close();
});

it('the RunningHub task is submitted once; the surviving worker polls the same task to the end', async () => {
  const { accountId } = await h.account(20_000);
  const job = await h.media.submitVideo({
    accountId,
    channel: 'api',
    model: 'wan-t2v',
    prompt: 'rain',
    seconds: 5,
  });
  const taskId = (
    await until(
      () => jobRow(h, job.id),
      (row) => row.provider_task_id !== null,
    )
  ).provider_task_id!;
  const polls = () =>
    h.runninghub.requests.filter((r) => r.path === '/task/openapi/status' && r.body.taskId === taskId).length;
  await until(
    async () => polls(),
    (n) => n >= 3,
  );
  await workers.kill(first);
  const after = polls();
  await until(
    async () => polls(),
    (n) => n >= after + 2,
  );
  h.runninghub.finish(taskId);

  await until(
    () => jobRow(h, job.id),
    (row) => row.status === 'succeeded',
  );
  const creates = h.runninghub.requests.filter((r) => r.path === '/task/openapi/create');
  expect(creates).toHaveLength(1);
  expect(await outputCount(h, job.id)).toBe(1);
  expect(await money(h, accountId)).toMatchObject({ charges: [7_500_000n], heldMrp: 0n });
  await workers.kill(second);
});
