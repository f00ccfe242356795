import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';

/**
 * Token estimates with an OpenAI tokenizer (o200k). Other vendors tokenize differently, so callers
 * add a margin where an estimate bounds a charge. Special-token text (`<|endoftext|>`) is counted as
 * ordinary text: it arrives from users and must never throw.
 */

/** Texts longer than this are tokenized on a prefix and extrapolated, so a 10 MB prompt costs no seconds of CPU. */
const TOKENIZE_PREFIX_CHARS = 64_000;
const NO_SPECIAL = { disallowedSpecial: new Set<string>() };

export function countTextTokens(text: string): number {
  if (text.length === 0) return 0;
  if (text.length <= TOKENIZE_PREFIX_CHARS) return countTokens(text, NO_SPECIAL);
  const prefix = countTokens(text.slice(0, TOKENIZE_PREFIX_CHARS), NO_SPECIAL);
  return Math.ceil((prefix * text.length) / TOKENIZE_PREFIX_CHARS);
}
