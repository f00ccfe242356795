import type { ServerResponse } from 'node:http';
import { fakeEmbedding } from './embedding-vectors.js';
import { countWords } from './llm-echo.js';
import type { OpenAIWireFault } from './llm-openai-wire.js';
import { type RecordedRequest, sendJson } from './llm-server.js';

/**
 * `POST /v1/embeddings` as OpenAI documents it (`CreateEmbeddingRequest` /
 * `CreateEmbeddingResponse`), for the OpenAI fake and the self-hosted one: `input` a string, strings,
 * a token array or token arrays (at most 2048 items, none empty, each at most 8192 tokens);
 * `encoding_format` `float` (default) or `base64` (packed little-endian float32); `dimensions` for
 * text-embedding-3 models only (the vector cut and renormalized). Tokens are words of a text, or the
 * length of a token array. Faults: scripted `reply.inputTokens`, usage missing or zero, and (in the
 * caller) error statuses, latency, stall and cut.
 */

/** Default vector sizes (OpenAI's published ones; other ids, as self-hosted BGE-M3, 1024). */
const SIZES: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};
const MAX_INPUTS = 2048;
const MAX_TOKENS_PER_INPUT = 8192;

export type EmbeddingsError = (
  status: number,
  type: string,
  message: string,
  param: string | null,
  code?: string | null,
) => void;

export function answerEmbeddings(
  request: RecordedRequest,
  res: ServerResponse,
  fault: OpenAIWireFault,
  sendError: EmbeddingsError,
): void {
  const body = request.body as Record<string, unknown> | undefined;
  if (!body || typeof body.model !== 'string' || body.input === undefined) {
    sendError(400, 'invalid_request_error', "Missing required parameter: 'input' or 'model'.", 'input');
    return;
  }
  const items = inputItems(body.input);
  if (items === undefined || items.length === 0 || items.length > MAX_INPUTS) {
    sendError(400, 'invalid_request_error', "'$.input' is invalid. Please check the API reference.", 'input');
    return;
  }
  const tokens = items.map((item) => (typeof item === 'string' ? countWords(item) : item.length));
  const longest = Math.max(...tokens);
  if (longest > MAX_TOKENS_PER_INPUT) {
    sendError(
      400,
      'invalid_request_error',
      `This model's maximum context length is ${MAX_TOKENS_PER_INPUT} tokens, however you requested ${longest} tokens in your input. Please reduce your input.`,
      'input',
      'context_length_exceeded',
    );
    return;
  }
  const model = body.model;
  const size = SIZES[model] ?? 1024;
  const dimensions = body.dimensions;
  if (dimensions !== undefined) {
    if (!model.startsWith('text-embedding-3')) {
      sendError(
        400,
        'invalid_request_error',
        'This model does not support specifying dimensions.',
        'dimensions',
      );
      return;
    }
    if (
      typeof dimensions !== 'number' ||
      !Number.isInteger(dimensions) ||
      dimensions < 1 ||
      dimensions > size
    ) {
      sendError(400, 'invalid_request_error', `'dimensions' must be between 1 and ${size}.`, 'dimensions');
      return;
    }
  }
  const base64 = body.encoding_format === 'base64';
  const data = items.map((item, index) => {
    const vector = fakeEmbedding(
      typeof item === 'string' ? item : item.join(' '),
      size,
      dimensions as number | undefined,
    );
    return { object: 'embedding', index, embedding: base64 ? packed(vector) : vector };
  });
  const promptTokens = fault.reply?.inputTokens ?? tokens.reduce((sum, n) => sum + n, 0);
  const answer: Record<string, unknown> = { object: 'list', data, model };
  if (fault.usage === 'zero') answer.usage = { prompt_tokens: 0, total_tokens: 0 };
  else if (fault.usage !== 'missing')
    answer.usage = { prompt_tokens: promptTokens, total_tokens: promptTokens };
  sendJson(res, 200, answer, { fault });
}

function inputItems(input: unknown): Array<string | number[]> | undefined {
  if (typeof input === 'string') return input === '' ? undefined : [input];
  if (!Array.isArray(input)) return undefined;
  if (input.every((x) => typeof x === 'number')) return input.length === 0 ? undefined : [input as number[]];
  const items: Array<string | number[]> = [];
  for (const item of input) {
    if (typeof item === 'string' && item !== '') items.push(item);
    else if (Array.isArray(item) && item.length > 0 && item.every((x) => Number.isInteger(x)))
      items.push(item);
    else return undefined;
  }
  return items;
}

function packed(vector: number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((x, i) => {
    bytes.writeFloatLE(x, i * 4);
  });
  return bytes.toString('base64');
}
