import type { EmbeddingModel } from '../catalog/index.js';
import type { PriceSnapshot } from '../jobs/index.js';
import { tokenCostMrp } from '../ledger/index.js';
import type { EmbeddingInputs } from '../providers/embeddings/index.js';
import { countTokensOfTexts, textTokenBound } from './tokens.js';

/**
 * The money policy of an embeddings request, billed per input token at the model's input price.
 *
 * Hold = a true upper bound no input can shrink: per input, its UTF-8 bytes (a byte-level token
 * covers at least one byte) or its exact length for a token-id array, capped at the model's input
 * limit (OpenAI refuses a longer input, Gemini truncates it); summed, times the price; at least 1 mRp.
 * Charge = the upstream's reported prompt tokens (even above the hold, as for chat), else our own
 * count (Gemini reports none), which never exceeds the bound.
 */

export interface EmbeddingHold {
  amountMrp: bigint;
  /** The input bound the hold is priced at. */
  inputTokens: number;
}

/** Per-input bounds, capped at the model's input limit. */
function inputBounds(model: EmbeddingModel, inputs: EmbeddingInputs): number[] {
  const cap = model.maxInputTokens;
  return inputs.kind === 'text'
    ? inputs.texts.map((text) => Math.min(textTokenBound(text), cap))
    : inputs.tokens.map((tokens) => Math.min(tokens.length, cap));
}

export function embeddingInputBound(model: EmbeddingModel, inputs: EmbeddingInputs): number {
  return inputBounds(model, inputs).reduce((sum, n) => sum + n, 0);
}

export function embeddingHold(model: EmbeddingModel, inputs: EmbeddingInputs): EmbeddingHold {
  const inputTokens = embeddingInputBound(model, inputs);
  const amount = embeddingCostMrp(model, inputTokens);
  return { amountMrp: amount > 0n ? amount : 1n, inputTokens };
}

/**
 * A likely token count (rate limits; usage an upstream does not report): token arrays exactly, texts
 * with one bounded tokenizer pass over all of them, never above the bound.
 */
export async function estimateEmbeddingTokens(
  model: EmbeddingModel,
  inputs: EmbeddingInputs,
): Promise<number> {
  const bound = embeddingInputBound(model, inputs);
  if (inputs.kind === 'tokens') return bound;
  return Math.min(await countTokensOfTexts(inputs.texts), bound);
}

/** The exact charge for `inputTokens` at the model's price, rounded up once to the next mRp. */
export function embeddingCostMrp(model: EmbeddingModel, inputTokens: number): bigint {
  return tokenCostMrp(
    { inputTokens, outputTokens: 0, cachedInputTokens: 0 },
    { inputPerMTokMrp: model.price.inputPerMTokMrp, outputPerMTokMrp: 0n },
  );
}

export function embeddingPriceSnapshot(model: EmbeddingModel): PriceSnapshot {
  return { inputPerMTokMrp: model.price.inputPerMTokMrp.toString() };
}
