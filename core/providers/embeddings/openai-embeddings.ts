import { errorFromResponse } from '../openai-compatible/errors.js';
import type { OpenAICompatibleVendor } from '../openai-compatible/vendor.js';
import { providerProtocolError } from '../shared/errors.js';
import type { ProviderOptions } from '../shared/options.js';
import { count, isObject, joinUrl } from '../shared/wire.js';
import type { EmbeddingProvider, EmbeddingRequest, EmbeddingResult } from './contract.js';
import { checkBatch, vectorOf } from './vectors.js';

/**
 * `POST {base}/embeddings` in OpenAI's format, for OpenAI and self-hosted OpenAI-compatible servers
 * (vLLM, Ollama, llama.cpp, TEI). Request: `{model, input, encoding_format:"float", dimensions?,
 * user?}`; answer: `{data:[{index, embedding}], usage:{prompt_tokens}}`. Vectors are put in order by
 * `index`. Floats are asked for (every compatible server speaks them); the API re-encodes to base64
 * for clients that want it. Errors are read as the chat endpoint's (same error body).
 */
export function createOpenAIStyleEmbeddingProvider(
  vendor: {
    id: 'openai' | 'openai-compatible';
    nonRetryableErrorTypes?: OpenAICompatibleVendor['nonRetryableErrorTypes'];
  },
  options: ProviderOptions,
  capabilities: { acceptsTokenArrays: boolean; acceptsUser: boolean },
): EmbeddingProvider {
  const url = joinUrl(options.baseUrl, '/embeddings');
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;

  return {
    id: vendor.id,
    ...capabilities,
    async embed(request: EmbeddingRequest): Promise<EmbeddingResult> {
      const input = request.inputs.kind === 'text' ? request.inputs.texts : request.inputs.tokens;
      const body = {
        model: request.model,
        input,
        encoding_format: 'float',
        ...(request.dimensions === undefined ? {} : { dimensions: request.dimensions }),
        ...(request.user === undefined ? {} : { user: request.user }),
      };
      const res = await options.http.request(url, {
        method: 'POST',
        provider: vendor.id,
        headers,
        body: JSON.stringify(body),
        signal: request.signal,
      });
      if (res.status < 200 || res.status >= 300) throw await errorFromResponse(vendor, res);
      return parseEmbeddingList(vendor.id, await res.json(), input.length);
    },
  };
}

function parseEmbeddingList(provider: string, body: unknown, expected: number): EmbeddingResult {
  if (!isObject(body) || !Array.isArray(body.data)) {
    throw providerProtocolError(provider, 'the embeddings answer has no "data" list');
  }
  const data: unknown[] = body.data;
  const vectors: number[][] = new Array(data.length);
  data.forEach((item, position) => {
    const obj = isObject(item) ? item : {};
    const index = count(obj.index) ?? position;
    if (index >= data.length || vectors[index] !== undefined) {
      throw providerProtocolError(provider, 'the embeddings answer has a wrong or repeated index');
    }
    vectors[index] = vectorOf(provider, obj.embedding);
  });
  const usage = isObject(body.usage) ? body.usage : undefined;
  const inputTokens = count(usage?.prompt_tokens);
  return {
    vectors: checkBatch(provider, vectors, expected),
    ...(inputTokens === undefined ? {} : { inputTokens }),
  };
}
