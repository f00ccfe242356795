import { CoreError, isCoreError } from '../errors.js';
import { perUnitCostMrp } from '../ledger/index.js';
import type { TaskContext } from '../ports/queue.js';
import {
  isContentRefusal,
  type MediaFile,
  type TaskProvider,
  type TaskRequest,
  type TaskStatus,
} from '../providers/media.js';
import { classifyFailure, createRouteHealth, failsOver } from '../routing/index.js';
import {
  type MediaDeps,
  type MediaOptions,
  QUEUE_TASKS,
  type RouteRunner,
  runnerFor,
  workflowRoute,
} from './media-deps.js';
import { readUploads, storeOutputs } from './media-files.js';
import { type MediaJobRow, type MediaJobs, TERMINAL } from './media-jobs.js';
import { parseSize } from './media-request.js';

/**
 * The worker side of media jobs: idempotent steps that resume from the job row's checkpoints.
 * `media.generate` claims the job and calls the provider (image providers answer at once; task
 * providers are submitted once and then polled by a chain of delayed `media.poll` tasks, which a
 * RunningHub webhook can overtake). Whatever runs twice: one upstream task, one set of files, one
 * settle; failures and safety refusals release the hold and keep the reason on the row.
 */

export interface GenerateTask {
  jobId: string;
  /** Only for zero-retention accounts, whose prompt is not kept on the row. */
  prompt?: string;
}

export interface PollTask {
  jobId: string;
  round: number;
  /** A webhook-triggered check: it never schedules further polls (the chain does). */
  hook?: boolean;
}

const DEFAULT_POLL_INTERVAL_MS = 5_000;
const DEFAULT_MAX_TASK_MS = { image: 15 * 60_000, video: 60 * 60_000 };

