/**
 * The pieces a long string was joined from, for readers that must not make it flat.
 *
 * Why: a request body's long strings are rebuilt on this thread as ropes (pieces of about a million
 * characters joined without copying). The first read of a rope's characters (`slice`, `charCodeAt`,
 * `Buffer.byteLength`, `===` against another string) copies it whole into one string: some 20-30 ms
 * for 8 MB, in one turn. Readers that only need part of it (the token-estimate sample, the stored
 * head) or can read it in parts (the upstream body encoder) ask `piecesOf(text)` and read those.
 *
 * Contract: `piecesOf(text).join('') === text` always; it returns more than one piece only for a
 * string given by `registerPieces`, and no piece ends between the two halves of a surrogate pair
 * (registration refuses such pieces), so each piece can be encoded or counted on its own.
 *
 * Lookup is by length (reading `length` never copies), then by identity: a rope compared with itself
 * is not read. So two live strings of one length must be one string: registering a text equal to a
 * live one (the same prompt sent again) gives back the live one to use instead (pieces compared
 * piece by piece, flat, no rope read); a length held by two different live texts gives up (their
 * `===` would copy both). An entry lives as long as one of its `owner` objects (the objects holding
 * the string in parsed bodies), so it goes with the requests.
 */

/** Strings shorter than this are read directly: reading them whole costs little. */
export const PIECED_FROM_CHARS = 512 * 1024;

interface Entry {
  readonly text: string;
  readonly pieces: readonly string[];
  /** Live owners (objects holding `text`). */
  owners: number;
}

/** Registered live strings by length (more than one: different texts, so lookups give up). */
const byLength = new Map<number, Entry[]>();

const expiry = new FinalizationRegistry<Entry>((entry) => {
  entry.owners -= 1;
  if (entry.owners > 0) return;
  const entries = byLength.get(entry.text.length)?.filter((other) => other !== entry) ?? [];
  if (entries.length > 0) byLength.set(entry.text.length, entries);
  else byLength.delete(entry.text.length);
});

/**
 * Records that `text` is `pieces` joined, for as long as `owner` lives, and returns the string to
 * put in `owner`: `text`, or an equal live string registered before (so lookups find it by
 * identity). Pieces that split a surrogate pair, or do not add up to `text`'s length, are not
 * recorded (`text` is returned).
 */
export function registerPieces(text: string, pieces: readonly string[], owner: object): string {
  if (text.length < PIECED_FROM_CHARS || pieces.length < 2) return text;
  let length = 0;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    length += piece.length;
    if (i < pieces.length - 1 && isHighSurrogate(piece.charCodeAt(piece.length - 1))) {
      if (isLowSurrogate(pieces[i + 1]!.charCodeAt(0))) return text;
    }
  }
  if (length !== text.length) return text;
  const entries = byLength.get(length) ?? [];
  let entry = entries.find((other) => samePieces(other.pieces, pieces));
  if (!entry) {
    entry = { text, pieces, owners: 0 };
    byLength.set(length, [...entries, entry]);
  }
  entry.owners += 1;
  expiry.register(owner, entry);
  return entry.text;
}

/** The pieces `text` was joined from, or `[text]`. */
export function piecesOf(text: string): readonly string[] {
  if (text.length < PIECED_FROM_CHARS) return [text];
  const entries = byLength.get(text.length);
  if (entries?.length !== 1) return [text];
  // Identity: a rope compared with itself is not read. (A different string of the same length is
  // compared by content, which copies it; that only happens to strings not rebuilt from pieces.)
  const entry = entries[0]!;
  return entry.text === text ? entry.pieces : [text];
}

/** Whether two piece lists hold the same characters split the same way (flat pieces: a fast compare). */
function samePieces(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.length !== b[i]!.length) return false;
  }
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return false;
  }
  return true;
}

/**
 * `count` characters from `from` of `text`, read from its pieces (a slice of one piece, or of two
 * when the range crosses a boundary), so a rope is never made flat for it.
 */
export function sliceOfPieces(text: string, from: number, count: number): string {
  const pieces = piecesOf(text);
  if (pieces.length === 1) return text.slice(from, from + count);
  const end = Math.min(text.length, from + count);
  let out = '';
  let start = 0;
  for (const piece of pieces) {
    const pieceEnd = start + piece.length;
    if (pieceEnd > from && start < end) {
      out += piece.slice(Math.max(0, from - start), Math.min(piece.length, end - start));
    }
    if (pieceEnd >= end) break;
    start = pieceEnd;
  }
  return out;
}

/** The char code at `index` of `text`, read from its piece. */
export function charCodeOfPieces(text: string, index: number): number {
  const pieces = piecesOf(text);
  if (pieces.length === 1) return text.charCodeAt(index);
  let start = 0;
  for (const piece of pieces) {
    if (index < start + piece.length) return piece.charCodeAt(index - start);
    start += piece.length;
  }
  return Number.NaN;
}

/** `Buffer.byteLength(text, 'utf8')`, summed over the pieces (no piece splits a pair). */
export function utf8LengthOfPieces(text: string): number {
  let bytes = 0;
  for (const piece of piecesOf(text)) bytes += Buffer.byteLength(piece, 'utf8');
  return bytes;
}

/** The first half of a UTF-16 surrogate pair. */
export function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** The second half of a UTF-16 surrogate pair. */
export function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
