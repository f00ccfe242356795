import { errorFromResponse } from '../gemini/errors.js';
import { GEMINI_API_VERSION } from '../gemini/provider.js';
import { ProviderError, providerProtocolError } from '../shared/errors.js';
import type { ProviderOptions } from '../shared/options.js';
import { isObject, joinUrl } from '../shared/wire.js';
import type { EmbeddingProvider, EmbeddingRequest, EmbeddingResult } from './contract.js';
import { checkBatch, vectorOf } from './vectors.js';

/**
 * Gemini embeddings: `POST /v1beta/models/{model}:batchEmbedContents` with
 * `{requests:[{model:"models/{model}", content:{parts:[{text}]}, outputDimensionality?}]}` (each
 * request names the same model as the path), answered `{embeddings:[{values}]}` in request order.
 * One call for any batch, as Google's own SDK does. The Gemini API reports no token usage for
 * embeddings, so `inputTokens` is left out and the gateway counts the tokens itself.
 */
export function createGeminiEmbeddingProvider(options: ProviderOptions): EmbeddingProvider {
  if (!options.apiKey) {
    throw new ProviderError('internal', 'gemini: an API key is required', {
      provider: 'gemini',
      retryable: false,
    });
  }
  const headers = { 'content-type': 'application/json', 'x-goog-api-key': options.apiKey };

  return {
    id: 'gemini',
    acceptsTokenArrays: false,
    acceptsUser: false,
    async embed(request: EmbeddingRequest): Promise<EmbeddingResult> {
      if (request.inputs.kind !== 'text') {
        throw new ProviderError('invalid_request', 'gemini: embeddings take text inputs only', {
          provider: 'gemini',
          retryable: false,
        });
      }
      const id = request.model.replace(/^models\//, '');
      const url = joinUrl(
        options.baseUrl,
        `/${GEMINI_API_VERSION}/models/${encodeURIComponent(id)}:batchEmbedContents`,
      );
      const body = {
        requests: request.inputs.texts.map((text) => ({
          model: `models/${id}`,
          content: { parts: [{ text }] },
          ...(request.dimensions === undefined ? {} : { outputDimensionality: request.dimensions }),
        })),
      };
      const res = await options.http.request(url, {
        method: 'POST',
        provider: 'gemini',
        headers,
        body: JSON.stringify(body),
        signal: request.signal,
      });
      if (res.status < 200 || res.status >= 300) throw await errorFromResponse(res);
      const answer = await res.json();
      if (!isObject(answer) || !Array.isArray(answer.embeddings)) {
        throw providerProtocolError('gemini', 'the answer has no "embeddings" list');
      }
      const vectors = answer.embeddings.map((e) => vectorOf('gemini', isObject(e) ? e.values : undefined));
      return { vectors: checkBatch('gemini', vectors, request.inputs.texts.length) };
    },
  };
}
