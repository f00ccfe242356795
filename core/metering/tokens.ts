import { sliceOfPieces, utf8LengthOfPieces } from '../text-pieces.js';
import { countPieces } from './token-counter.js';

/**
 * Token counts for money and rate limits, in two flavours:
 *
 * - `textTokenBound`: a bound no input can beat. Every vendor we route to tokenizes with a byte-level
 *   BPE (or byte-fallback SentencePiece), where one token covers at least one UTF-8 byte, so a text
 *   never counts more tokens than it has bytes. Linear time, native, no tokenizer involved.
 * - `countTextTokens`: an estimate with an OpenAI tokenizer (o200k), for rate limits and for usage an
 *   upstream failed to report, counted on a thread of its own (token-counter.ts). The BPE is
 *   quadratic on long runs of one character, so it only ever sees short chunks of a bounded
 *   sample; longer texts are extrapolated by bytes and never exceed the bound. This thread's work is
 *   choosing the sample: a few thousand characters, whatever the input.
 *
 * Special-token text (`<|endoftext|>`) is counted as ordinary text: it arrives from users and must
 * never throw.
 */

/** Texts up to this long are tokenized whole; longer ones by evenly spread windows, extrapolated. */
const SAMPLE_CHARS = 8_192;
const WINDOWS = 4;

/** UTF-8 bytes of `text`, counted over the pieces a long body text was rebuilt from (never flattened). */
export function textTokenBound(text: string): number {
  return utf8LengthOfPieces(text);
}

/** A likely token count of one text (see `countTokensOfTexts`). */
export function countTextTokens(text: string): Promise<number> {
  return countTokensOfTexts([text]);
}

/**
 * A likely token count of texts read one after another with `separator` between them, as if joined,
 * without joining them (joining megabytes would copy them all on this thread just to read 8k
 * characters of it).
 */
export async function countTokensOfTexts(texts: readonly string[], separator = '\n'): Promise<number> {
  const starts: number[] = [];
  let length = 0;
  for (const text of texts) {
    if (starts.length > 0) length += separator.length;
    starts.push(length);
    length += text.length;
  }
  if (length === 0) return 0;
  if (length <= SAMPLE_CHARS) return countPieces([texts.join(separator)]);
  // Windows spread over the whole text, so a padded start cannot stand for a dense rest.
  const width = SAMPLE_CHARS / WINDOWS;
  const step = (length - width) / (WINDOWS - 1);
  const windows: string[] = [];
  let bytes = 0;
  for (let i = 0; i < WINDOWS; i++) {
    const window = windowOf(texts, starts, separator, Math.floor(i * step), width);
    windows.push(window);
    bytes += textTokenBound(window);
  }
  let total = textTokenBound(separator) * (texts.length - 1);
  for (const text of texts) total += textTokenBound(text);
  const tokens = await countPieces(windows);
  return Math.min(total, Math.ceil((tokens * total) / Math.max(bytes, 1)));
}

/**
 * `width` characters from `from` of the texts joined by `separator` (`starts`: where each text
 * begins); exact for separators of at most one character.
 */
function windowOf(
  texts: readonly string[],
  starts: readonly number[],
  separator: string,
  from: number,
  width: number,
): string {
  // The last text that begins at or before `from`.
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= from) low = mid;
    else high = mid - 1;
  }
  let window = '';
  for (let i = low; i < texts.length && window.length < width; i++) {
    if (i > low) window += separator;
    const text = texts[i]!;
    const offset = Math.max(0, from - starts[i]!);
    // From the text's pieces: a slice of a rebuilt rope would copy it whole first.
    window += sliceOfPieces(text, offset, width - window.length);
  }
  return window.slice(0, width);
}
