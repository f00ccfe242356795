import type { ServerResponse } from 'node:http';
import { fakeEmbedding } from './embedding-vectors.js';
import type { LlmFault } from './llm-server.js';
import { sendJson } from './llm-server.js';

/**
 * Gemini embeddings as https://ai.google.dev/api/embeddings documents them:
 * `:embedContent` `{content:{parts:[{text}]}, taskType?, title?, outputDimensionality?}` ->
 * `{embedding:{values}}`, and `:batchEmbedContents` `{requests:[{model:"models/<id>", content, ...}]}`
 * (each `model` must name the path's model) -> `{embeddings:[{values}]}` in request order. No usage
 * is reported (the Gemini API has none for embeddings). gemini-embedding-001 answers 3072 values,
 * others 768; `outputDimensionality` cuts and renormalizes. Faults (status, latency, stall, cut) are
 * applied by the caller and by `sendJson`.
 */

const SIZES: Record<string, number> = { 'gemini-embedding-001': 3072 };
const MAX_BATCH = 100;

export type GeminiSendError = (status: number, message: string) => void;

export function answerEmbedding(
  model: string,
  method: 'embedContent' | 'batchEmbedContents',
  body: Record<string, unknown> | undefined,
  res: ServerResponse,
  fault: LlmFault,
  sendError: GeminiSendError,
): void {
  const size = SIZES[model] ?? 768;
  const one = (request: Record<string, unknown>, where: string): number[] | string => {
    const parts = (request.content as { parts?: Array<{ text?: unknown }> } | undefined)?.parts;
    const text = Array.isArray(parts)
      ? parts.map((p) => (typeof p.text === 'string' ? p.text : '')).join('')
      : '';
    if (text === '') return `* ${where}.content: contents is not specified`;
    const dims = request.outputDimensionality;
    if (
      dims !== undefined &&
      (typeof dims !== 'number' || !Number.isInteger(dims) || dims < 1 || dims > size)
    ) {
      return `* ${where}.output_dimensionality: must be between 1 and ${size}`;
    }
    return fakeEmbedding(text, size, dims as number | undefined);
  };
  if (method === 'embedContent') {
    const vector = one(body ?? {}, 'EmbedContentRequest');
    if (typeof vector === 'string') {
      sendError(400, vector);
      return;
    }
    sendJson(res, 200, { embedding: { values: vector } }, { fault });
    return;
  }
  const requests = body?.requests;
  if (!Array.isArray(requests) || requests.length === 0) {
    sendError(400, '* BatchEmbedContentsRequest.requests: requests is not specified');
    return;
  }
  if (requests.length > MAX_BATCH) {
    sendError(400, `* BatchEmbedContentsRequest.requests: at most ${MAX_BATCH} requests can be in one batch`);
    return;
  }
  const embeddings: Array<{ values: number[] }> = [];
  for (const [i, request] of (requests as Array<Record<string, unknown>>).entries()) {
    if (request.model !== `models/${model}`) {
      sendError(
        400,
        `Model name in request (${String(request.model)}) does not match the model in the path (models/${model}).`,
      );
      return;
    }
    const vector = one(request, `BatchEmbedContentsRequest.requests[${i}]`);
    if (typeof vector === 'string') {
      sendError(400, vector);
      return;
    }
    embeddings.push({ values: vector });
  }
  sendJson(res, 200, { embeddings }, { fault });
}
