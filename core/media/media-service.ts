import { CoreError } from '../errors.js';
import type { JobChannel, JobStatus, PriceSnapshot } from '../jobs/index.js';
import type { PreviewLimits, ProcessedImage } from '../ports/images.js';
import type { StoredObjectStream } from '../ports/storage.js';
import { cleanUpstreamText } from '../security/upstream-text.js';
import { createFileLinks, type FileLinks } from './file-links.js';
import { type MediaDeps, type MediaOptions, QUEUE_TASKS } from './media-deps.js';
import { sanitizeUploads, storeUploads, type UploadedImage } from './media-files.js';
import {
  createMediaJobs,
  isUuid,
  type MediaJobParams,
  type MediaJobRow,
  type MediaKind,
  type StoredOutput,
  TERMINAL,
} from './media-jobs.js';
import { type ImageOptions, MAX_EDIT_IMAGES, resolveImage, resolveVideo } from './media-request.js';
import { createMediaRunner } from './media-runner.js';

/**
 * Image generation, image edits and video for every channel. Submitting validates against the
 * catalog, sanitizes uploads, holds the worst-case price, writes the job row and queues the work;
 * bad input is refused before anything is held or stored. Callers then wait for the job (the API's
 * synchronous image endpoints), poll it (videos), or get it delivered (bots, via the delivery queue).
 */

export interface SubmitBase {
  accountId: string;
  apiKeyId?: string;
  channel: JobChannel;
  /** Where a bot wants the result; kept on the job and handed to the delivery task. */
  replyTo?: Record<string, unknown>;
}

export interface ImageSubmit extends SubmitBase, ImageOptions {
  /** Catalog model id; the catalog's default image model when absent. */
  model?: string;
  prompt: string;
}

export interface ImageEditSubmit extends ImageSubmit {
  images: UploadedImage[];
  mask?: UploadedImage;
}

export interface VideoSubmit extends SubmitBase {
  model?: string;
  prompt: string;
  seconds?: number;
  size?: string;
  /** Optional first frame (image-to-video). */
  image?: UploadedImage;
}

/** A media job as callers see it. */
export interface MediaJob {
  id: string;
  accountId: string;
  kind: MediaKind;
  channel: JobChannel;
  model: string;
  status: JobStatus;
  /** 0..100. */
  progress: number;
  params: { n?: number; size?: string; seconds?: number };
  /** Null for zero-retention accounts and after the retention window. */
  prompt: string | null;
  /** Output files in order (empty until succeeded). */
  outputs: StoredOutput[];
  revisedPrompt?: string;
  /** What was charged (0 for failures); null while running. */
  costMrp: bigint | null;
  /** Why it failed, fit to show the user. */
  error: { code: string; message: string } | null;
  replyTo?: Record<string, unknown>;
  createdAt: Date;
  finishedAt: Date | null;
}

const HOLD_SLACK_MS = 30 * 60_000;

