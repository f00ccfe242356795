import type { ChatProvider, ChatRequest, ChatResult, StreamPart } from '../contract.js';
import { ProviderError } from '../shared/errors.js';
import type { HttpResponse } from '../shared/http.js';
import { encodeJsonBody } from '../shared/json-slices.js';
import type { ProviderOptions } from '../shared/options.js';
import { parseSse } from '../shared/sse.js';
import { joinUrl } from '../shared/wire.js';
import { toChatCompletionsBody } from './convert-request.js';
import { errorFromResponse } from './errors.js';
import { parseChatCompletion } from './parse-response.js';
import { parseChatCompletionStream } from './parse-stream.js';
import type { OpenAICompatibleVendor } from './vendor.js';

/** The shared chat-completions base: every OpenAI-compatible vendor is this plus its declaration. */
export function createOpenAICompatibleChatProvider(
  vendor: OpenAICompatibleVendor,
  options: ProviderOptions,
): ChatProvider {
  if (vendor.requiresApiKey && !options.apiKey) {
    throw new ProviderError('internal', `${vendor.id}: an API key is required`, {
      provider: vendor.id,
      retryable: false,
    });
  }
  const url = joinUrl(options.baseUrl, vendor.chatPath);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;

  async function post(request: ChatRequest, stream: boolean): Promise<HttpResponse> {
    const res = await options.http.request(url, {
      method: 'POST',
      provider: vendor.id,
      headers: stream ? { ...headers, accept: 'text/event-stream' } : headers,
      body: await encodeJsonBody(toChatCompletionsBody(request, vendor, stream)),
      signal: request.signal,
    });
    if (res.status < 200 || res.status >= 300) throw await errorFromResponse(vendor, res);
    return res;
  }

  return {
    id: vendor.id,
    async generate(request: ChatRequest): Promise<ChatResult> {
      const res = await post(request, false);
      return parseChatCompletion(vendor, await res.json());
    },
    async *stream(request: ChatRequest): AsyncGenerator<StreamPart> {
      const res = await post(request, true);
      yield* parseChatCompletionStream(vendor, parseSse(res.body));
    },
  };
}
