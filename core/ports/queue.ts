/**
 * Background work. The shell implements it with BullMQ; the domain only enqueues. Delivery is
 * at-least-once, so every processor must be idempotent: the PostgreSQL row, not the queue, is the
 * source of truth.
 */
export type QueueName = 'generation' | 'delivery' | 'maintenance';

export interface EnqueueOptions {
  /** Deduplicates: a task with the same id that is still known to the queue is not added again. */
  jobId?: string;
  delayMs?: number;
  /** Attempts before giving up (exponential backoff between them). */
  attempts?: number;
}

export interface TaskQueue {
  enqueue(
    queue: QueueName,
    task: string,
    data: Record<string, unknown>,
    options?: EnqueueOptions,
  ): Promise<void>;
}

/** What a processor learns about the attempt it runs in. */
export interface TaskContext {
  attemptsMade: number;
  /** True on the last allowed attempt: a processor may then record a final failure. */
  isFinalAttempt: boolean;
  updateProgress(percent: number): Promise<void>;
}

/**
 * A processor for one task name. Throw a CoreError with `retryable: false` for work that must not be
 * retried (the runtime turns it into BullMQ's UnrecoverableError); anything else is retried.
 */
export type TaskProcessor = (data: Record<string, unknown>, context: TaskContext) => Promise<void>;

/** Processors by queue and task name, plus repeatable tasks (cron patterns, UTC). */
export interface TaskRegistry {
  processors: Partial<Record<QueueName, Record<string, TaskProcessor>>>;
  repeatable?: Array<{
    queue: QueueName;
    task: string;
    pattern?: string;
    everyMs?: number;
    data?: Record<string, unknown>;
  }>;
}