export function createMediaRunner(deps: MediaDeps, options: MediaOptions, rows: MediaJobs) {
  const { clock, catalog, metered, queue, storage, images, providers } = deps;
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const maxTaskMs = { ...DEFAULT_MAX_TASK_MS, ...options.maxTaskMs };
  const health = deps.health ?? createRouteHealth(clock);
  const webhookUrl =
    options.webhooks === false ? undefined : `${options.publicUrl.replace(/\/+$/, '')}/webhooks/runninghub`;

  function costOf(job: MediaJobRow): bigint {
    const price = job.kind === 'video' ? job.price?.perVideoSecondMrp : job.price?.perImageMrp;
    return perUnitCostMrp(job.units ?? 0, BigInt(price ?? '0'));
  }

  async function notify(job: MediaJobRow): Promise<void> {
    if (job.channel === 'api') return;
    await queue.enqueue('delivery', QUEUE_TASKS.deliver, { jobId: job.id }, { jobId: `${job.id}.deliver` });
  }

  /**
   * Charges the job once (the metered core: the real units at the snapshot price, even above the
   * hold, any uncollected rest recorded) and marks it succeeded with what was really charged.
   */
  async function succeed(job: MediaJobRow): Promise<void> {
    let charged = 0n;
    if (job.holdId !== null) {
      const held = { jobId: job.id, holdId: job.holdId };
      charged = (await metered.settle(held, costOf(job), `${job.kind} ${job.model}`)).chargedMrp;
    }
    await rows.finishSucceeded(job.id, charged, clock.now());
    await notify(job);
  }

  /**
   * Tells the chat a video came from how it moves along (the delivery worker edits the "queued"
   * notice). Throttled by what the person would see: once when it starts running, then once per
   * 10 points of the progress the upstream reports (never our own estimate); the task id makes
   * each step a one-off, however often polls and webhooks repeat it.
   */
  async function reportProgress(job: MediaJobRow, status: TaskStatus): Promise<void> {
    if (job.channel === 'api' || job.kind !== 'video' || status.status !== 'running') return;
    const percent = status.progress === undefined ? undefined : Math.floor(status.progress / 10) * 10;
    const step = percent === undefined ? 'running' : `running.${percent}`;
    await queue.enqueue(
      'delivery',
      QUEUE_TASKS.progress,
      { jobId: job.id, state: 'running', ...(percent === undefined ? {} : { percent }) },
      { jobId: `${job.id}.progress.${step}` },
    );
  }

  /** The failure checkpoint is written: release the hold, then end the job. */
  async function failFinal(job: MediaJobRow, code: string): Promise<void> {
    if (job.holdId !== null) await metered.release({ holdId: job.holdId });
    await rows.finishFailed(job.id, code === 'content_refused' ? 'refused' : 'failed', clock.now());
    await notify(job);
  }

  /**
   * Retryable errors are thrown back to the queue (it tries again with backoff) until the last
   * attempt; then, and for anything not retryable, the job fails and its hold is released.
   */
  async function fail(job: MediaJobRow, error: unknown, context: TaskContext, final = false): Promise<void> {
    const retryable = isCoreError(error) ? error.retryable : true;
    if (retryable && !final && !context.isFinalAttempt) throw error;
    const code = isContentRefusal(error) ? 'content_refused' : isCoreError(error) ? error.code : 'internal';
    const message =
      isCoreError(error) && error.code !== 'internal' ? error.message : 'The generation failed unexpectedly.';
    await rows.recordFailure(job.id, code, message);
    await failFinal(job, code);
  }

  /** Finishes what a crashed run left half done; true when nothing is left to do. */
  async function resume(job: MediaJobRow): Promise<boolean> {
    if (TERMINAL.has(job.status)) {
      if (job.holdId !== null && job.status === 'succeeded') {
        await metered.settle({ jobId: job.id, holdId: job.holdId }, costOf(job));
      } else if (job.holdId !== null) {
        await metered.release({ holdId: job.holdId });
      }
      await notify(job);
      return true;
    }
    if (job.units !== null) {
      await succeed(job);
      return true;
    }
    if (job.errorCode !== null) {
      await failFinal(job, job.errorCode);
      return true;
    }
    return false;
  }

  async function storeAndSucceed(
    job: MediaJobRow,
    files: MediaFile[],
    revisedPrompt?: string,
  ): Promise<void> {
    const wanted =
      job.kind === 'video'
        ? files.filter((f) => f.contentType.startsWith('video/')).slice(0, 1)
        : files.filter((f) => f.contentType.startsWith('image/')).slice(0, job.params.n ?? 1);
    if (wanted.length === 0) {
      throw new CoreError('upstream_error', 'The upstream returned no usable output.', { retryable: false });
    }
    const stored = await storeOutputs(storage, images, job, wanted);
    const units = job.kind === 'video' ? (job.params.seconds ?? 0) : stored.length;
    await rows.recordOutputs(
      job,
      { files: stored, ...(revisedPrompt === undefined ? {} : { revisedPrompt }) },
      units,
    );
    const fresh = await rows.get(job.id);
    if (fresh !== undefined && !TERMINAL.has(fresh.status)) await succeed(fresh);
  }

  async function callImage(job: MediaJobRow, runner: RouteRunner & { kind: 'image' }, prompt: string) {
    const p = job.params;
    const request = {
      model: runner.route.model!,
      prompt,
      n: p.n ?? 1,
      ...(p.size === undefined ? {} : { size: p.size }),
      ...(p.quality === undefined ? {} : { quality: p.quality }),
      ...(p.outputFormat === undefined ? {} : { outputFormat: p.outputFormat }),
      ...(p.background === undefined ? {} : { background: p.background }),
      ...(p.style === undefined ? {} : { style: p.style }),
    };
    if (job.kind !== 'image_edit') return runner.provider.generate(request);
    const inputs = await readUploads(storage, p.uploads ?? []);
    const mask = p.maskKey === undefined ? undefined : (await readUploads(storage, [p.maskKey]))[0];
    return runner.provider.edit({ ...request, images: inputs, ...(mask === undefined ? {} : { mask }) });
  }

  async function submitTask(job: MediaJobRow, runner: RouteRunner & { kind: 'task' }, prompt: string) {
    const flow = workflowRoute(runner.route);
    const takes = (name: 'width' | 'height' | 'seconds' | 'image') =>
      flow === undefined || flow.inputs[name] !== undefined;
    const size = job.params.size === undefined ? undefined : parseSize(job.params.size);
    const uploads = job.params.uploads ?? [];
    const image =
      uploads.length > 0 && takes('image') ? (await readUploads(storage, [uploads[0]!]))[0] : undefined;
    const request: TaskRequest = {
      prompt,
      ...(runner.route.model === undefined ? {} : { model: runner.route.model }),
      ...(flow === undefined ? {} : { route: flow }),
      ...(size !== undefined && takes('width') ? { width: size.width } : {}),
      ...(size !== undefined && takes('height') ? { height: size.height } : {}),
      ...(job.kind === 'video' && takes('seconds') && job.params.seconds !== undefined
        ? { seconds: job.params.seconds }
        : {}),
      ...(image === undefined ? {} : { image }),
      ...(webhookUrl !== undefined && runner.route.provider === 'runninghub' ? { webhookUrl } : {}),
    };
    const { taskId } = await runner.provider.submit(request);
    await rows.recordTask(job.id, runner.route.provider, taskId);
    await schedulePoll(job.id, 1);
  }

  async function schedulePoll(jobId: string, round: number): Promise<void> {
    await queue.enqueue(
      'generation',
      QUEUE_TASKS.poll,
      { jobId, round },
      { jobId: `${jobId}.poll.${round}`, delayMs: pollIntervalMs },
    );
  }

  function taskProvider(job: MediaJobRow): TaskProvider | undefined {
    if (job.provider === 'runninghub') return providers.tasks.runninghub;
    if (job.provider === 'openai') return providers.tasks.openai;
    return undefined;
  }

  async function fetchOutputs(provider: TaskProvider, status: TaskStatus): Promise<MediaFile[]> {
    const files: MediaFile[] = [];
    for (const output of status.outputs ?? []) {
      const file = await provider.fetchOutput(output.url);
      const type =
        file.contentType === 'application/octet-stream' ? contentTypeOf(output.fileType) : undefined;
      files.push(type === undefined ? file : { ...file, contentType: type });
    }
    return files;
  }

  return {
    /** `media.generate`: claim the job and start the upstream work. */
    async generate(task: GenerateTask, context: TaskContext): Promise<void> {
      const job = await rows.get(task.jobId);
      if (job === undefined || (await resume(job))) return;
      if (!(await rows.claim(job.id, clock.now()))) return;
      if (job.providerTaskId !== null) return schedulePoll(job.id, 1);
      const prompt = typeof job.prompt === 'string' ? job.prompt : task.prompt;
      const model = catalog.find(job.model);
      if (
        prompt === undefined ||
        model === undefined ||
        model.kind === 'chat' ||
        model.kind === 'embedding' ||
        model.kind === 'transcription'
      ) {
        const reason =
          prompt === undefined ? 'The prompt of this job is gone.' : 'The model is no longer offered.';
        return fail(job, new CoreError('model_not_found', reason, { retryable: false }), context);
      }
      const configured = model.activeRoutes.filter((route) => runnerFor(providers, route, model.kind));
      // Healthy routes first; routes whose breaker is open are skipped until their cool-down ends.
      const runners = health
        .order(configured)
        .map((route) => runnerFor(providers, route, model.kind))
        .filter((r): r is RouteRunner => r !== undefined);
      let lastError: unknown =
        configured.length === 0
          ? new CoreError('upstream_unavailable', 'No provider is configured for this model.', {
              retryable: false,
            })
          : new CoreError('upstream_unavailable', 'Every provider of this model is failing right now.');
      for (const runner of runners) {
        if (!health.tryAcquire(runner.route)) continue;
        const started = clock.now().getTime();
        let result: Awaited<ReturnType<typeof callImage>>;
        try {
          if (runner.kind === 'task') {
            await submitTask(job, runner, prompt);
          } else {
            result = await callImage(job, runner, prompt);
          }
        } catch (error) {
          lastError = error;
          // The failover policy shared with chat: route and transient faults move on and count
          // against the route; a refusal or a bad request stops here and is neutral.
          const kind = classifyFailure(error);
          if (failsOver(kind)) health.failure(runner.route, String((error as Error).message));
          else health.neutral(runner.route);
          await deps.jobs.addAttempt(job.id, attempt(runner, started, clock.now().getTime(), error));
          if (failsOver(kind)) continue;
          break;
        }
        health.success(runner.route, clock.now().getTime() - started);
        await deps.jobs.addAttempt(job.id, attempt(runner, started, clock.now().getTime()));
        if (runner.kind === 'task') return;
        await rows.recordProvider(job.id, runner.route.provider);
        try {
          await storeAndSucceed(job, result!.images, result!.revisedPrompt);
        } catch (error) {
          return fail(job, error, context);
        }
        return;
      }
      return fail(job, lastError, context);
    },

    /** `media.poll`: one status check of the upstream task; schedules the next one while it runs. */
    async poll(task: PollTask, context: TaskContext): Promise<void> {
      const job = await rows.get(task.jobId);
      if (job === undefined || (await resume(job)) || job.providerTaskId === null) return;
      const provider = taskProvider(job);
      if (provider === undefined) {
        const error = new CoreError('upstream_unavailable', 'The provider of this task is not configured.');
        return fail(job, error, context, true);
      }
      const taskId = job.providerTaskId;
      const timedOut = () =>
        clock.now().getTime() - (job.startedAt ?? job.createdAt).getTime() >
        (job.kind === 'video' ? maxTaskMs.video : maxTaskMs.image);
      // A transient upstream failure only delays the next check: the paid task may well be fine.
      const later = async (error: unknown) => {
        const transient = !isCoreError(error) || error.retryable;
        if (!transient) return fail(job, error, context, true);
        if (task.hook === true) return;
        if (!timedOut()) return schedulePoll(job.id, task.round + 1);
        return fail(job, error, context, true);
      };
      let status: TaskStatus;
      try {
        status = await provider.poll(taskId);
      } catch (error) {
        return later(error);
      }
      if (status.status === 'failed') {
        const error =
          status.error ?? new CoreError('upstream_error', 'The upstream task failed.', { retryable: false });
        return fail(job, error, context, true);
      }
      if (status.status === 'succeeded') {
        let files: MediaFile[];
        try {
          files = await fetchOutputs(provider, status);
        } catch (error) {
          return later(error);
        }
        try {
          return await storeAndSucceed(job, files);
        } catch (error) {
          return fail(job, error, context);
        }
      }
      const estimate = status.status === 'queued' ? 5 : Math.min(95, 10 + task.round * 5);
      await rows.progress(job.id, status.progress ?? estimate);
      await reportProgress(job, status);
      if (task.hook === true) return;
      if (timedOut()) {
        await provider.cancel(taskId).catch(() => {});
        const error = new CoreError(
          'upstream_unavailable',
          'The upstream took too long; nothing was charged.',
        );
        return fail(job, error, context, true);
      }
      await schedulePoll(job.id, task.round + 1);
    },
  };
}

export type MediaRunner = ReturnType<typeof createMediaRunner>;

function attempt(runner: RouteRunner, startedMs: number, endedMs: number, error?: unknown) {
  return {
    provider: runner.route.provider,
    model: runner.route.model ?? runner.route.workflowId ?? '',
    status: error === undefined ? ('ok' as const) : ('error' as const),
    latencyMs: Math.max(0, endedMs - startedMs),
    ...(error === undefined
      ? {}
      : { error: isCoreError(error) ? `${error.code}: ${error.message}`.slice(0, 300) : 'internal error' }),
    ...(isCoreError(error) && typeof error.details.status === 'number'
      ? { httpStatus: error.details.status }
      : {}),
  };
}

function contentTypeOf(fileType: string): string | undefined {
  const known: Record<string, string> = {
    mp4: 'video/mp4',
    webm: 'video/webm',
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    webp: 'image/webp',
  };
  return known[fileType.toLowerCase()];
}
