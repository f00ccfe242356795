import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { isCoreError } from '../../core/errors.js';
import { createMediaService } from '../../core/media/index.js';
import { systemClock } from '../../core/ports/clock.js';
import type { QueueName, TaskProcessor } from '../../core/ports/queue.js';
import { createHttpClient } from '../../core/providers/shared/http.js';
import { createDatabase } from '../../db/index.js';
import { mediaTaskRegistry } from '../../workers/generation/index.js';
import { createBullQueues } from '../../workers/runtime/index.js';
import { mediaTestCatalog, mediaTestOptions, mediaTestPorts, meteredDeps } from './media-setup.js';

/**
 * A media worker as its own process, for the crash tests: they kill it with SIGKILL mid-job and
 * start another. It runs the media registry like the worker runtime does, but with a one-second
 * lock so a dead worker's job is recovered within the test's time rather than BullMQ's default 30 s.
 * Configured by the environment the test passes; prints "ready" once its workers listen.
 */

const env = process.env;
const required = (name: string): string => {
  const value = env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const db = createDatabase(required('DATABASE_URL'), { max: 5 });
const redis = new Redis(required('REDIS_URL'), { maxRetriesPerRequest: null });
const prefix = required('QUEUE_PREFIX');
const queues = createBullQueues(redis, prefix);
const http = createHttpClient();
const clock = systemClock;
const media = createMediaService(
  {
    db,
    clock,
    catalog: mediaTestCatalog(),
    ...meteredDeps(db, clock),
    ...mediaTestPorts({
      dataDir: required('DATA_DIR'),
      queue: queues,
      http,
      openaiUrl: required('OPENAI_URL'),
      runninghubUrl: required('RUNNINGHUB_URL'),
    }),
  },
  mediaTestOptions(required('PUBLIC_URL'), Number(env.POLL_INTERVAL_MS ?? '50')),
);
const registry = mediaTaskRegistry({ media });

const workers: Worker[] = [];
for (const [queue, processors] of Object.entries(registry.processors) as [
  QueueName,
  Record<string, TaskProcessor>,
][]) {
  const worker = new Worker(
    queue,
    async (job: Job) => {
      const processor = processors[job.name];
      if (processor === undefined) throw new UnrecoverableError(`no processor for ${job.name}`);
      const attempts = job.opts.attempts ?? 1;
      try {
        await processor(job.data as Record<string, unknown>, {
          attemptsMade: job.attemptsMade,
          isFinalAttempt: job.attemptsMade + 1 >= attempts,
          updateProgress: (percent) => job.updateProgress(percent),
        });
      } catch (error) {
        if (isCoreError(error) && !error.retryable) throw new UnrecoverableError(error.message);
        throw error;
      }
    },
    {
      connection: redis.duplicate(),
      prefix,
      // Lets a test find which process holds a job (BullMQ records it as the job's `processedBy`).
      name: `pid-${process.pid}`,
      concurrency: 4,
      lockDuration: 1_000,
      stalledInterval: 500,
      maxStalledCount: 5,
    },
  );
  worker.on('error', () => {});
  workers.push(worker);
}
await Promise.all(workers.map((w) => w.waitUntilReady()));
process.stdout.write('ready\n');

process.once('SIGTERM', async () => {
  await Promise.all(workers.map((w) => w.close()));
  await queues.close();
  redis.disconnect();
  await http.close();
  await db.close();
  process.exit(0);
});
