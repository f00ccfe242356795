import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import sharp from 'sharp';
import {
  listenFake,
  type MultipartPart,
  parseMultipart,
  type RunningFake,
  sendJson,
  sleep,
} from './media-fake-server.js';

/**
 * A fake of OpenAI's image endpoints: `POST /v1/images/generations` (JSON) and
 * `POST /v1/images/edits` (multipart, `image` or repeated `image[]`, optional `mask`).
 * GPT image models always answer `b64_json` and report `usage`; dall-e models answer `url`
 * (default) or `b64_json`, and the URLs are served by the fake itself under `/files/`.
 * It enforces the spec's rules that matter to a client: prompt required, `n` 1..10 (dall-e-3 only 1),
 * sizes per model, no `response_format` for GPT image models, mask the size of the first image.
 * Faults: error statuses (OpenAI error body, `retry-after`), safety refusals
 * (`content_policy_violation`, `moderation_blocked`), latency.
 */

export const FAKE_OPENAI_IMAGES_KEY = 'sk-fake-openai-images';

export interface OpenAIImagesFault {
  status: number;
  code?: string | null;
  type?: string;
  message?: string;
  headers?: Record<string, string>;
}

export interface RecordedImageRequest {
  path: string;
  headers: IncomingHttpHeaders;
  /** JSON body (generations) or the text fields (edits). */
  fields: Record<string, unknown>;
  /** Files of a multipart edit, by field name. */
  files: Array<{ field: string; filename?: string; contentType?: string; bytes: Buffer }>;
}

export interface FakeOpenAIImages extends RunningFake {
  requests: RecordedImageRequest[];
  /** The next `times` image requests fail with this error. */
  failNext(fault: OpenAIImagesFault, times?: number): void;
  /** The next image request is refused by the safety system. */
  refuseNext(code?: 'content_policy_violation' | 'moderation_blocked'): void;
  setLatency(ms: number): void;
  /**
   * Answer every image with a URL whatever `response_format` asked (as some OpenAI-compatible
   * servers do), to exercise a client's download path.
   */
  alwaysAnswerUrls(on: boolean): void;
  /** How many times each served URL was downloaded. */
  downloads: Map<string, number>;
  /** The Authorization header of each download, in order (real image URLs need none). */
  downloadAuthorizations: Array<string | undefined>;
}

const DALLE2_SIZES = ['256x256', '512x512', '1024x1024'];
const DALLE3_SIZES = ['1024x1024', '1792x1024', '1024x1792'];
const GPT_IMAGE_SIZES = ['1024x1024', '1536x1024', '1024x1536', 'auto'];

