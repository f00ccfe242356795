import { isHighSurrogate, piecesOf } from '../../text-pieces.js';

/**
 * A request body as JSON, encoded a bounded amount per event-loop turn.
 *
 * Contract: the concatenated chunks are exactly the UTF-8 bytes of `JSON.stringify(value)` (same
 * key order, same escapes, `toJSON`, omitted `undefined`/functions/symbols, non-finite numbers as
 * `null`, lone surrogates escaped). Why: `JSON.stringify` of a megabytes prompt, and the `Buffer.from`
 * after it, each hold the event loop for tens of milliseconds; here a long string is escaped in
 * slices, and after each chunk of about `sliceChars` the encoder waits for the next turn, so no turn
 * encodes more than about one slice. The chunks are never joined into one buffer either: they are
 * written to the socket one by one, with their total as the content length.
 */
export interface JsonChunks {
  readonly chunks: readonly Uint8Array[];
  readonly byteLength: number;
}

/** Characters escaped per turn: a quarter-megabyte slice costs about a millisecond. */
export const JSON_SLICE_CHARS = 256 * 1024;

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export async function encodeJsonInSlices(value: unknown, sliceChars = JSON_SLICE_CHARS): Promise<JsonChunks> {
  if (!(sliceChars >= 2)) throw new RangeError('sliceChars must be at least 2');
  const chunks: Uint8Array[] = [];
  let byteLength = 0;
  let pending: string[] = [];
  let pendingChars = 0;
  const seen = new Set<object>();

  const flush = () => {
    if (pendingChars === 0) return;
    const bytes = Buffer.from(pending.join(''), 'utf8');
    chunks.push(bytes);
    byteLength += bytes.byteLength;
    pending = [];
    pendingChars = 0;
  };
  /** Appends encoded text; true once a slice's worth became a chunk (the caller then yields the turn). */
  const emit = (text: string): boolean => {
    pending.push(text);
    pendingChars += text.length;
    if (pendingChars < sliceChars) return false;
    flush();
    return true;
  };

  function* writeString(text: string): Generator<void> {
    if (text.length <= sliceChars) {
      if (emit(JSON.stringify(text))) yield;
      return;
    }
    if (emit('"')) yield;
    // A long body text rebuilt from pieces is read piece by piece: slicing the joined rope would
    // copy it whole first. No piece ends inside a surrogate pair, so each is escaped on its own.
    for (const piece of piecesOf(text)) {
      let at = 0;
      while (at < piece.length) {
        let end = Math.min(piece.length, at + sliceChars);
        // Never cut between a surrogate pair: each half alone would be escaped as a lone surrogate.
        if (end < piece.length && isHighSurrogate(piece.charCodeAt(end - 1))) end -= 1;
        if (emit(JSON.stringify(piece.slice(at, end)).slice(1, -1))) yield;
        at = end;
      }
    }
    if (emit('"')) yield;
  }

  /** Writes a value (already through `toJSON`) that JSON.stringify does not skip. */
  function* write(value: unknown): Generator<void> {
    if (typeof value === 'string') return yield* writeString(value);
    if (value === null || typeof value !== 'object' || isBoxedPrimitive(value)) {
      // Numbers, booleans, boxed primitives; bigint throws exactly as JSON.stringify does.
      if (emit(JSON.stringify(value) as string)) yield;
      return;
    }
    if (seen.has(value)) throw new TypeError('Converting circular structure to JSON');
    seen.add(value);
    if (Array.isArray(value)) {
      if (emit('[')) yield;
      for (let i = 0; i < value.length; i += 1) {
        if (i > 0 && emit(',')) yield;
        const item = resolve(value[i], String(i));
        if (!skipped(item)) yield* write(item);
        else if (emit('null')) yield;
      }
      if (emit(']')) yield;
    } else {
      if (emit('{')) yield;
      let first = true;
      for (const name of Object.keys(value)) {
        const member = resolve((value as Record<string, unknown>)[name], name);
        if (skipped(member)) continue;
        if (emit(`${first ? '' : ','}${JSON.stringify(name)}:`)) yield;
        first = false;
        yield* write(member);
      }
      if (emit('}')) yield;
    }
    seen.delete(value);
  }

  const top = resolve(value, '');
  if (skipped(top)) throw new TypeError('the value has no JSON text');
  for (const _ of write(top)) await nextTurn();
  flush();
  return { chunks, byteLength };
}

/**
 * A body for the HTTP client: one buffer when it came out as one chunk (a small body is encoded
 * without giving up a turn), else the chunks.
 */
export async function encodeJsonBody(value: unknown): Promise<Uint8Array | JsonChunks> {
  const body = await encodeJsonInSlices(value);
  return body.chunks.length === 1 ? body.chunks[0]! : body;
}

function isBoxedPrimitive(value: object): boolean {
  return value instanceof Number || value instanceof String || value instanceof Boolean;
}

/** A value as JSON.stringify sees it: after its `toJSON(key)`, if it has one. */
function resolve(value: unknown, key: string): unknown {
  if (value !== null && (typeof value === 'object' || typeof value === 'bigint')) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return toJSON.call(value, key);
  }
  return value;
}

/** What JSON.stringify leaves out of objects (and writes as null in arrays). */
function skipped(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}
