import { hostname } from 'node:os';
import { type Job, type Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { isCoreError } from '../../core/errors.js';
import type { QueueName, TaskProcessor, TaskRegistry } from '../../core/ports/queue.js';
import { QUEUE_NAMES } from './bullmq-queue.js';

export interface WorkerOptions {
  connection: Redis;
  prefix?: string;
  logger: Logger;
  /** Parallel tasks per queue in this process. */
  concurrency?: Partial<Record<QueueName, number>>;
  /** Where repeatable tasks are scheduled (the queues of createBullQueues). */
  queues: Map<QueueName, Queue>;
  /**
   * How long a running task's lock lasts without renewal, and how often stalled tasks are looked for:
   * a task whose process died (or whose Redis restarted) runs again after about this long. BullMQ's
   * defaults (30 s) suit production; crash tests shorten them.
   */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export interface RunningWorkers {
  workers: Worker[];
  close(): Promise<void>;
}

/**
 * What a task's data keeps once its work is over (done, or failed for good): ids and counters only.
 * Prompts, chat targets and messages live in Redis as long as the task runs and not a moment
 * longer, even though BullMQ keeps finished tasks a while for inspection.
 */
const KEPT_AFTER_END = new Set(['jobId', 'round', 'hook']);

export function endedTaskData(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([key]) => KEPT_AFTER_END.has(key)));
}

async function forgetData(job: Job, logger: Logger): Promise<void> {
  const data = (job.data ?? {}) as Record<string, unknown>;
  const kept = endedTaskData(data);
  if (Object.keys(kept).length === Object.keys(data).length) return;
  await job.updateData(kept).catch((error: Error) => {
    logger.warn(
      { queue: job.queueName, task: job.name, jobId: job.id, err: error.message },
      'task data kept',
    );
  });
}

const DEFAULT_CONCURRENCY: Record<QueueName, number> = { generation: 8, delivery: 16, maintenance: 1 };

function merge(registries: TaskRegistry[]): Map<QueueName, Map<string, TaskProcessor>> {
  const byQueue = new Map<QueueName, Map<string, TaskProcessor>>();
  for (const registry of registries) {
    for (const [queue, processors] of Object.entries(registry.processors) as [
      QueueName,
      Record<string, TaskProcessor>,
    ][]) {
      const tasks = byQueue.get(queue) ?? new Map<string, TaskProcessor>();
      for (const [task, processor] of Object.entries(processors)) {
        if (tasks.has(task)) throw new Error(`task ${queue}/${task} registered twice`);
        tasks.set(task, processor);
      }
      byQueue.set(queue, tasks);
    }
  }
  return byQueue;
}

/**
 * Runs the processors of every registry, one BullMQ worker per queue. A CoreError that is not
 * retryable becomes UnrecoverableError (no further attempts); stalled tasks (a crashed process)
 * are picked up again by BullMQ, which is why every processor must be idempotent.
 */
export async function startWorkers(
  registries: TaskRegistry[],
  options: WorkerOptions,
): Promise<RunningWorkers> {
  const byQueue = merge(registries);
  const workers: Worker[] = [];
  for (const queue of QUEUE_NAMES) {
    const tasks = byQueue.get(queue);
    if (!tasks || tasks.size === 0) continue;
    const worker = new Worker(
      queue,
      async (job: Job) => {
        const processor = tasks.get(job.name);
        if (!processor) throw new UnrecoverableError(`no processor for task ${queue}/${job.name}`);
        const attempts = job.opts.attempts ?? 1;
        const isFinalAttempt = job.attemptsMade + 1 >= attempts;
        try {
          await processor(job.data as Record<string, unknown>, {
            attemptsMade: job.attemptsMade,
            isFinalAttempt,
            updateProgress: (percent) => job.updateProgress(percent),
          });
        } catch (error) {
          const unrecoverable = isCoreError(error) && !error.retryable;
          if (unrecoverable || isFinalAttempt) await forgetData(job, options.logger);
          if (unrecoverable) throw new UnrecoverableError(`${error.code}: ${error.message}`);
          throw error;
        }
        await forgetData(job, options.logger);
      },
      {
        connection: options.connection.duplicate(),
        prefix: options.prefix ?? 'aiport',
        // Recorded as a running task's `processedBy`: which process (host and pid) holds it.
        name: `${hostname()}#${process.pid}`,
        concurrency: options.concurrency?.[queue] ?? DEFAULT_CONCURRENCY[queue],
        ...(options.lockDurationMs ? { lockDuration: options.lockDurationMs } : {}),
        ...(options.stalledIntervalMs ? { stalledInterval: options.stalledIntervalMs } : {}),
      },
    );
    worker.on('failed', (job, error) =>
      options.logger.warn(
        { queue, task: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: error.message },
        'task failed',
      ),
    );
    worker.on('error', (error) => options.logger.error({ queue, err: error.message }, 'worker error'));
    workers.push(worker);
  }
  for (const registry of registries) {
    for (const repeat of registry.repeatable ?? []) {
      const queue = options.queues.get(repeat.queue);
      if (!queue) throw new Error(`unknown queue ${repeat.queue}`);
      await queue.upsertJobScheduler(
        `${repeat.queue}:${repeat.task}`,
        repeat.pattern ? { pattern: repeat.pattern, tz: 'UTC' } : { every: repeat.everyMs ?? 60_000 },
        {
          name: repeat.task,
          data: repeat.data ?? {},
          opts: { attempts: 3, backoff: { type: 'exponential', delay: 5_000 } },
        },
      );
    }
  }
  return {
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
