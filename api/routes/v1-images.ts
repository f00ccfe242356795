import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Core } from '../../core/core.js';
import { CoreError, type CoreErrorCode } from '../../core/errors.js';
import { mrpToIdrNumber } from '../../core/ledger/index.js';
import type { MediaJob, MediaService } from '../../core/media/index.js';
import { authOf } from '../plugins/auth.js';
import { imagesResponse } from '../schemas/responses.js';
import { imageEditFields, imageGenerationBody } from '../schemas/v1-media.js';
import { validate } from '../schemas/validate.js';
import { isMultipart, readMediaForm, registerMultipart } from './media-form.js';

/**
 * `POST /v1/images/generations` (JSON) and `POST /v1/images/edits` (multipart), OpenAI's wire
 * format. Synchronous for the client, but the work runs in a worker: the job is queued, then the
 * request waits for its row to finish, so a crashed API process loses no paid work.
 */

const KNOWN_CODES: ReadonlySet<string> = new Set<CoreErrorCode>([
  'invalid_request',
  'content_refused',
  'upstream_unavailable',
  'upstream_error',
  'rate_limited',
  'model_not_found',
  'payload_too_large',
]);

/** A failed job as the error the client would have got from the upstream. */
export function jobError(job: MediaJob): CoreError {
  const code = job.error?.code ?? 'upstream_error';
  return new CoreError(
    (KNOWN_CODES.has(code) ? code : 'upstream_error') as CoreErrorCode,
    job.error?.message ?? 'The generation failed.',
    { retryable: false, details: { job_id: job.id } },
  );
}

async function answer(
  media: MediaService,
  job: MediaJob,
  format: 'url' | 'b64_json',
  accountId: string,
  reply: FastifyReply,
) {
  // A client that leaves stops our waiting, not the job: it still finishes (and is charged) in a worker.
  const left = new AbortController();
  reply.raw.once('close', () => left.abort());
  const done = await media.wait(accountId, job.id, { signal: left.signal });
  if (done.status === 'queued' || done.status === 'running') {
    throw new CoreError(
      'upstream_unavailable',
      'The image is taking too long; nothing is charged until it is done.',
      {
        details: { job_id: job.id },
      },
    );
  }
  if (done.status !== 'succeeded') throw jobError(done);
  reply.headers(mediaHeaders(done));
  const data = [];
  for (const file of done.outputs) {
    const item =
      format === 'url'
        ? { url: media.fileUrl(file.key) }
        : { b64_json: (await media.readFile(file.key)).bytes.toString('base64') };
    data.push(done.revisedPrompt === undefined ? item : { ...item, revised_prompt: done.revisedPrompt });
  }
  return {
    created: Math.floor(done.createdAt.getTime() / 1000),
    data,
    ...(done.params.size === undefined ? {} : { size: done.params.size }),
  };
}

/** The job to quote to support and what it cost, as on chat answers (the web playground shows the cost). */
export function mediaHeaders(job: MediaJob): Record<string, string> {
  return {
    'x-aiport-job-id': job.id,
    ...(job.costMrp === null ? {} : { 'x-aiport-cost-idr': String(mrpToIdrNumber(job.costMrp)) }),
  };
}

/** GPT image models answer base64 by default, dall-e models URLs (as OpenAI does). */
function defaultFormat(model: string | undefined): 'url' | 'b64_json' {
  return model?.startsWith('dall-e') ? 'url' : 'b64_json';
}

export default async function v1ImageRoutes(app: FastifyInstance, opts: { core: Core }): Promise<void> {
  const media = opts.core.media;
  if (media === undefined) return;
  await registerMultipart(app);

  app.post(
    '/v1/images/generations',
    {
      onRequest: app.requireKeyOrSession('images'),
      schema: { response: { 200: imagesResponse }, summary: 'Generate images', body: imageGenerationBody },
    },
    async (request, reply) => {
      const auth = authOf(request);
      const body = validate(imageGenerationBody, request.body);
      const job = await media.submitImage({
        accountId: auth.accountId,
        ...(auth.keyId === undefined ? {} : { apiKeyId: auth.keyId }),
        channel: 'api',
        prompt: body.prompt,
        ...(body.model === undefined ? {} : { model: body.model }),
        ...(body.n === undefined ? {} : { n: body.n }),
        ...(body.size === undefined ? {} : { size: body.size }),
        ...(body.quality === undefined ? {} : { quality: body.quality }),
        ...(body.output_format === undefined ? {} : { outputFormat: body.output_format }),
        ...(body.background === undefined ? {} : { background: body.background }),
        ...(body.style === undefined ? {} : { style: body.style }),
      });
      return answer(media, job, body.response_format ?? defaultFormat(body.model), auth.accountId, reply);
    },
  );

  app.post(
    '/v1/images/edits',
    {
      onRequest: app.requireKeyOrSession('images'),
      schema: {
        response: { 200: imagesResponse },
        summary: 'Edit an image (multipart upload)',
        consumes: ['multipart/form-data'],
        body: imageEditFields,
      },
    },
    async (request, reply) => {
      const auth = authOf(request);
      if (!isMultipart(request)) {
        throw new CoreError(
          'invalid_request',
          'Send the edit as multipart/form-data with "image" and "prompt".',
        );
      }
      const form = await readMediaForm(request);
      const body = validate(imageEditFields, form.fields);
      const images = form.files
        .filter((f) => f.field === 'image' || f.field === 'image[]')
        .map((f) => ({ name: f.filename, bytes: f.bytes }));
      const masks = form.files.filter((f) => f.field === 'mask');
      if (images.length === 0) {
        throw new CoreError('invalid_request', 'Missing required file "image".', {
          details: { param: 'image' },
        });
      }
      if (masks.length > 1) {
        throw new CoreError('invalid_request', 'Send at most one mask.', { details: { param: 'mask' } });
      }
      const mask = masks[0];
      const job = await media.submitImageEdit({
        accountId: auth.accountId,
        ...(auth.keyId === undefined ? {} : { apiKeyId: auth.keyId }),
        channel: 'api',
        prompt: body.prompt,
        images,
        ...(mask === undefined ? {} : { mask: { name: mask.filename, bytes: mask.bytes } }),
        ...(body.model === undefined ? {} : { model: body.model }),
        ...(body.n === undefined ? {} : { n: body.n }),
        ...(body.size === undefined ? {} : { size: body.size }),
        ...(body.quality === undefined ? {} : { quality: body.quality }),
        ...(body.output_format === undefined ? {} : { outputFormat: body.output_format }),
        ...(body.background === undefined ? {} : { background: body.background }),
      });
      return answer(media, job, body.response_format ?? defaultFormat(body.model), auth.accountId, reply);
    },
  );
}
