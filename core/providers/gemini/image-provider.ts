import type {
  ImageEditRequest,
  ImageGenerationRequest,
  ImageProvider,
  ImageResult,
} from '../media-contract.js';
import { ProviderError } from '../shared/errors.js';
import type { ProviderOptions } from '../shared/options.js';
import { joinUrl } from '../shared/wire.js';
import { errorFromResponse } from './errors.js';
import { imageGenerateContentBody } from './image-request.js';
import { parseImageResponse } from './image-response.js';

export interface GeminiImageOptions extends ProviderOptions {
  /** Longest wait for the response headers. */
  timeoutMs?: number;
}

const MAX_IMAGES_PER_REQUEST = 4;

/**
 * Gemini image models (e.g. `gemini-2.5-flash-image`) through `generateContent`. One call makes one
 * image, so `n` images are `n` calls in turn, stopping at the first failure; the images made before it
 * are returned (the caller bills per image returned) and the error is thrown only when there are none.
 */
export function createGeminiImageProvider(options: GeminiImageOptions): ImageProvider {
  if (!options.apiKey) {
    throw new ProviderError('internal', 'gemini: an API key is required', {
      provider: 'gemini',
      retryable: false,
    });
  }
  const headers = { 'content-type': 'application/json', 'x-goog-api-key': options.apiKey };

  async function once(
    request: ImageGenerationRequest | ImageEditRequest,
    body: string,
  ): Promise<ImageResult> {
    const id = encodeURIComponent(request.model.replace(/^models\//, ''));
    const res = await options.http.request(joinUrl(options.baseUrl, `/v1beta/models/${id}:generateContent`), {
      method: 'POST',
      provider: 'gemini',
      headers,
      body,
      ...(options.timeoutMs === undefined ? {} : { headersTimeoutMs: options.timeoutMs }),
      ...(request.signal === undefined ? {} : { signal: request.signal }),
    });
    if (res.status < 200 || res.status > 299) throw await errorFromResponse(res);
    return parseImageResponse(await res.json());
  }

  async function run(request: ImageGenerationRequest | ImageEditRequest): Promise<ImageResult> {
    const n = request.n ?? 1;
    if (!Number.isInteger(n) || n < 1 || n > MAX_IMAGES_PER_REQUEST) {
      throw new ProviderError('invalid_request', `gemini: n must be from 1 to ${MAX_IMAGES_PER_REQUEST}`, {
        provider: 'gemini',
        retryable: false,
      });
    }
    const body = JSON.stringify(imageGenerateContentBody(request));
    const results: ImageResult[] = [];
    let firstError: unknown;
    for (let index = 0; index < n; index += 1) {
      try {
        results.push(await once(request, body));
      } catch (error) {
        // Stop at the first failure: a refusal or a bad request would only fail again, at a cost.
        firstError = error;
        break;
      }
    }
    if (results.length === 0) throw firstError;
    return merge(results);
  }

  return {
    id: 'gemini',
    generate: (request) => run(request),
    edit: (request) => run(request),
  };
}

function merge(results: ImageResult[]): ImageResult {
  const usages = results.flatMap((result) => (result.usage === undefined ? [] : [result.usage]));
  const revisedPrompt = results.find((result) => result.revisedPrompt !== undefined)?.revisedPrompt;
  return {
    images: results.flatMap((result) => result.images),
    ...(usages.length === results.length
      ? {
          usage: {
            inputTokens: usages.reduce((sum, usage) => sum + usage.inputTokens, 0),
            outputTokens: usages.reduce((sum, usage) => sum + usage.outputTokens, 0),
          },
        }
      : {}),
    ...(revisedPrompt === undefined ? {} : { revisedPrompt }),
  };
}
