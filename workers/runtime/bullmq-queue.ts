import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { EnqueueOptions, QueueName, TaskQueue } from '../../core/ports/queue.js';

export const QUEUE_NAMES: QueueName[] = ['generation', 'delivery', 'maintenance'];

export interface BullQueues extends TaskQueue {
  queues: Map<QueueName, Queue>;
  close(): Promise<void>;
}

/** Finished tasks are kept a while for inspection, then trimmed so Redis does not grow without end. */
const RETENTION = {
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/**
 * The TaskQueue port over BullMQ. Task ids dedupe (the id = our job id), attempts back off
 * exponentially. `prefix` separates deployments (and test files) sharing one Redis.
 */
export function createBullQueues(connection: Redis, prefix = 'aiport'): BullQueues {
  const queues = new Map<QueueName, Queue>(
    QUEUE_NAMES.map((name) => [name, new Queue(name, { connection, prefix, defaultJobOptions: RETENTION })]),
  );
  return {
    queues,
    async enqueue(
      queue: QueueName,
      task: string,
      data: Record<string, unknown>,
      options: EnqueueOptions = {},
    ) {
      const target = queues.get(queue);
      if (!target) throw new Error(`unknown queue ${queue}`);
      await target.add(task, data, {
        ...(options.jobId ? { jobId: options.jobId } : {}),
        ...(options.delayMs ? { delay: options.delayMs } : {}),
        attempts: options.attempts ?? 5,
        backoff: { type: 'exponential', delay: 1_000 },
      });
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
