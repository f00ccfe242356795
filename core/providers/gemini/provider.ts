import type { ChatProvider, ChatRequest, ChatResult, StreamPart } from '../contract.js';
import { ProviderError } from '../shared/errors.js';
import type { HttpResponse } from '../shared/http.js';
import { encodeJsonBody } from '../shared/json-slices.js';
import type { ProviderOptions } from '../shared/options.js';
import { parseSse } from '../shared/sse.js';
import { joinUrl } from '../shared/wire.js';
import { toGenerateContentBody } from './convert-request.js';
import { errorFromResponse } from './errors.js';
import { parseGenerateContent } from './parse-response.js';
import { parseGeminiStream } from './parse-stream.js';

export const GEMINI_API_VERSION = 'v1beta';

/**
 * Google Gemini (Generative Language API). Base URL convention:
 * `https://generativelanguage.googleapis.com` (the path adds `/v1beta/models/{model}:...`).
 */
export function createGeminiChatProvider(options: ProviderOptions): ChatProvider {
  if (!options.apiKey) {
    throw new ProviderError('internal', 'gemini: an API key is required', {
      provider: 'gemini',
      retryable: false,
    });
  }
  const headers = { 'content-type': 'application/json', 'x-goog-api-key': options.apiKey };

  function url(model: string, method: 'generateContent' | 'streamGenerateContent'): string {
    const id = encodeURIComponent(model.replace(/^models\//, ''));
    const path = `/${GEMINI_API_VERSION}/models/${id}:${method}`;
    return joinUrl(options.baseUrl, method === 'streamGenerateContent' ? `${path}?alt=sse` : path);
  }

  async function post(request: ChatRequest, stream: boolean): Promise<HttpResponse> {
    const res = await options.http.request(
      url(request.model, stream ? 'streamGenerateContent' : 'generateContent'),
      {
        method: 'POST',
        provider: 'gemini',
        headers: stream ? { ...headers, accept: 'text/event-stream' } : headers,
        body: await encodeJsonBody(toGenerateContentBody(request)),
        signal: request.signal,
      },
    );
    if (res.status < 200 || res.status >= 300) throw await errorFromResponse(res);
    return res;
  }

  return {
    id: 'gemini',
    async generate(request: ChatRequest): Promise<ChatResult> {
      const res = await post(request, false);
      return parseGenerateContent(await res.json());
    },
    async *stream(request: ChatRequest): AsyncGenerator<StreamPart> {
      const res = await post(request, true);
      yield* parseGeminiStream(parseSse(res.body));
    },
  };
}
