import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { type ChildWorkers, childWorkers, jobRow, outputCount, until } from './media-child.js';
import { type MediaHarness, money, startMediaHarness } from './media-harness.js';

/**
 * A production worker process (`bin/main.ts --role workers`) killed with SIGKILL while its image job
 * waits on the upstream: another production worker recovers the stalled job and finishes it; the
 * account is charged once, one set of outputs.
 */

let h: MediaHarness;
let workers: ChildWorkers;
let started: ChildProcess[];

beforeAll(async () => {
  h = await startMediaHarness({ workers: false });
  workers = childWorkers(h, TEST_REDIS_URL);
  // Booted before the test's clock starts: the test itself times only the crash and the recovery.
  started = await Promise.all([workers.start(), workers.start()]);
});
afterAll(async () => {
  workers.killAll();
  await h.close();
});

it('the provider call in flight is redone by another worker; charged once, one set of outputs', async () => {
  const { accountId } = await h.account(10_000);
  h.openai.setLatency(15_000);
  const job = await h.media.submitImage({
    accountId,
    channel: 'api',
    model: 'gpt-image-1',
    prompt: 'a kite',
    n: 2,
  });
  await until(
    () => jobRow(h, job.id),
    (row) => row.status === 'running',
  );
  // Whichever worker took the job is waiting on the slow upstream: kill it there.
  const task = await until(
    async () => h.queues.queues.get('generation')!.getJob(job.id),
    (t) => t?.processedBy !== undefined,
  );
  const holder = started.find((c) => workers.holds(c, task!.processedBy))!;
  const survivor = started.find((c) => c !== holder)!;
  h.openai.setLatency(0);
  await workers.kill(holder);
  expect((await jobRow(h, job.id)).status).toBe('running');

  const done = await until(
    () => jobRow(h, job.id),
    (row) => row.status === 'succeeded',
  );
  expect(done.cost_mrp).toBe(1_400_000n);
  expect(await outputCount(h, job.id)).toBe(2);
  expect(await money(h, accountId)).toMatchObject({
    charges: [1_400_000n],
    heldMrp: 0n,
    balanceMrp: 8_600_000n,
  });
  expect(await h.core.ledger.verify(accountId)).toEqual([]);
  await workers.kill(survivor);
});