export function createMediaService(deps: MediaDeps, options: MediaOptions) {
  const { storage, images, queue, clock, catalog } = deps;
  const rows = createMediaJobs(deps.db, deps.jobs);
  const runner = createMediaRunner(deps, options, rows);
  const links: FileLinks = createFileLinks(options.publicUrl, options.fileSecret, clock);
  const waitTimeoutMs = options.waitTimeoutMs ?? 300_000;
  const holdTtl = {
    image: (options.maxTaskMs?.image ?? 15 * 60_000) + HOLD_SLACK_MS,
    video: (options.maxTaskMs?.video ?? 60 * 60_000) + HOLD_SLACK_MS,
  };

  async function view(row: MediaJobRow): Promise<MediaJob> {
    const outputs = row.status === 'succeeded' ? await rows.outputFiles(row.id) : [];
    const output = row.output as { revisedPrompt?: unknown } | null;
    return {
      id: row.id,
      accountId: row.accountId,
      kind: row.kind,
      channel: row.channel,
      model: row.model,
      status: row.status,
      progress: row.status === 'succeeded' ? 100 : row.progress,
      params: {
        ...(row.params.n === undefined ? {} : { n: row.params.n }),
        ...(row.params.size === undefined ? {} : { size: row.params.size }),
        ...(row.params.seconds === undefined ? {} : { seconds: row.params.seconds }),
      },
      prompt: typeof row.prompt === 'string' ? row.prompt : null,
      outputs,
      ...(typeof output?.revisedPrompt === 'string' ? { revisedPrompt: output.revisedPrompt } : {}),
      costMrp: row.costMrp,
      error:
        row.errorCode === null || !TERMINAL.has(row.status)
          ? null
          : { code: row.errorCode, message: cleanUpstreamText(row.errorMessage ?? 'The generation failed.') },
      ...(row.params.replyTo === undefined ? {} : { replyTo: row.params.replyTo }),
      createdAt: row.createdAt,
      finishedAt: row.finishedAt,
    };
  }

  async function own(accountId: string, jobId: string, kind?: MediaKind): Promise<MediaJobRow> {
    const row = isUuid(jobId) ? await rows.get(jobId) : undefined;
    // Another account's job is answered exactly like a missing one.
    if (row === undefined || row.accountId !== accountId || (kind !== undefined && row.kind !== kind)) {
      throw new CoreError('not_found', `No ${kind === 'video' ? 'video' : 'job'} with id "${jobId}".`, {
        details: { param: 'id' },
      });
    }
    return row;
  }

  /**
   * Admission before any expensive work: the request limits of the account (and key), then a cheap
   * check that the balance covers the hold. Uploads are decoded only after this.
   */
  async function admit(base: SubmitBase, holdMrp: bigint): Promise<void> {
    if (deps.rateLimits) {
      await deps.rateLimits.acquire(
        { accountId: base.accountId, ...(base.apiKeyId === undefined ? {} : { keyId: base.apiKeyId }) },
        0,
      );
    }
    await deps.metered.precheck(base.accountId, holdMrp);
  }

  /** Holds, writes the row, stores the uploads and queues the job; undoes the hold if any step fails. */
  async function start(input: {
    base: SubmitBase;
    kind: MediaKind;
    model: string;
    prompt: string;
    price: PriceSnapshot;
    holdMrp: bigint;
    params: MediaJobParams;
    uploads?: Awaited<ReturnType<typeof sanitizeUploads>>;
  }): Promise<MediaJob> {
    const { base } = input;
    const opened = await deps.metered.open({
      accountId: base.accountId,
      ...(base.apiKeyId === undefined ? {} : { apiKeyId: base.apiKeyId }),
      channel: base.channel,
      kind: input.kind,
      model: input.model,
      price: input.price,
      params: { ...input.params, ...(base.replyTo === undefined ? {} : { replyTo: base.replyTo }) },
      prompt: input.prompt,
      status: 'queued',
      holdMrp: input.holdMrp,
      holdTtlMs: input.kind === 'video' ? holdTtl.video : holdTtl.image,
    });
    const job = { id: opened.jobId, accountId: base.accountId };
    try {
      if (input.uploads !== undefined) {
        const stored = await storeUploads(storage, job, input.uploads);
        const files = [...stored.images, ...(stored.mask === undefined ? [] : [stored.mask])];
        await rows.recordUploads(job, files);
        await rows.recordUploadKeys(
          job.id,
          stored.images.map((f) => f.key),
          stored.mask?.key,
        );
      }
      await queue.enqueue(
        'generation',
        QUEUE_TASKS.generate,
        { jobId: job.id, ...(opened.storesContent ? {} : { prompt: input.prompt }) },
        { jobId: job.id },
      );
      return view((await rows.get(job.id))!);
    } catch (error) {
      await deps.metered.release(opened);
      await rows.recordFailure(job.id, 'upstream_unavailable', 'The job could not be queued.');
      await rows.finishFailed(job.id, 'failed', clock.now());
      if (error instanceof CoreError) throw error;
      throw new CoreError('upstream_unavailable', 'The job could not be started; nothing was charged.', {
        cause: error,
      });
    }
  }

  return {
    /** Queues an image generation. */
    async submitImage(input: ImageSubmit): Promise<MediaJob> {
      const resolved = resolveImage(catalog, input);
      await admit(input, resolved.holdMrp);
      return start({
        base: input,
        kind: 'image',
        model: resolved.model.id,
        prompt: resolved.prompt,
        price: { perImageMrp: resolved.model.price.perImageMrp.toString() },
        holdMrp: resolved.holdMrp,
        params: resolved.params,
      });
    },

    /** Queues an image edit; every upload is decoded and stripped of metadata first. */
    async submitImageEdit(input: ImageEditSubmit): Promise<MediaJob> {
      const resolved = resolveImage(catalog, input);
      if (input.images.length === 0 || input.images.length > MAX_EDIT_IMAGES) {
        throw new CoreError('invalid_request', `Send 1 to ${MAX_EDIT_IMAGES} images to edit.`, {
          details: { param: 'image' },
        });
      }
      const route = resolved.model.activeRoutes[0]!;
      if (route.provider === 'runninghub' && route.inputs?.image === undefined) {
        throw new CoreError('invalid_request', `${resolved.model.id} cannot edit images.`, {
          details: { param: 'model' },
        });
      }
      await admit(input, resolved.holdMrp);
      const uploads = await sanitizeUploads(images, input.images, input.mask, 'image');
      return start({
        base: input,
        kind: 'image_edit',
        model: resolved.model.id,
        prompt: resolved.prompt,
        price: { perImageMrp: resolved.model.price.perImageMrp.toString() },
        holdMrp: resolved.holdMrp,
        params: resolved.params,
        uploads,
      });
    },

    /** Queues a video; poll it with `get`. */
    async submitVideo(input: VideoSubmit): Promise<MediaJob> {
      const resolved = resolveVideo(catalog, { ...input, hasImage: input.image !== undefined });
      await admit(input, resolved.holdMrp);
      const uploads =
        input.image === undefined
          ? undefined
          : await sanitizeUploads(images, [input.image], undefined, 'input_reference');
      return start({
        base: input,
        kind: 'video',
        model: resolved.model.id,
        prompt: resolved.prompt,
        price: { perVideoSecondMrp: resolved.model.price.perVideoSecondMrp.toString() },
        holdMrp: resolved.holdMrp,
        params: resolved.params,
        ...(uploads === undefined ? {} : { uploads }),
      });
    },

    /** The account's job (`not_found` for unknown ids and other accounts' jobs). */
    async get(accountId: string, jobId: string, kind?: MediaKind): Promise<MediaJob> {
      return view(await own(accountId, jobId, kind));
    },

    /** Any media job by id, for the delivery task (no account check). */
    async find(jobId: string): Promise<MediaJob | undefined> {
      const row = await rows.get(jobId);
      return row === undefined ? undefined : view(row);
    },

    /**
     * Waits until the job has finished or `timeoutMs` passed, reading the row (the worker may be
     * another process). Returns the job as it then is.
     */
    async wait(
      accountId: string,
      jobId: string,
      options: { timeoutMs?: number; signal?: AbortSignal } = {},
    ): Promise<MediaJob> {
      const deadline = Date.now() + (options.timeoutMs ?? waitTimeoutMs);
      let gap = 25;
      for (;;) {
        const row = await own(accountId, jobId);
        if (TERMINAL.has(row.status) || Date.now() >= deadline || options.signal?.aborted) return view(row);
        await new Promise((resolve) => setTimeout(resolve, gap));
        gap = Math.min(gap * 2, 500);
      }
    },

    /** The job's nth output, streamed (for `/v1/videos/:id/content`). */
    async openOutput(accountId: string, jobId: string, index = 0): Promise<StoredObjectStream> {
      const row = await own(accountId, jobId);
      if (row.status !== 'succeeded') {
        throw new CoreError('conflict', 'The job has not completed yet.', {
          details: { status: row.status },
        });
      }
      const file = (await rows.outputFiles(row.id))[index];
      const stream = file === undefined ? null : await storage.getStream(file.key);
      if (stream === null) throw new CoreError('not_found', 'The output is no longer stored.');
      return stream;
    },

    /** Reads a stored output whole (bots upload it to their platform). */
    async readFile(key: string) {
      const object = await storage.get(key);
      if (object === null) throw new CoreError('not_found', 'The file is no longer stored.');
      return object;
    },

    /** A stored image output shrunk to fit a chat platform (e.g. TELEGRAM_PHOTO_LIMITS). */
    async preview(key: string, limits: PreviewLimits): Promise<ProcessedImage> {
      const object = await storage.get(key);
      if (object === null) throw new CoreError('not_found', 'The file is no longer stored.');
      return images.preview(object.bytes, limits);
    },

    /** An expiring link to a stored file, served by `GET /files/{key}`. */
    fileUrl(key: string, ttlSeconds?: number): string {
      return links.url(key, ttlSeconds);
    },

    /** Checks a file link and opens the file (`not_found` for forged links or deleted files). */
    async openSignedFile(key: string, exp: string | undefined, sig: string | undefined) {
      links.verify(key, exp, sig);
      const owner = await rows.fileOwner(key);
      const stream = owner === undefined ? null : await storage.getStream(key);
      if (owner === undefined || stream === null) throw new CoreError('not_found', 'No such file.');
      return { ...stream, contentType: owner.contentType };
    },

    /**
     * A RunningHub `TASK_END` callback (unsigned): trust it only after asking RunningHub about the
     * task, then let the queue advance the job. True when a job was advanced.
     */
    async confirmRunningHubTask(taskId: string): Promise<boolean> {
      const provider = deps.providers.tasks.runninghub;
      const row = await rows.findByProviderTask('runninghub', taskId);
      if (provider === undefined || row === undefined || TERMINAL.has(row.status)) return false;
      const status = await provider.poll(taskId);
      if (status.status !== 'succeeded' && status.status !== 'failed') return false;
      await queue.enqueue(
        'generation',
        QUEUE_TASKS.poll,
        { jobId: row.id, round: 0, hook: true },
        { jobId: `${row.id}.hook` },
      );
      return true;
    },

    /** The worker steps (see media-runner). */
    runner,
  };
}

export type MediaService = ReturnType<typeof createMediaService>;
