/**
 * The embedding provider contract: a batch of inputs in, one vector per input (same order) and the
 * upstream's token usage out. Inputs are texts, or token-id arrays for upstreams that read them
 * (`acceptsTokenArrays`); the gateway never sends token arrays to one that does not.
 */

export type EmbeddingProviderId = 'openai' | 'gemini' | 'openai-compatible';

export type EmbeddingInputs = { kind: 'text'; texts: string[] } | { kind: 'tokens'; tokens: number[][] };

export interface EmbeddingRequest {
  /** The upstream's own model id (the catalog route's `model`). */
  model: string;
  inputs: EmbeddingInputs;
  /** Shorter vectors, for models that can truncate (OpenAI `dimensions`, Gemini `outputDimensionality`). */
  dimensions?: number;
  /** An end-user id for the upstream's abuse monitoring (OpenAI `user`). */
  user?: string;
  signal?: AbortSignal;
}

export interface EmbeddingResult {
  /** One vector per input, in input order. */
  vectors: number[][];
  /** Prompt tokens the upstream reported; undefined when it reports none (Gemini never does). */
  inputTokens?: number;
}

export interface EmbeddingProvider {
  readonly id: EmbeddingProviderId;
  /** Whether inputs may be token-id arrays (OpenAI's `input: number[][]`). */
  readonly acceptsTokenArrays: boolean;
  /** Whether `user` reaches the upstream. */
  readonly acceptsUser: boolean;
  /** Rejects with `ProviderError` on upstream failure (network, status, or a body that is not a batch of vectors). */
  embed(request: EmbeddingRequest): Promise<EmbeddingResult>;
}
