import { CoreError } from '../../errors.js';
import type { MediaFile, TaskProvider, TaskRequest } from '../media-contract.js';
import { providerErrorFromStatus, providerProtocolError } from '../shared/errors.js';
import type { ProviderOptions } from '../shared/options.js';
import { isObject, joinUrl, str } from '../shared/wire.js';
import { imageErrorFromResponse } from './image-errors.js';
import { taskStatusFromVideo } from './video-resource.js';

const SECONDS = ['4', '8', '12'];
const SIZES = ['720x1280', '1280x720', '1024x1792', '1792x1024'];
const VIDEO_ID = /^[A-Za-z0-9_-]{1,128}$/;
const MAX_VIDEO_BYTES = 512 * 1024 * 1024;

/**
 * OpenAI videos (Sora) as an asynchronous task: `POST /videos` (JSON, or multipart with an
 * `input_reference` image), `GET /videos/{id}` to poll, `GET /videos/{id}/content` for the MP4,
 * `DELETE /videos/{id}` to cancel. OpenAI announced the Videos API's shutdown for 2026-09-24, so a
 * route to it may simply fail; it is kept for OpenAI-compatible servers that still speak it.
 */
export function createOpenAIVideoProvider(options: ProviderOptions): TaskProvider {
  const auth: Record<string, string> =
    options.apiKey === undefined ? {} : { authorization: `Bearer ${options.apiKey}` };
  const videoUrl = (id: string) => joinUrl(options.baseUrl, `/videos/${id}`);
  const contentUrl = (id: string) => `${videoUrl(id)}/content`;

  async function send(
    url: string,
    init: {
      method: 'GET' | 'POST' | 'DELETE';
      body?: Uint8Array | string;
      contentType?: string;
      signal?: AbortSignal | undefined;
    },
  ) {
    const res = await options.http.request(url, {
      method: init.method,
      provider: 'openai',
      headers: {
        ...auth,
        accept: 'application/json',
        ...(init.contentType === undefined ? {} : { 'content-type': init.contentType }),
      },
      ...(init.body === undefined ? {} : { body: init.body }),
      ...(init.signal === undefined ? {} : { signal: init.signal }),
    });
    if (res.status < 200 || res.status > 299) throw await imageErrorFromResponse(res);
    return res;
  }

  return {
    id: 'openai',

    async submit(request: TaskRequest) {
      const fields = videoFields(request);
      let body: string | Uint8Array;
      let contentType: string;
      if (request.image === undefined) {
        body = JSON.stringify(fields);
        contentType = 'application/json';
      } else {
        const form = new FormData();
        for (const [name, value] of Object.entries(fields)) form.append(name, value);
        const extension = request.image.contentType.split('/')[1] ?? 'png';
        form.append(
          'input_reference',
          new Blob([request.image.bytes], { type: request.image.contentType }),
          `reference.${extension}`,
        );
        const encoded = new Response(form);
        body = new Uint8Array(await encoded.arrayBuffer());
        contentType = encoded.headers.get('content-type') ?? 'multipart/form-data';
      }
      const res = await send(joinUrl(options.baseUrl, '/videos'), {
        method: 'POST',
        body,
        contentType,
        signal: request.signal,
      });
      const json = await res.json();
      const id = isObject(json) ? str(json.id) : undefined;
      if (id === undefined || !VIDEO_ID.test(id))
        throw providerProtocolError('openai', 'video answer has no id');
      return { taskId: id };
    },

    async poll(taskId, signal) {
      checkId(taskId);
      const res = await send(videoUrl(taskId), { method: 'GET', signal });
      return taskStatusFromVideo(await res.json(), contentUrl);
    },

    async fetchOutput(url, signal): Promise<MediaFile> {
      // Our key goes only to our own upstream: never follow an output URL elsewhere with it.
      if (!url.startsWith(`${joinUrl(options.baseUrl, '/videos/')}`)) {
        throw providerProtocolError('openai', 'video output URL is not on the configured upstream');
      }
      const res = await options.http.request(url, {
        provider: 'openai',
        headers: auth,
        ...(signal === undefined ? {} : { signal }),
      });
      if (res.status !== 200) {
        await res.discard();
        throw providerErrorFromStatus({
          provider: 'openai',
          status: res.status,
          message: 'video download failed',
        });
      }
      if (Number(res.headers['content-length'] ?? 0) > MAX_VIDEO_BYTES) {
        await res.discard();
        throw providerProtocolError('openai', 'video is larger than allowed');
      }
      return {
        bytes: Buffer.from(await res.bytes()),
        contentType: res.headers['content-type'] ?? 'video/mp4',
      };
    },

    async cancel(taskId, signal) {
      checkId(taskId);
      const res = await send(videoUrl(taskId), { method: 'DELETE', signal });
      await res.discard();
    },
  };
}

function videoFields(request: TaskRequest): Record<string, string> {
  if (request.model === undefined) throw new CoreError('internal', 'openai video: the route names no model.');
  if (request.prompt.trim().length === 0) throw new CoreError('invalid_request', 'The prompt is empty.');
  const fields: Record<string, string> = { model: request.model, prompt: request.prompt };
  if (request.seconds !== undefined) {
    const seconds = String(request.seconds);
    if (!SECONDS.includes(seconds))
      throw new CoreError('invalid_request', `Video length must be one of ${SECONDS.join(', ')} seconds.`);
    fields.seconds = seconds;
  }
  if (request.width !== undefined || request.height !== undefined) {
    const size = `${request.width}x${request.height}`;
    if (!SIZES.includes(size))
      throw new CoreError('invalid_request', `Video size must be one of ${SIZES.join(', ')}.`);
    fields.size = size;
  }
  if (request.negativePrompt !== undefined || request.seed !== undefined) {
    throw new CoreError('invalid_request', 'This model takes neither a negative prompt nor a seed.');
  }
  return fields;
}

function checkId(taskId: string): void {
  if (!VIDEO_ID.test(taskId)) throw new CoreError('invalid_request', 'Invalid task id.');
}
