import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { CoreError } from '../../core/errors.js';
import type { MediaJob } from '../../core/media/index.js';
import { authOf } from '../plugins/auth.js';
import { mediaTypes, videoResponse } from '../schemas/responses.js';
import { fileBytes } from '../schemas/responses-public.js';
import { videoBody, videoContentQuery, videoParams } from '../schemas/v1-media.js';
import { validate } from '../schemas/validate.js';
import { isMultipart, readMediaForm, registerMultipart } from './media-form.js';
import { mediaHeaders } from './v1-images.js';

/**
 * OpenAI's Videos API shape: `POST /v1/videos` (JSON, or multipart with an optional
 * `input_reference` image) answers at once with a queued VideoResource; clients poll
 * `GET /v1/videos/:id` and download `GET /v1/videos/:id/content`. Unknown ids and other accounts'
 * ids are both 404.
 */

/** Outputs are kept this long (the retention window). */
const KEPT_SECONDS = 30 * 24 * 3600;

const STATUS: Record<MediaJob['status'], 'queued' | 'in_progress' | 'completed' | 'failed'> = {
  queued: 'queued',
  running: 'in_progress',
  succeeded: 'completed',
  failed: 'failed',
  refused: 'failed',
  cancelled: 'failed',
};

export function videoResource(job: MediaJob) {
  const seconds = (time: Date | null) => (time === null ? null : Math.floor(time.getTime() / 1000));
  const completedAt = job.status === 'succeeded' ? seconds(job.finishedAt) : null;
  return {
    id: job.id,
    object: 'video',
    model: job.model,
    status: STATUS[job.status],
    progress: job.progress,
    created_at: seconds(job.createdAt),
    completed_at: completedAt,
    expires_at: completedAt === null ? null : completedAt + KEPT_SECONDS,
    prompt: job.prompt,
    size: job.params.size ?? null,
    seconds: job.params.seconds === undefined ? null : String(job.params.seconds),
    remixed_from_video_id: null,
    error: job.error,
  };
}

export default async function v1VideoRoutes(app: FastifyInstance, opts: { core: Core }): Promise<void> {
  const media = opts.core.media;
  if (media === undefined) return;
  await registerMultipart(app);
  const guard = { onRequest: app.requireKeyOrSession('videos') };

  app.post(
    '/v1/videos',
    {
      ...guard,
      schema: {
        response: { 200: videoResponse },
        summary: 'Submit a video (JSON, or multipart with a first frame)',
        body: videoBody,
      },
    },
    async (request) => {
      const auth = authOf(request);
      let fields: unknown = request.body;
      let image: { name: string; bytes: Buffer } | undefined;
      if (isMultipart(request)) {
        const form = await readMediaForm(request);
        fields = form.fields;
        const references = form.files.filter((f) => f.field === 'input_reference');
        const others = form.files.filter((f) => f.field !== 'input_reference');
        if (references.length > 1 || others.length > 0) {
          throw new CoreError('invalid_request', 'Send at most one file, named "input_reference".', {
            details: { param: 'input_reference' },
          });
        }
        const reference = references[0];
        if (reference !== undefined) image = { name: reference.filename, bytes: reference.bytes };
      }
      const body = validate(videoBody, fields);
      const job = await media.submitVideo({
        accountId: auth.accountId,
        ...(auth.keyId === undefined ? {} : { apiKeyId: auth.keyId }),
        channel: 'api',
        prompt: body.prompt,
        ...(body.model === undefined ? {} : { model: body.model }),
        ...(body.seconds === undefined ? {} : { seconds: body.seconds }),
        ...(body.size === undefined ? {} : { size: body.size }),
        ...(image === undefined ? {} : { image }),
      });
      return videoResource(job);
    },
  );

  app.get(
    '/v1/videos/:id',
    {
      ...guard,
      schema: {
        response: { 200: videoResponse },
        summary: 'A video job and its progress',
        params: videoParams,
      },
    },
    async (request, reply) => {
      const { id } = validate(videoParams, request.params, 'params');
      const job = await media.get(authOf(request).accountId, id, 'video');
      return reply.headers(mediaHeaders(job)).send(videoResource(job));
    },
  );

  app.get(
    '/v1/videos/:id/content',
    {
      ...guard,
      schema: {
        response: { 200: mediaTypes({ 'video/*': fileBytes }) },
        summary: 'Download a finished video',
        params: videoParams,
        querystring: videoContentQuery,
      },
    },
    async (request, reply) => {
      const { id } = validate(videoParams, request.params, 'params');
      const { variant } = validate(videoContentQuery, request.query, 'query');
      const accountId = authOf(request).accountId;
      await media.get(accountId, id, 'video');
      if (variant !== 'video') {
        throw new CoreError('not_found', `No ${variant} is kept for this video.`, {
          details: { param: 'variant' },
        });
      }
      const file = await media.openOutput(accountId, id);
      return reply
        .header('content-type', file.contentType)
        .header('content-length', String(file.size))
        .header('cache-control', 'private, max-age=3600')
        .send(Readable.from(file.body));
    },
  );
}
