import type { EmbeddingInputs } from '../../core/providers/embeddings/index.js';
import type { EmbedOutcome } from '../../core/routing/index.js';
import type { EmbeddingsBody } from '../schemas/v1-embeddings.js';

/** OpenAI's embeddings wire format, both ways. */

export function embeddingInputsOf(input: EmbeddingsBody['input']): EmbeddingInputs {
  if (typeof input === 'string') return { kind: 'text', texts: [input] };
  if (input.length === 0) return { kind: 'text', texts: [] };
  if (input.every((item) => typeof item === 'string')) return { kind: 'text', texts: input as string[] };
  if (input.every((item) => typeof item === 'number')) return { kind: 'tokens', tokens: [input as number[]] };
  return { kind: 'tokens', tokens: input as number[][] };
}

/**
 * A vector as base64 of packed IEEE-754 float32, little-endian: what OpenAI sends for
 * `encoding_format: "base64"` and what its SDKs decode (a Float32Array over the bytes).
 */
export function base64Vector(vector: number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((x, i) => {
    bytes.writeFloatLE(x, i * 4);
  });
  return bytes.toString('base64');
}

/** `CreateEmbeddingResponse`; `model` is our catalog id, as the client asked. */
export function embeddingsResponse(outcome: EmbedOutcome, format: 'float' | 'base64') {
  return {
    object: 'list',
    model: outcome.model,
    data: outcome.vectors.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: format === 'base64' ? base64Vector(vector) : vector,
    })),
    usage: { prompt_tokens: outcome.inputTokens, total_tokens: outcome.inputTokens },
  };
}