export async function startFakeOpenAIImages(options: { apiKey?: string } = {}): Promise<FakeOpenAIImages> {
  const apiKey = options.apiKey ?? FAKE_OPENAI_IMAGES_KEY;
  const requests: RecordedImageRequest[] = [];
  const files = new Map<string, Buffer>();
  const downloads = new Map<string, number>();
  const downloadAuthorizations: Array<string | undefined> = [];
  let faults: OpenAIImagesFault[] = [];
  let latency = 0;
  let counter = 0;
  let forceUrls = false;
  let baseUrl = '';

  const server = await listenFake(async (req, res, body) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method === 'GET' && url.pathname.startsWith('/files/')) {
      const name = url.pathname.slice('/files/'.length);
      const file = files.get(name);
      if (file === undefined)
        return sendJson(res, 404, errorBody('File not found.', 'invalid_request_error'));
      downloads.set(name, (downloads.get(name) ?? 0) + 1);
      downloadAuthorizations.push(req.headers.authorization);
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': file.length });
      return res.end(file);
    }
    const isGeneration = url.pathname === '/v1/images/generations';
    const isEdit = url.pathname === '/v1/images/edits';
    if (req.method !== 'POST' || (!isGeneration && !isEdit)) {
      return sendJson(
        res,
        404,
        errorBody(`Invalid URL (${req.method} ${url.pathname})`, 'invalid_request_error'),
      );
    }
    if (latency > 0) await sleep(latency);
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      return sendJson(
        res,
        401,
        errorBody('Incorrect API key provided.', 'invalid_request_error', null, 'invalid_api_key'),
      );
    }

    let fields: Record<string, unknown>;
    let parts: MultipartPart[] = [];
    try {
      if (isEdit) {
        parts = parseMultipart(body, req.headers['content-type']);
        fields = Object.fromEntries(
          parts
            .filter((part) => part.filename === undefined)
            .map((part) => [part.name, part.data.toString('utf8')]),
        );
      } else {
        fields = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      }
    } catch {
      return sendJson(
        res,
        400,
        errorBody('We could not parse the body of your request.', 'invalid_request_error'),
      );
    }
    const uploaded = parts
      .filter((part) => part.filename !== undefined)
      .map((part) => ({
        field: part.name,
        bytes: part.data,
        ...(part.filename === undefined ? {} : { filename: part.filename }),
        ...(part.contentType === undefined ? {} : { contentType: part.contentType }),
      }));
    requests.push({ path: url.pathname, headers: req.headers, fields, files: uploaded });

    const fault = faults.shift();
    if (fault !== undefined) {
      return sendJson(
        res,
        fault.status,
        errorBody(
          fault.message ?? `Fake failure ${fault.status}`,
          fault.type ?? 'server_error',
          null,
          fault.code ?? null,
        ),
        fault.headers ?? {},
      );
    }

    const model = String(fields.model ?? (isEdit ? 'gpt-image-1.5' : 'dall-e-2'));
    const invalid = (message: string, param: string) =>
      sendJson(res, 400, errorBody(message, 'invalid_request_error', param));
    const prompt = fields.prompt;
    if (typeof prompt !== 'string' || prompt.length === 0)
      return invalid("Missing required parameter: 'prompt'.", 'prompt');
    const n = Number(fields.n ?? 1);
    if (!Number.isInteger(n) || n < 1 || n > 10) return invalid(`Invalid 'n': expected 1 to 10.`, 'n');
    const isGptImage = model.startsWith('gpt-image') || model.startsWith('chatgpt-image');
    if (model === 'dall-e-3' && n !== 1) return invalid('Only n=1 is supported for dall-e-3.', 'n');
    if (isGptImage && fields.response_format !== undefined) {
      return invalid("Unknown parameter: 'response_format'.", 'response_format');
    }
    const sizes = model === 'dall-e-3' ? DALLE3_SIZES : model === 'dall-e-2' ? DALLE2_SIZES : GPT_IMAGE_SIZES;
    const size = String(fields.size ?? (model === 'dall-e-2' && !isEdit ? '1024x1024' : sizes[0]));
    if (!sizes.includes(size) && !(isEdit && size === 'auto')) {
      return invalid(`Invalid size '${size}'. Supported sizes are ${sizes.join(', ')}.`, 'size');
    }

    if (isEdit) {
      const images = uploaded.filter((file) => file.field === 'image' || file.field === 'image[]');
      if (images.length === 0) return invalid("Missing required parameter: 'image'.", 'image');
      const first = await sharp(images[0]!.bytes)
        .metadata()
        .catch(() => undefined);
      if (first === undefined) return invalid('Invalid image file or mode for image 1.', 'image');
      const mask = uploaded.find((file) => file.field === 'mask');
      if (mask !== undefined) {
        const maskMeta = await sharp(mask.bytes)
          .metadata()
          .catch(() => undefined);
        if (
          maskMeta?.format !== 'png' ||
          maskMeta.width !== first.width ||
          maskMeta.height !== first.height
        ) {
          return invalid('Invalid mask image: it must be a PNG the same size as the image.', 'mask');
        }
      }
    }

    const refusal = String(prompt).includes('[refuse]') ? 'content_policy_violation' : undefined;
    if (refusal !== undefined) return sendRefusal(res, refusal);

    const [width, height] = size === 'auto' ? [1024, 1024] : size.split('x').map(Number);
    const format = isGptImage ? String(fields.output_format ?? 'png') : 'png';
    const wantsUrl = forceUrls || (!isGptImage && (fields.response_format ?? 'url') === 'url');
    const data: Array<Record<string, unknown>> = [];
    for (let index = 0; index < n; index += 1) {
      counter += 1;
      const image = await renderImage(width!, height!, counter, format);
      const entry: Record<string, unknown> = {};
      if (wantsUrl) {
        const name = `img-${randomUUID()}.png`;
        files.set(name, image);
        entry.url = `${baseUrl}/files/${name}`;
      } else {
        entry.b64_json = image.toString('base64');
      }
      if (model === 'dall-e-3') entry.revised_prompt = `A detailed rendering of: ${prompt}`;
      data.push(entry);
    }
    const response: Record<string, unknown> = { created: Math.floor(Date.now() / 1000), data };
    if (isGptImage) {
      const textTokens = String(prompt).split(/\s+/).length;
      const imageTokens = isEdit ? 65 * uploaded.length : 0;
      const outputTokens = 272 * n;
      Object.assign(response, {
        background: fields.background ?? 'opaque',
        output_format: format,
        size,
        quality: fields.quality ?? 'high',
        usage: {
          input_tokens: textTokens + imageTokens,
          output_tokens: outputTokens,
          total_tokens: textTokens + imageTokens + outputTokens,
          input_tokens_details: { text_tokens: textTokens, image_tokens: imageTokens },
        },
      });
    }
    sendJson(res, 200, response, { 'x-request-id': `req_${randomUUID()}` });
  });
  baseUrl = server.url;

  function sendRefusal(res: ServerResponse, code: 'content_policy_violation' | 'moderation_blocked'): void {
    const message =
      code === 'moderation_blocked'
        ? 'Your request was rejected by the safety system.'
        : 'Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.';
    sendJson(
      res,
      400,
      errorBody(
        message,
        code === 'moderation_blocked' ? 'invalid_request_error' : 'image_generation_user_error',
        null,
        code,
      ),
    );
  }

  return {
    ...server,
    requests,
    downloads,
    downloadAuthorizations,
    failNext(fault, times = 1) {
      faults = [...faults, ...Array.from({ length: times }, () => fault)];
    },
    refuseNext(code = 'content_policy_violation') {
      faults.push({
        status: 400,
        code,
        type: code === 'moderation_blocked' ? 'invalid_request_error' : 'image_generation_user_error',
        message: 'Your request was rejected as a result of our safety system.',
      });
    },
    setLatency(ms) {
      latency = ms;
    },
    alwaysAnswerUrls(on) {
      forceUrls = on;
    },
  };
}

function errorBody(message: string, type: string, param: string | null = null, code: string | null = null) {
  return { error: { message, type, param, code } };
}

/** A plain image whose colour changes with each one made, so images are distinguishable. */
async function renderImage(width: number, height: number, seed: number, format: string): Promise<Buffer> {
  const background = { r: (seed * 67) % 256, g: (seed * 131) % 256, b: (seed * 199) % 256 };
  const image = sharp({ create: { width, height, channels: 3, background } });
  if (format === 'jpeg') return image.jpeg().toBuffer();
  if (format === 'webp') return image.webp().toBuffer();
  return image.png().toBuffer();
}
