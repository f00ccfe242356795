import type { ChatProvider, ChatRequest, ChatResult, StreamPart } from '../contract.js';
import { ProviderError } from '../shared/errors.js';
import type { HttpResponse } from '../shared/http.js';
import { encodeJsonBody } from '../shared/json-slices.js';
import type { ProviderOptions } from '../shared/options.js';
import { parseSse } from '../shared/sse.js';
import { joinUrl } from '../shared/wire.js';
import { toMessagesBody } from './convert-request.js';
import { errorFromResponse } from './errors.js';
import { parseMessage } from './parse-response.js';
import { parseMessagesStream } from './parse-stream.js';

export const ANTHROPIC_VERSION = '2023-06-01';

/** Anthropic Messages API. Base URL convention: `https://api.anthropic.com` (the path adds `/v1/messages`). */
export function createAnthropicChatProvider(options: ProviderOptions): ChatProvider {
  if (!options.apiKey) {
    throw new ProviderError('internal', 'anthropic: an API key is required', {
      provider: 'anthropic',
      retryable: false,
    });
  }
  const url = joinUrl(options.baseUrl, '/v1/messages');
  const headers = {
    'content-type': 'application/json',
    'x-api-key': options.apiKey,
    'anthropic-version': ANTHROPIC_VERSION,
  };

  async function post(request: ChatRequest, stream: boolean): Promise<HttpResponse> {
    const res = await options.http.request(url, {
      method: 'POST',
      provider: 'anthropic',
      headers: stream ? { ...headers, accept: 'text/event-stream' } : headers,
      body: await encodeJsonBody(toMessagesBody(request, stream)),
      signal: request.signal,
    });
    if (res.status < 200 || res.status >= 300) throw await errorFromResponse(res);
    return res;
  }

  return {
    id: 'anthropic',
    async generate(request: ChatRequest): Promise<ChatResult> {
      const res = await post(request, false);
      return parseMessage(await res.json());
    },
    async *stream(request: ChatRequest): AsyncGenerator<StreamPart> {
      const res = await post(request, true);
      yield* parseMessagesStream(parseSse(res.body));
    },
  };
}
