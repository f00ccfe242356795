import type { ImageProvider, ImageResult, MediaFile } from '../media-contract.js';
import { imageContentType } from '../media-contract.js';
import { providerErrorFromStatus } from '../shared/errors.js';
import type { HttpResponse } from '../shared/http.js';
import type { ProviderOptions } from '../shared/options.js';
import { joinUrl } from '../shared/wire.js';
import { imageErrorFromResponse } from './image-errors.js';
import { editForm, generationBody } from './image-request.js';
import { parseImagesResponse } from './image-response.js';

export interface OpenAIImageOptions extends ProviderOptions {
  /** Longest wait for the response headers; image models can take minutes. */
  timeoutMs?: number;
}

const DEFAULT_IMAGE_TIMEOUT_MS = 300_000;
const MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024;

/** OpenAI images (gpt-image, dall-e). Base URL convention: `https://api.openai.com/v1`. */
export function createOpenAIImageProvider(options: OpenAIImageOptions): ImageProvider {
  const timeout = options.timeoutMs ?? DEFAULT_IMAGE_TIMEOUT_MS;
  const auth: Record<string, string> =
    options.apiKey === undefined ? {} : { authorization: `Bearer ${options.apiKey}` };

  async function call(path: string, body: Uint8Array | string, contentType: string, signal?: AbortSignal) {
    const res = await options.http.request(joinUrl(options.baseUrl, path), {
      method: 'POST',
      provider: 'openai',
      headers: { ...auth, 'content-type': contentType, accept: 'application/json' },
      body,
      headersTimeoutMs: timeout,
      ...(signal === undefined ? {} : { signal }),
    });
    if (res.status < 200 || res.status > 299) throw await imageErrorFromResponse(res);
    return res.json();
  }

  async function download(url: string, signal?: AbortSignal): Promise<MediaFile> {
    const res = await options.http.request(url, {
      provider: 'openai',
      ...(signal === undefined ? {} : { signal }),
    });
    return readImage(res);
  }

  return {
    id: 'openai',
    async generate(request): Promise<ImageResult> {
      const body = JSON.stringify(generationBody(request));
      const json = await call('/images/generations', body, 'application/json', request.signal);
      return parseImagesResponse(json, (url) => download(url, request.signal));
    },
    async edit(request): Promise<ImageResult> {
      const form = await editForm(request);
      const json = await call('/images/edits', form.body, form.contentType, request.signal);
      return parseImagesResponse(json, (url) => download(url, request.signal));
    },
  };
}

async function readImage(res: HttpResponse): Promise<MediaFile> {
  if (res.status !== 200) {
    await res.discard();
    throw providerErrorFromStatus({
      provider: 'openai',
      status: res.status,
      message: 'image download failed',
    });
  }
  if (Number(res.headers['content-length'] ?? 0) > MAX_DOWNLOAD_BYTES) {
    await res.discard();
    throw providerErrorFromStatus({ provider: 'openai', status: 502, message: 'image download too large' });
  }
  const bytes = Buffer.from(await res.bytes());
  return { bytes, contentType: imageContentType(bytes, res.headers['content-type']) };
}
