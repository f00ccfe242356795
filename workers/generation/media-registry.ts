import { CoreError } from '../../core/errors.js';
import { type MediaJob, type MediaService, QUEUE_TASKS } from '../../core/media/index.js';
import type { TaskRegistry } from '../../core/ports/queue.js';

/**
 * The media processors, for the worker runtime: `generation` runs and polls media jobs, `delivery`
 * hands finished jobs of chat channels to the bots. Every processor is idempotent (the job row is the
 * guard), so BullMQ's at-least-once delivery, retries and stalled-job recovery are all safe.
 */
export interface MediaRegistryOptions {
  media: MediaService;
  /**
   * Delivers a finished job (succeeded or failed) of a bot channel to its chat; throw to retry.
   * Called at least once per job; without it, deliveries are dropped.
   */
  deliver?: (job: MediaJob) => Promise<void>;
  /**
   * Shows a running video's progress in its chat (edits the "queued" notice); best effort, never
   * called for a job that has ended (its result or failure is what the chat shows then).
   */
  progress?: (job: MediaJob, update: MediaProgress) => Promise<void>;
}

/** How far a video is, as the runner reported it; `percent` only when the upstream reports one. */
export interface MediaProgress {
  state: 'running';
  percent?: number;
}

function jobIdOf(data: Record<string, unknown>): string {
  const jobId = data.jobId;
  if (typeof jobId !== 'string')
    throw new CoreError('invalid_request', 'Task without a job id.', { retryable: false });
  return jobId;
}

export function mediaTaskRegistry(options: MediaRegistryOptions): TaskRegistry {
  const { runner } = options.media;
  return {
    processors: {
      generation: {
        [QUEUE_TASKS.generate]: (data, context) =>
          runner.generate(
            { jobId: jobIdOf(data), ...(typeof data.prompt === 'string' ? { prompt: data.prompt } : {}) },
            context,
          ),
        [QUEUE_TASKS.poll]: (data, context) =>
          runner.poll(
            { jobId: jobIdOf(data), round: Number(data.round ?? 1) || 0, hook: data.hook === true },
            context,
          ),
      },
      delivery: {
        [QUEUE_TASKS.deliver]: async (data) => {
          const job = await options.media.find(jobIdOf(data));
          if (job === undefined || options.deliver === undefined) return;
          await options.deliver(job);
        },
        [QUEUE_TASKS.progress]: async (data) => {
          const job = await options.media.find(jobIdOf(data));
          if (job === undefined || options.progress === undefined) return;
          if (job.status !== 'queued' && job.status !== 'running') return;
          const percent = typeof data.percent === 'number' ? data.percent : undefined;
          await options.progress(job, { state: 'running', ...(percent === undefined ? {} : { percent }) });
        },
      },
    },
  };
}
