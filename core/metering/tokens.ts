import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';

/**
 * Token counts for money and rate limits, in two flavours:
 *
 * - `textTokenBound`: a bound no input can beat. Every vendor we route to tokenizes with a byte-level
 *   BPE (or byte-fallback SentencePiece), where one token covers at least one UTF-8 byte, so a text
 *   never counts more tokens than it has bytes. Linear time, native, no tokenizer involved.
 * - `countTextTokens`: an estimate with an OpenAI tokenizer (o200k), for rate limits and for usage an
 *   upstream failed to report. The BPE is quadratic on long runs of one character, so it only ever
 *   sees short chunks of a bounded sample; longer texts are extrapolated by bytes and never exceed
 *   the bound. Worst case a few milliseconds, whatever the input.
 *
 * Special-token text (`<|endoftext|>`) is counted as ordinary text: it arrives from users and must
 * never throw.
 */

/** Texts are tokenized in chunks of this many characters (quadratic work stays tiny per chunk). */
const CHUNK_CHARS = 512;
/** Texts up to this long are tokenized whole; longer ones by evenly spread windows, extrapolated. */
const SAMPLE_CHARS = 8_192;
const WINDOWS = 4;
const NO_SPECIAL = { disallowedSpecial: new Set<string>() };

export function textTokenBound(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function chunkedCount(text: string): number {
  let tokens = 0;
  for (let at = 0; at < text.length; at += CHUNK_CHARS) {
    tokens += countTokens(text.slice(at, at + CHUNK_CHARS), NO_SPECIAL);
  }
  return tokens;
}

export function countTextTokens(text: string): number {
  if (text.length === 0) return 0;
  if (text.length <= SAMPLE_CHARS) return chunkedCount(text);
  // Windows spread over the whole text, so a padded start cannot stand for a dense rest.
  const width = SAMPLE_CHARS / WINDOWS;
  const step = (text.length - width) / (WINDOWS - 1);
  let tokens = 0;
  let bytes = 0;
  for (let i = 0; i < WINDOWS; i++) {
    const window = text.slice(Math.floor(i * step), Math.floor(i * step) + width);
    tokens += chunkedCount(window);
    bytes += textTokenBound(window);
  }
  const total = textTokenBound(text);
  return Math.min(total, Math.ceil((tokens * total) / Math.max(bytes, 1)));
}
